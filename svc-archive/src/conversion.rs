//! Between archived JSON, `argo-core` workflows and protobuf messages, always through JSON;
//! and the summary of an archived workflow that lists return (as Argo's archive lists do).
//!
//! Must not: change values on the way, beyond marking archived copies `Persisted`.

use argo_core::Workflow;
use argo_store::archive::LABEL_ARCHIVING_STATUS;
use serde_json::{Map, Value, json};

use crate::{Error, Result};

/// Kubernetes-style JSON as a protobuf message.
pub fn json_message<M: prost::Message + prost::Name + Default>(json: &Value) -> Result<M> {
    argo_proto::json_to_prost(json).map_err(|error| Error::conversion(error.to_string()))
}

/// An archived workflow as the domain type the engine's operations take.
pub fn workflow_of(json: Value) -> Result<Workflow> {
    serde_json::from_value(json)
        .map_err(|error| Error::internal(format!("archived workflow is unreadable: {error}")))
}

/// A domain workflow as JSON.
pub fn json_of(workflow: &Workflow) -> Result<Value> {
    serde_json::to_value(workflow).map_err(|error| Error::conversion(error.to_string()))
}

/// Archived copies always read as `Persisted`, whatever they were archived with.
pub fn mark_persisted(workflow: &mut Value) {
    if !workflow["metadata"].is_object() {
        workflow["metadata"] = json!({});
    }
    if !workflow["metadata"]["labels"].is_object() {
        workflow["metadata"]["labels"] = json!({});
    }
    workflow["metadata"]["labels"][LABEL_ARCHIVING_STATUS] = json!("Persisted");
}

/// The fields an archive list returns: identity, labels, annotations, `spec.suspend` and the
/// status summary, without the node tree.
pub fn summary(workflow: &Value) -> Value {
    let pick = |source: &Value, keys: &[&str]| -> Value {
        let mut picked = Map::new();
        for key in keys {
            if let Some(value) = source.get(*key).filter(|value| !value.is_null()) {
                picked.insert((*key).to_owned(), value.clone());
            }
        }
        Value::Object(picked)
    };
    let metadata = pick(
        &workflow["metadata"],
        &[
            "name",
            "namespace",
            "uid",
            "creationTimestamp",
            "labels",
            "annotations",
        ],
    );
    let status = pick(
        &workflow["status"],
        &[
            "phase",
            "startedAt",
            "finishedAt",
            "progress",
            "message",
            "estimatedDuration",
            "resourcesDuration",
        ],
    );
    let mut summary = json!({"metadata": metadata, "spec": pick(&workflow["spec"], &["suspend"]), "status": status});
    mark_persisted(&mut summary);
    summary
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_drop_the_node_tree_and_mark_the_copy_persisted() {
        let full = json!({
            "metadata": {"name": "a", "uid": "u", "managedFields": []},
            "spec": {"entrypoint": "main", "suspend": true},
            "status": {"phase": "Failed", "nodes": {"a": {}}, "message": "boom"}
        });
        let summary = summary(&full);
        assert_eq!(
            summary["status"],
            json!({"phase": "Failed", "message": "boom"})
        );
        assert_eq!(summary["spec"], json!({"suspend": true}));
        assert_eq!(
            summary["metadata"]["labels"][LABEL_ARCHIVING_STATUS],
            json!("Persisted")
        );
        assert!(summary["metadata"].get("managedFields").is_none());
    }
}
