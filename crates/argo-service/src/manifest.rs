//! Request plumbing the manifest-based services (templates, cluster templates, cron workflows)
//! share: reading and setting `metadata` fields of a JSON manifest, placing it in the request's
//! namespace, and turning Kubernetes-style list and delete options into the store's terms.
//!
//! Must not: validate a kind's spec (the lint does) or touch the store.

use argo_proto::k8s_meta;
use argo_store::Preconditions;
use serde_json::{Value, json};

use crate::{Error, Result};

/// `Some(text)` unless it is empty.
pub fn non_empty(text: Option<&str>) -> Option<&str> {
    text.filter(|text| !text.is_empty())
}

/// A non-empty string field of `metadata`.
pub fn metadata_str<'a>(manifest: &'a Value, field: &str) -> Option<&'a str> {
    non_empty(
        manifest
            .pointer(&format!("/metadata/{field}"))
            .and_then(Value::as_str),
    )
}

/// Sets a string field of `metadata`, creating `metadata` when missing; `what` names the
/// manifest in the error when it is not an object ("the template").
pub fn set_metadata(manifest: &mut Value, what: &str, field: &str, value: &str) -> Result<()> {
    let Some(root) = manifest.as_object_mut() else {
        return Err(Error::invalid_argument(format!("{what} must be an object")));
    };
    let metadata = root.entry("metadata").or_insert_with(|| json!({}));
    match metadata.as_object_mut() {
        Some(metadata) => {
            metadata.insert(field.to_owned(), Value::String(value.to_owned()));
            Ok(())
        }
        None => Err(Error::invalid_argument("metadata must be an object")),
    }
}

/// The namespace a request addresses: the request's, else the manifest's, which is set to it; a
/// manifest naming another one than the request is refused, as the Kubernetes API does.
pub fn place(request_namespace: &str, what: &str, manifest: &mut Value) -> Result<String> {
    let own = metadata_str(manifest, "namespace").map(str::to_owned);
    let namespace = match (non_empty(Some(request_namespace)), own.as_deref()) {
        (Some(request), Some(own)) if request != own => {
            return Err(Error::invalid_argument(format!(
                "the namespace of the provided object ({own}) does not match the namespace sent on the request ({request})"
            )));
        }
        (Some(request), _) => request.to_owned(),
        (None, Some(own)) => own.to_owned(),
        (None, None) => return Err(Error::invalid_argument("namespace is required")),
    };
    set_metadata(manifest, what, "namespace", &namespace)?;
    Ok(namespace)
}

/// Gives the manifest the request's `name` when it names none itself; answers the name.
pub fn name_for_update(manifest: &mut Value, what: &str, name: &str) -> Result<String> {
    if metadata_str(manifest, "name").is_none() {
        match non_empty(Some(name)) {
            Some(name) => set_metadata(manifest, what, "name", name)?,
            None => return Err(Error::invalid_argument("metadata.name is required")),
        }
    }
    Ok(metadata_str(manifest, "name")
        .unwrap_or_default()
        .to_owned())
}

/// Kubernetes cannot address an object without a name (Argo answers Internal; the caller's
/// mistake is an invalid argument).
pub fn require_name(name: &str) -> Result<()> {
    if name.is_empty() {
        return Err(Error::invalid_argument("name is required"));
    }
    Ok(())
}

/// Kubernetes refuses an update that names no resourceVersion, in its wording.
pub fn require_resource_version(manifest: &Value, kind: &str, name: &str) -> Result<()> {
    if metadata_str(manifest, "resourceVersion").is_none() {
        return Err(Error::invalid_argument(format!(
            "{kind}.argoproj.io {name:?} is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update"
        )));
    }
    Ok(())
}

/// Whether `createOptions.dryRun` asks for a dry run (`All`, Kubernetes' only mode).
pub fn is_dry_run(options: Option<&k8s_meta::CreateOptions>) -> bool {
    options.is_some_and(|options| options.dry_run.iter().any(|mode| mode == "All"))
}

/// `deleteOptions.preconditions` in the store's terms (none when absent).
pub fn delete_preconditions(options: Option<&k8s_meta::DeleteOptions>) -> Preconditions {
    options
        .and_then(|options| options.preconditions.as_ref())
        .map(|preconditions| Preconditions {
            uid: non_empty(preconditions.uid.as_deref()).map(str::to_owned),
            resource_version: non_empty(preconditions.resource_version.as_deref())
                .map(str::to_owned),
        })
        .unwrap_or_default()
}

/// `listOptions.limit` as a page size: `None` for 0 (everything), refused when negative.
pub fn list_limit(options: &k8s_meta::ListOptions) -> Result<Option<u32>> {
    match options.limit.unwrap_or(0) {
        limit if limit < 0 => Err(Error::invalid_argument(format!(
            "listOptions.limit must not be negative, got {limit}"
        ))),
        0 => Ok(None),
        limit => Ok(Some(u32::try_from(limit).unwrap_or(u32::MAX))),
    }
}

/// A Kubernetes-style list answer: `metadata.resourceVersion`, `metadata.continue` when there
/// is more, and the items.
pub fn list_answer(
    items: Vec<Value>,
    resource_version: &str,
    continue_token: Option<String>,
) -> Value {
    let mut metadata = json!({ "resourceVersion": resource_version });
    if let Some(token) = continue_token {
        metadata["continue"] = Value::String(token);
    }
    json!({ "metadata": metadata, "items": items })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_namespace_places_the_manifest_and_a_different_one_is_refused() {
        let mut manifest = json!({"metadata": {"name": "t"}});
        assert_eq!(
            place("argo", "the template", &mut manifest).expect("placed"),
            "argo"
        );
        assert_eq!(manifest["metadata"]["namespace"], "argo");
        let error = place("other", "the template", &mut manifest).expect_err("mismatch");
        assert!(error.to_string().contains("(argo)"), "{error}");
        let error = place("", "the template", &mut json!({})).expect_err("none");
        assert_eq!(error.to_string(), "namespace is required");
        let error = place("argo", "the template", &mut json!([])).expect_err("array");
        assert_eq!(error.to_string(), "the template must be an object");
    }

    #[test]
    fn an_update_takes_the_request_name_unless_the_manifest_has_one() {
        let mut manifest = json!({});
        assert_eq!(
            name_for_update(&mut manifest, "x", "from-request").expect("named"),
            "from-request"
        );
        let mut manifest = json!({"metadata": {"name": "own"}});
        assert_eq!(
            name_for_update(&mut manifest, "x", "from-request").expect("named"),
            "own"
        );
        let error = name_for_update(&mut json!({}), "x", "").expect_err("nameless");
        assert_eq!(error.to_string(), "metadata.name is required");
    }

    #[test]
    fn list_limits_and_answers_are_kubernetes_shaped() {
        let options = |limit| k8s_meta::ListOptions {
            limit: Some(limit),
            ..Default::default()
        };
        assert_eq!(list_limit(&options(0)).expect("all"), None);
        assert_eq!(list_limit(&options(5)).expect("five"), Some(5));
        assert!(list_limit(&options(-1)).is_err());
        let answer = list_answer(vec![json!(1)], "7", Some("next".into()));
        assert_eq!(
            answer,
            json!({"metadata": {"resourceVersion": "7", "continue": "next"}, "items": [1]})
        );
    }
}
