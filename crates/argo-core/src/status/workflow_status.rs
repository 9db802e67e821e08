//! `WorkflowStatus`: the phase, node tree, stored templates, locks, outputs and bookkeeping the
//! controller writes on a Workflow.
//!
//! Must not: compress or offload nodes (that is storage's concern).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::Volume;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::spec::artifact_repository::ArtifactRepositoryRefStatus;
use crate::spec::parameters::Outputs;
use crate::spec::template::Template;
use crate::spec::workflow_spec::WorkflowSpec;
use crate::status::node::{NodeStatus, Nodes, ResourcesDuration};
use crate::status::phase::{Condition, ConditionType, WorkflowPhase};
use crate::status::synchronization::SynchronizationStatus;
use crate::values::{Progress, is_false, is_zero};

/// The status of a workflow.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct WorkflowStatus {
    #[serde(skip_serializing_if = "WorkflowPhase::is_unknown")]
    pub phase: WorkflowPhase,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub started_at: Option<Time>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<Time>,
    /// Seconds.
    #[serde(skip_serializing_if = "is_zero")]
    pub estimated_duration: i64,
    #[serde(skip_serializing_if = "Progress::is_empty")]
    pub progress: Progress,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub message: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub compressed_nodes: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub nodes: Nodes,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub offload_node_status_version: String,
    /// Templates resolved during execution, keyed by scope and name.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub stored_templates: BTreeMap<String, Template>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub persistent_volume_claims: Vec<Volume>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outputs: Option<Outputs>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub resources_duration: ResourcesDuration,
    /// The spec the workflow runs with, after merging its WorkflowTemplate and defaults.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stored_workflow_template_spec: Option<Box<WorkflowSpec>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub synchronization: Option<SynchronizationStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub artifact_repository_ref: Option<ArtifactRepositoryRefStatus>,
    #[serde(rename = "artifactGCStatus", skip_serializing_if = "Option::is_none")]
    pub artifact_gc_status: Option<ArtGCStatus>,
    /// Node id -> whether its task result is complete.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub task_results_completion_status: BTreeMap<String, bool>,
}

/// Artifact-GC bookkeeping.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct ArtGCStatus {
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub strategies_processed: BTreeMap<String, bool>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub pods_recouped: BTreeMap<String, bool>,
    #[serde(skip_serializing_if = "is_false")]
    pub not_specified: bool,
}

impl WorkflowStatus {
    /// The node with this id.
    pub fn node(&self, id: &str) -> Option<&NodeStatus> {
        self.nodes.get(id)
    }

    /// The node with this name (tree path); a linear scan.
    pub fn node_by_name(&self, name: &str) -> Option<&NodeStatus> {
        self.nodes.values().find(|n| n.name == name)
    }

    /// Succeeded, Failed or Error.
    pub fn is_completed(&self) -> bool {
        self.phase.is_completed()
    }

    /// The condition of this type.
    pub fn condition(&self, condition_type: &ConditionType) -> Option<&Condition> {
        self.conditions
            .iter()
            .find(|c| c.condition_type.as_ref() == Some(condition_type))
    }

    /// True when some suspend node waits to be resumed.
    pub fn has_active_suspend_node(&self) -> bool {
        self.nodes.values().any(NodeStatus::is_active_suspend_node)
    }
}
