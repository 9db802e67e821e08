//! Between stored objects, `argo-core` values and protobuf messages, always through JSON.
//!
//! Must not: change values on the way (defaults and validation belong elsewhere).

use argo_core::Workflow;
use argo_store::{Object, ResourceKind};
use serde_json::Value;

use crate::{Error, Result};

/// The store's description of the Workflow kind.
pub fn workflow_kind() -> ResourceKind {
    ResourceKind::of::<Workflow>()
}

/// Kubernetes core/v1 Events, kept in the store for WatchEvents.
pub fn event_kind() -> ResourceKind {
    ResourceKind::new("v1", "Event", argo_store::Scope::Namespaced)
}

pub fn template_kind() -> ResourceKind {
    ResourceKind::of::<argo_core::WorkflowTemplate>()
}

pub fn cluster_template_kind() -> ResourceKind {
    ResourceKind::of::<argo_core::ClusterWorkflowTemplate>()
}

pub fn cron_kind() -> ResourceKind {
    ResourceKind::of::<argo_core::CronWorkflow>()
}

/// A protobuf message as Kubernetes-style JSON.
pub fn message_json<M: prost::Message + prost::Name>(message: &M) -> Result<Value> {
    argo_proto::prost_to_json(message).map_err(|error| Error::conversion(error.to_string()))
}

/// Kubernetes-style JSON as a protobuf message; a bad shape is the client's mistake.
pub fn json_message<M: prost::Message + prost::Name + Default>(json: &Value) -> Result<M> {
    argo_proto::json_to_prost(json).map_err(|error| Error::conversion(error.to_string()))
}

/// A stored object as JSON.
pub fn object_json(object: &Object) -> Result<Value> {
    serde_json::to_value(object).map_err(|error| Error::conversion(error.to_string()))
}

/// JSON (a Workflow manifest) as an object of `kind` to store.
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

/// A stored workflow as the domain type the engine's operations take.
pub fn workflow_of(object: Object) -> Result<Workflow> {
    Ok(object.into_resource()?)
}

/// A domain workflow as an object to store.
pub fn object_of(workflow: &Workflow) -> Result<Object> {
    Ok(Object::from_resource(workflow)?)
}
