//! One archived workflow: its JSON and the metadata every backend indexes (uid, namespace,
//! name, phase, labels and the creation, start and finish times), read from the JSON once.
//!
//! Must not: change the workflow; a malformed one is an [`Error::InvalidObject`] naming the
//! field.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use jiff::Timestamp;
use serde_json::Value;

use crate::{Error, Result};

/// A workflow as the archive indexes it.
#[derive(Debug, Clone, PartialEq)]
pub struct ArchivedWorkflow {
    pub uid: String,
    pub namespace: String,
    pub name: String,
    pub phase: String,
    pub labels: BTreeMap<String, String>,
    pub created_at: Option<Timestamp>,
    pub started_at: Option<Timestamp>,
    pub finished_at: Option<Timestamp>,
    pub workflow: Value,
}

impl ArchivedWorkflow {
    /// Reads the indexed fields of a Workflow manifest.
    pub fn from_workflow(workflow: &Value) -> Result<Self> {
        let text = |pointer: &str| workflow.pointer(pointer).and_then(Value::as_str);
        let name = text("/metadata/name").unwrap_or_default().to_owned();
        let invalid = |message: String| Error::InvalidObject {
            kind: "Workflow".into(),
            name: name.clone(),
            message,
        };
        let uid = text("/metadata/uid")
            .filter(|uid| !uid.is_empty())
            .ok_or_else(|| invalid("metadata.uid is required to archive a workflow".into()))?
            .to_owned();
        if name.is_empty() {
            return Err(invalid(
                "metadata.name is required to archive a workflow".into(),
            ));
        }
        let time = |pointer: &str, field: &str| -> Result<Option<Timestamp>> {
            match workflow.pointer(pointer) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(value)) if value.is_empty() => Ok(None),
                Some(Value::String(value)) => value
                    .parse::<Timestamp>()
                    .map(Some)
                    .map_err(|error| invalid(format!("{field} {value:?}: {error}"))),
                Some(other) => Err(invalid(format!("{field} must be a string, not {other}"))),
            }
        };
        let labels = match workflow.pointer("/metadata/labels") {
            None | Some(Value::Null) => BTreeMap::new(),
            Some(Value::Object(labels)) => labels
                .iter()
                .map(|(key, value)| match value {
                    Value::String(value) => Ok((key.clone(), value.clone())),
                    other => Err(invalid(format!(
                        "metadata.labels.{key} must be a string, not {other}"
                    ))),
                })
                .collect::<Result<_>>()?,
            Some(other) => {
                return Err(invalid(format!(
                    "metadata.labels must be an object, not {other}"
                )));
            }
        };
        Ok(Self {
            namespace: text("/metadata/namespace").unwrap_or_default().to_owned(),
            phase: text("/status/phase").unwrap_or_default().to_owned(),
            created_at: time("/metadata/creationTimestamp", "metadata.creationTimestamp")?,
            started_at: time("/status/startedAt", "status.startedAt")?,
            finished_at: time("/status/finishedAt", "status.finishedAt")?,
            labels,
            uid,
            name,
            workflow: workflow.clone(),
        })
    }

    /// List order: most recently started first, never-started last, then by uid.
    pub fn list_order(&self, other: &Self) -> Ordering {
        other
            .started_at
            .cmp(&self.started_at)
            .then_with(|| self.uid.cmp(&other.uid))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn indexed_fields_are_read_from_the_manifest() {
        let record = ArchivedWorkflow::from_workflow(&json!({
            "metadata": {"name": "a", "namespace": "argo", "uid": "u1",
                         "creationTimestamp": "2026-01-01T00:00:00Z", "labels": {"team": "x"}},
            "status": {"phase": "Succeeded", "startedAt": "2026-01-01T00:00:01Z",
                       "finishedAt": null}
        }))
        .expect("valid");
        assert_eq!(record.uid, "u1");
        assert_eq!(record.phase, "Succeeded");
        assert_eq!(record.labels.get("team").map(String::as_str), Some("x"));
        assert!(record.started_at.is_some() && record.finished_at.is_none());
    }

    #[test]
    fn a_workflow_without_uid_or_with_a_bad_time_names_the_field() {
        let missing = ArchivedWorkflow::from_workflow(&json!({"metadata": {"name": "a"}}))
            .expect_err("no uid");
        assert!(missing.to_string().contains("metadata.uid"), "{missing}");
        let bad = ArchivedWorkflow::from_workflow(&json!({
            "metadata": {"name": "a", "uid": "u"}, "status": {"startedAt": "yesterday"}
        }))
        .expect_err("bad time");
        assert!(bad.to_string().contains("status.startedAt"), "{bad}");
    }
}
