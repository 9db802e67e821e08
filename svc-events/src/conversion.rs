//! Between stored objects and protobuf messages, always through Kubernetes-style JSON, and
//! the kinds this crate stores.
//!
//! Must not: change values on the way.

use argo_store::{Object, ResourceKind, Scope};
use serde_json::Value;

use crate::{Error, Result};

pub fn binding_kind() -> ResourceKind {
    ResourceKind::of::<argo_core::WorkflowEventBinding>()
}

pub fn workflow_kind() -> ResourceKind {
    ResourceKind::of::<argo_core::Workflow>()
}

pub fn template_kind() -> ResourceKind {
    ResourceKind::of::<argo_core::WorkflowTemplate>()
}

pub fn cluster_template_kind() -> ResourceKind {
    ResourceKind::of::<argo_core::ClusterWorkflowTemplate>()
}

/// Argo Events' EventSource.
pub fn event_source_kind() -> ResourceKind {
    ResourceKind::new("argoproj.io/v1alpha1", "EventSource", Scope::Namespaced)
        .with_plural("eventsources")
}

/// Argo Events' Sensor.
pub fn sensor_kind() -> ResourceKind {
    ResourceKind::new("argoproj.io/v1alpha1", "Sensor", Scope::Namespaced).with_plural("sensors")
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

/// A manifest as an object of `kind` to store; a bad shape is the client's mistake.
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
