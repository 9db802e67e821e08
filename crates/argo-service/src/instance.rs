//! Argo's controller instance ID as the API services apply it: objects written through this service
//! carry `workflows.argoproj.io/controller-instanceid` when an ID is configured (and never when
//! none is), lists only see objects of this instance, and reading an object of another instance
//! fails as "not managed by the current Argo Server".
//!
//! Must not: touch anything but that one label.

use serde_json::{Map, Value};

use crate::{Error, Result};

/// The label naming the controller instance that owns an object.
pub const INSTANCE_ID_LABEL: &str = "workflows.argoproj.io/controller-instanceid";

/// The instance this server belongs to; `None` is the unnamed default instance.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InstanceId(pub Option<String>);

impl InstanceId {
    /// Sets (or, for the default instance, removes) the label on a manifest.
    pub fn label(&self, manifest: &mut Value) {
        let Some(root) = manifest.as_object_mut() else {
            return;
        };
        let metadata = root
            .entry("metadata")
            .or_insert_with(|| Value::Object(Map::new()));
        let Some(metadata) = metadata.as_object_mut() else {
            return;
        };
        match &self.0 {
            Some(id) => {
                let labels = metadata
                    .entry("labels")
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Some(labels) = labels.as_object_mut() {
                    labels.insert(INSTANCE_ID_LABEL.to_owned(), Value::String(id.clone()));
                }
            }
            None => {
                if let Some(labels) = metadata.get_mut("labels").and_then(Value::as_object_mut) {
                    labels.remove(INSTANCE_ID_LABEL);
                }
            }
        }
    }

    /// The client's label selector restricted to this instance.
    pub fn selector(&self, label_selector: &str) -> String {
        let own = match &self.0 {
            Some(id) => format!("{INSTANCE_ID_LABEL}={id}"),
            None => format!("!{INSTANCE_ID_LABEL}"),
        };
        if label_selector.trim().is_empty() {
            own
        } else {
            format!("{label_selector},{own}")
        }
    }

    /// Fails when a stored object belongs to another instance.
    pub fn validate(
        &self,
        name: &str,
        labels: Option<&std::collections::BTreeMap<String, String>>,
    ) -> Result<()> {
        let label = labels.and_then(|labels| labels.get(INSTANCE_ID_LABEL));
        let managed = match (&self.0, label) {
            (None, None) => true,
            (Some(id), Some(label)) => id == label,
            _ => false,
        };
        if managed {
            Ok(())
        } else {
            Err(Error::invalid_argument(format!(
                "'{name}' is not managed by the current Argo Server"
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_named_instance_labels_and_selects_its_own_objects() {
        let instance = InstanceId(Some("blue".into()));
        let mut manifest = json!({"metadata": {"name": "t"}});
        instance.label(&mut manifest);
        assert_eq!(manifest["metadata"]["labels"][INSTANCE_ID_LABEL], "blue");
        assert_eq!(
            instance.selector("app=x"),
            format!("app=x,{INSTANCE_ID_LABEL}=blue")
        );
    }

    #[test]
    fn the_default_instance_drops_the_label_and_rejects_labelled_objects() {
        let instance = InstanceId::default();
        let mut manifest = json!({"metadata": {"labels": {INSTANCE_ID_LABEL: "blue", "a": "b"}}});
        instance.label(&mut manifest);
        assert_eq!(manifest["metadata"]["labels"], json!({"a": "b"}));
        assert_eq!(instance.selector(""), format!("!{INSTANCE_ID_LABEL}"));
        let labels = [(INSTANCE_ID_LABEL.to_owned(), "blue".to_owned())].into();
        let error = instance.validate("t", Some(&labels)).expect_err("foreign");
        assert_eq!(
            error.to_string(),
            "'t' is not managed by the current Argo Server"
        );
        assert!(instance.validate("t", None).is_ok());
    }
}
