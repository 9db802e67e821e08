//! The kinds this crate stores, and (from `argo-service`) the conversions between stored
//! objects and protobuf messages, always through Kubernetes-style JSON.
//!
//! Must not: change values on the way.

use argo_store::{ResourceKind, Scope};

pub fn binding_kind() -> ResourceKind {
    ResourceKind::of::<argo_core::WorkflowEventBinding>()
}

pub fn workflow_kind() -> ResourceKind {
    ResourceKind::of::<argo_core::Workflow>()
}

pub use argo_service::conversion::{
    cluster_workflow_template_kind as cluster_template_kind,
    workflow_template_kind as template_kind,
};

/// Argo Events' EventSource.
pub fn event_source_kind() -> ResourceKind {
    ResourceKind::new("argoproj.io/v1alpha1", "EventSource", Scope::Namespaced)
        .with_plural("eventsources")
}

/// Argo Events' Sensor.
pub fn sensor_kind() -> ResourceKind {
    ResourceKind::new("argoproj.io/v1alpha1", "Sensor", Scope::Namespaced).with_plural("sensors")
}

/// The conversions every service shares.
pub use argo_service::conversion::{json_message, json_object, message_json, object_json};
