//! What the world reports to the engine: pods (runtime-agnostic), task results, referenced
//! templates, ConfigMaps, granted locks and memoization cache entries.
//!
//! Invariant: everything here is plain data the controller gathered before calling reconcile;
//! absence means "not seen" (a pod the engine asked for and that is reported in
//! [`Observed::deleted_pods`] is known to be gone).
//! Must not: perform lookups against a cluster or clock.

use std::collections::{BTreeMap, BTreeSet};

use argo_core::{ClusterWorkflowTemplate, NodeResult, Outputs, WorkflowTemplate};
use jiff::Timestamp;

/// A pod name.
pub type PodName = String;
/// A node id.
pub type NodeId = String;

/// Everything the controller observed for one workflow.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Observed {
    /// Pods of this workflow, by pod name.
    pub pods: BTreeMap<PodName, PodObservation>,
    /// Pods the engine asked for that the runtime reports as deleted or lost.
    pub deleted_pods: BTreeSet<PodName>,
    /// Whether `pods` is a complete listing of the workflow's pods, taken after every effect
    /// of earlier reconciles was carried out. Then a Pending pod node whose pod is missing lost
    /// its pod creation, and the pod is asked for again. False (the default) for a view that
    /// may lag, such as a cache fed by watches.
    pub pods_listed: bool,
    /// What executors reported per node (WorkflowTaskResult / task set).
    pub task_results: BTreeMap<NodeId, NodeResult>,
    /// WorkflowTemplates and ClusterWorkflowTemplates the workflow may reference.
    pub templates: TemplateResolver,
    /// ConfigMaps of the workflow's namespace: name -> key -> value.
    pub config_maps: BTreeMap<String, BTreeMap<String, String>>,
    /// Lock keys currently granted to a holder of this workflow: lock key -> holder keys
    /// (Argo's `<namespace>/<workflow>[/<node id>]`).
    pub locks: BTreeMap<String, BTreeSet<String>>,
    /// The lock table's view of the locks this workflow holds or waits for: lock key ->
    /// limit and every holder (of any workflow). Absent keys are reported as free.
    pub lock_status: BTreeMap<String, LockStatus>,
    /// Memoization cache entries: cache name -> key -> entry.
    pub memo: BTreeMap<String, BTreeMap<String, MemoEntry>>,
}

/// How a lock stands in the controller's lock table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LockStatus {
    pub limit: u32,
    /// Holder keys, in the order they were granted.
    pub holders: Vec<String>,
}

/// One memoization cache entry.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MemoEntry {
    pub node_id: String,
    pub outputs: Option<Outputs>,
    pub last_hit: Option<Timestamp>,
    pub created_at: Option<Timestamp>,
}

/// Stored templates by name, for `templateRef` and `workflowTemplateRef`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TemplateResolver {
    pub workflow_templates: BTreeMap<String, WorkflowTemplate>,
    pub cluster_workflow_templates: BTreeMap<String, ClusterWorkflowTemplate>,
}

impl TemplateResolver {
    /// Adds a WorkflowTemplate (keyed by its name).
    pub fn with_workflow_template(mut self, template: WorkflowTemplate) -> Self {
        let name = template.metadata.name.clone().unwrap_or_default();
        self.workflow_templates.insert(name, template);
        self
    }

    /// Adds a ClusterWorkflowTemplate (keyed by its name).
    pub fn with_cluster_workflow_template(mut self, template: ClusterWorkflowTemplate) -> Self {
        let name = template.metadata.name.clone().unwrap_or_default();
        self.cluster_workflow_templates.insert(name, template);
        self
    }

    /// The spec of the named (cluster) workflow template.
    pub fn spec(&self, name: &str, cluster_scope: bool) -> Option<&argo_core::WorkflowSpec> {
        if cluster_scope {
            self.cluster_workflow_templates.get(name).map(|t| &t.spec)
        } else {
            self.workflow_templates.get(name).map(|t| &t.spec)
        }
    }
}

/// The phase a runtime reports for a pod (Kubernetes' pod phases).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PodPhase {
    #[default]
    Pending,
    Running,
    Succeeded,
    Failed,
    Unknown,
}

/// The state of one container.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ContainerState {
    /// Not started yet, with the runtime's reason (`ContainerCreating`, `ImagePullBackOff`).
    #[default]
    Waiting,
    Running,
    Terminated,
}

/// What the runtime reports for one container.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContainerObservation {
    pub name: String,
    pub state: ContainerState,
    pub exit_code: Option<i32>,
    pub reason: String,
    pub message: String,
    pub ready: bool,
    pub started_at: Option<Timestamp>,
    pub finished_at: Option<Timestamp>,
}

/// What the runtime reports for one pod.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PodObservation {
    pub phase: PodPhase,
    pub message: String,
    pub reason: String,
    pub host_node_name: String,
    pub pod_ip: String,
    /// Init containers, in order.
    pub init_containers: Vec<ContainerObservation>,
    /// Main containers and sidecars (`main`, `wait`, ...).
    pub containers: Vec<ContainerObservation>,
    /// Set when the pod is unschedulable: the scheduler's message.
    pub unschedulable: Option<String>,
}

impl PodObservation {
    /// A pod in `phase` with no container detail.
    pub fn in_phase(phase: PodPhase) -> Self {
        PodObservation {
            phase,
            ..PodObservation::default()
        }
    }

    /// A finished pod whose `main` container exited with `exit_code` (and `wait` with 0).
    pub fn exited(exit_code: i32, finished_at: Timestamp) -> Self {
        let phase = if exit_code == 0 {
            PodPhase::Succeeded
        } else {
            PodPhase::Failed
        };
        let reason = if exit_code == 0 { "Completed" } else { "Error" };
        PodObservation {
            phase,
            containers: vec![
                ContainerObservation::terminated("wait", 0, "Completed", finished_at),
                ContainerObservation::terminated("main", exit_code, reason, finished_at),
            ],
            ..PodObservation::default()
        }
    }

    /// The container with this name.
    pub fn container(&self, name: &str) -> Option<&ContainerObservation> {
        self.containers.iter().find(|c| c.name == name)
    }

    /// The latest container finish time.
    pub fn latest_finished_at(&self) -> Option<Timestamp> {
        self.init_containers
            .iter()
            .chain(&self.containers)
            .filter_map(|c| c.finished_at)
            .max()
    }
}

impl ContainerObservation {
    /// A terminated container.
    pub fn terminated(name: &str, exit_code: i32, reason: &str, finished_at: Timestamp) -> Self {
        ContainerObservation {
            name: name.to_owned(),
            state: ContainerState::Terminated,
            exit_code: Some(exit_code),
            reason: reason.to_owned(),
            message: String::new(),
            ready: false,
            started_at: None,
            finished_at: Some(finished_at),
        }
    }

    /// A running container.
    pub fn running(name: &str) -> Self {
        ContainerObservation {
            name: name.to_owned(),
            state: ContainerState::Running,
            ready: true,
            ..ContainerObservation::default()
        }
    }
}
