//! `NodeStatus`: one node of the workflow's status tree (keyed by node id in
//! `status.nodes`), and `NodeResult`, what executors and agents report for a node.
//!
//! Must not: compute node ids or names (engine) or mutate other nodes.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::spec::parameters::{Inputs, Outputs};
use crate::spec::reference::TemplateRef;
use crate::status::phase::{NodePhase, NodeType};
use crate::values::{Progress, is_false, is_zero};

/// Nodes keyed by node id.
pub type Nodes = BTreeMap<String, NodeStatus>;

/// CPU/memory/GPU seconds used, keyed by resource name.
pub type ResourcesDuration = BTreeMap<String, i64>;

/// The status of one node.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct NodeStatus {
    #[serde(default)]
    pub id: String,
    /// The tree path, e.g. `wf.step-a(0:x).inner`.
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub display_name: String,
    #[serde(rename = "type")]
    pub node_type: NodeType,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub template_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template_ref: Option<TemplateRef>,
    /// `local/`, `namespaced/<name>` or `cluster/<name>`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub template_scope: String,
    #[serde(default, skip_serializing_if = "NodePhase::is_unknown")]
    pub phase: NodePhase,
    #[serde(
        rename = "boundaryID",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub boundary_id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<Time>,
    /// Seconds.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub estimated_duration: i64,
    #[serde(default, skip_serializing_if = "Progress::is_empty")]
    pub progress: Progress,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub resources_duration: ResourcesDuration,
    #[serde(rename = "podIP", default, skip_serializing_if = "String::is_empty")]
    pub pod_ip: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub daemoned: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_flag: Option<NodeFlag>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inputs: Option<Inputs>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outputs: Option<Outputs>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outbound_nodes: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub host_node_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memoization_status: Option<MemoizationStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub synchronization_status: Option<NodeSynchronizationStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_result_synced: Option<bool>,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub failed_pod_restarts: i32,
    #[serde(
        rename = "restartingPodUID",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub restarting_pod_uid: String,
}

/// Why a node exists beyond the template tree.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct NodeFlag {
    #[serde(skip_serializing_if = "is_false")]
    pub hooked: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub retried: bool,
}

/// The memoization cache lookup made for a node.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct MemoizationStatus {
    pub hit: bool,
    pub key: String,
    pub cache_name: String,
}

/// The lock a node is waiting for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct NodeSynchronizationStatus {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub waiting: String,
}

/// What an executor (via WorkflowTaskResult) or agent (via WorkflowTaskSet) reports for a node.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct NodeResult {
    #[serde(skip_serializing_if = "NodePhase::is_unknown")]
    pub phase: NodePhase,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outputs: Option<Outputs>,
    #[serde(skip_serializing_if = "Progress::is_empty")]
    pub progress: Progress,
}

impl NodeStatus {
    /// A pending node with this id, name and type.
    pub fn new(id: impl Into<String>, name: impl Into<String>, node_type: NodeType) -> Self {
        NodeStatus {
            id: id.into(),
            name: name.into(),
            display_name: String::new(),
            node_type,
            template_name: String::new(),
            template_ref: None,
            template_scope: String::new(),
            phase: NodePhase::Pending,
            boundary_id: String::new(),
            message: String::new(),
            started_at: None,
            finished_at: None,
            estimated_duration: 0,
            progress: Progress::default(),
            resources_duration: ResourcesDuration::new(),
            pod_ip: String::new(),
            daemoned: None,
            node_flag: None,
            inputs: None,
            outputs: None,
            children: Vec::new(),
            outbound_nodes: Vec::new(),
            host_node_name: String::new(),
            memoization_status: None,
            synchronization_status: None,
            task_result_synced: None,
            failed_pod_restarts: 0,
            restarting_pod_uid: String::new(),
        }
    }

    /// True for `daemoned: true`.
    pub fn is_daemoned(&self) -> bool {
        self.daemoned == Some(true)
    }

    /// Completed with its task result synced (a missing sync flag counts as synced).
    pub fn is_completed(&self) -> bool {
        self.phase.is_completed() && self.task_result_synced.unwrap_or(true)
    }

    /// Done for scheduling: fulfilled phase and synced, or a daemon past Pending.
    pub fn is_fulfilled(&self) -> bool {
        let synced = self.task_result_synced.unwrap_or(true);
        (self.phase.is_fulfilled(self.task_result_synced) && synced)
            || (self.is_daemoned() && self.phase != NodePhase::Pending)
    }

    /// Succeeded.
    pub fn is_succeeded(&self) -> bool {
        self.phase == NodePhase::Succeeded
    }

    /// Failed or Error.
    pub fn is_failed_or_error(&self) -> bool {
        self.phase.is_failed_or_error()
    }

    /// A suspend node that is still running (waiting to be resumed).
    pub fn is_active_suspend_node(&self) -> bool {
        self.node_type == NodeType::Suspend && self.phase == NodePhase::Running
    }

    /// An HTTP or plugin node, executed through the agent's task set.
    pub fn is_task_set_node(&self) -> bool {
        matches!(self.node_type, NodeType::Http | NodeType::Plugin)
    }

    /// An exit-handler node (`<parent>.onExit`).
    pub fn is_exit_node(&self) -> bool {
        self.display_name.ends_with(".onExit")
    }

    /// True when `child_id` is a direct child.
    pub fn has_child(&self, child_id: &str) -> bool {
        self.children.iter().any(|c| c == child_id)
    }
}
