//! Between protobuf messages, Kubernetes-style JSON and stored objects, always through JSON,
//! for every service; and the store's descriptions of the template kinds several services read.
//!
//! Must not: change values on the way (defaults and validation belong elsewhere).

use argo_store::{Object, ResourceKind};
use serde_json::Value;

use crate::{Error, Result};

/// The store's description of the WorkflowTemplate kind.
pub fn workflow_template_kind() -> ResourceKind {
    ResourceKind::of::<argo_core::WorkflowTemplate>()
}

/// The store's description of the ClusterWorkflowTemplate kind.
pub fn cluster_workflow_template_kind() -> ResourceKind {
    ResourceKind::of::<argo_core::ClusterWorkflowTemplate>()
}

/// A protobuf message as Kubernetes-style JSON.
pub fn message_json<M: prost::Message + prost::Name>(message: &M) -> Result<Value> {
    argo_proto::prost_to_json(message).map_err(|error| Error::conversion(error.to_string()))
}

/// Kubernetes-style JSON as a protobuf message.
pub fn json_message<M: prost::Message + prost::Name + Default>(json: &Value) -> Result<M> {
    argo_proto::json_to_prost(json).map_err(|error| Error::conversion(error.to_string()))
}

/// A stored object as JSON.
pub fn object_json(object: &Object) -> Result<Value> {
    serde_json::to_value(object).map_err(|error| Error::conversion(error.to_string()))
}

/// A manifest as an object of `kind` to store; `apiVersion` and `kind` are the kind's own.
pub fn json_object(kind: &ResourceKind, mut json: Value) -> Result<Object> {
    if let Some(map) = json.as_object_mut() {
        map.insert(
            "apiVersion".into(),
            Value::String(kind.api_version.to_string()),
        );
        map.insert("kind".into(), Value::String(kind.kind.to_string()));
    }
    serde_json::from_value(json).map_err(|error| Error::invalid_argument(error.to_string()))
}
