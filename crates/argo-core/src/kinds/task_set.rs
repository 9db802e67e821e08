//! `WorkflowTaskSet`: the controller's channel to the agent pod (HTTP and plugin templates by
//! node id in `spec.tasks`, results in `status.nodes`).
//!
//! Must not: run tasks.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::kinds::{argo_kind, serialize_kind};
use crate::spec::template::Template;
use crate::status::node::NodeResult;

/// Tasks for a workflow's agent.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, JsonSchema)]
#[serde(default)]
#[schemars(transform = crate::kinds::with_type_meta)]
pub struct WorkflowTaskSet {
    pub metadata: ObjectMeta,
    pub spec: WorkflowTaskSetSpec,
    pub status: WorkflowTaskSetStatus,
}

argo_kind!(
    WorkflowTaskSet,
    kind = "WorkflowTaskSet",
    plural = "workflowtasksets",
    scope = NamespaceResourceScope
);
serialize_kind!(WorkflowTaskSet { "spec" => spec; ? "status" => status });

/// A list of task sets.
pub type WorkflowTaskSetList = k8s_openapi::List<WorkflowTaskSet>;

/// Templates to execute, keyed by node id.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct WorkflowTaskSetSpec {
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub tasks: BTreeMap<String, Template>,
}

/// Results, keyed by node id.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct WorkflowTaskSetStatus {
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub nodes: BTreeMap<String, NodeResult>,
}
