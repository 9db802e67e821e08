//! Between stored objects, `argo-core` values and protobuf messages, always through JSON
//! (`answers` keeps the encoded results of reads).
//!
//! Must not: change values on the way (defaults and validation belong elsewhere).

use argo_core::Workflow;
use argo_proto::wf;
use argo_store::{Object, ResourceKind};

use crate::Result;
use crate::fields::filter_fields;

/// The store's description of the Workflow kind.
pub fn workflow_kind() -> ResourceKind {
    ResourceKind::of::<Workflow>()
}

/// Kubernetes core/v1 Events, kept in the store for WatchEvents.
pub fn event_kind() -> ResourceKind {
    ResourceKind::new("v1", "Event", argo_store::Scope::Namespaced)
}

pub use argo_service::conversion::{
    cluster_workflow_template_kind as cluster_template_kind, json_message, json_object,
    message_json, object_json, workflow_template_kind as template_kind,
};

pub fn cron_kind() -> ResourceKind {
    ResourceKind::of::<argo_core::CronWorkflow>()
}

/// A stored workflow as the domain type the engine's operations take.
pub fn workflow_of(object: Object) -> Result<Workflow> {
    Ok(object.into_resource()?)
}

/// A domain workflow as an object to store.
pub fn object_of(workflow: &Workflow) -> Result<Object> {
    Ok(Object::from_resource(workflow)?)
}

/// A stored object as the protobuf answer, with the `fields` filter applied.
pub fn convert_answer(object: &Object, fields: &str) -> Result<wf::Workflow> {
    json_message(&filter_fields(object_json(object)?, fields))
}
