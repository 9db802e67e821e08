//! Effects: what the engine asks the controller to do, as data.
//!
//! Invariant: every effect is idempotent for the controller (pods are named deterministically,
//! deleting a missing pod is a no-op), so re-running a reconcile after a crash is safe.
//! Must not: carry closures or handles; effects are compared and logged.

use argo_core::{Outputs, Template, Workflow};

use crate::pod_request::PodRequest;

/// Something the controller must do on the engine's behalf.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Create this pod for node `node_id` (rendered by the controller when it creates it).
    CreatePod { node_id: String, pod: PodRequest },
    /// Delete the named pod.
    DeletePod { pod: String },
    /// Send `signal` to a container of a pod (e.g. to stop a daemon or a running step on stop).
    SignalPod {
        pod: String,
        container: String,
        signal: Signal,
    },
    /// Ask for every lock in `locks` at once for `holder` (Argo's holder key:
    /// `<namespace>/<workflow>` or `<namespace>/<workflow>/<node id>`). The lock table queues
    /// the request by `priority` (higher first) then `created_at`; `reacquire` re-takes locks
    /// the workflow's status records as held (after a controller restart), without queueing.
    AcquireLock {
        holder: String,
        locks: Vec<LockRequest>,
        priority: i32,
        created_at: Option<jiff::Timestamp>,
        reacquire: bool,
    },
    /// Give the lock `key` back (or leave its queue) for `holder`.
    ReleaseLock { key: String, holder: String },
    /// Save outputs in a memoization cache.
    WriteMemo {
        cache: String,
        key: String,
        node_id: String,
        outputs: Option<Outputs>,
    },
    /// Archive the completed workflow.
    Archive,
    /// Record a Kubernetes event on the workflow.
    EmitEvent {
        kind: EventKind,
        reason: String,
        message: String,
    },
    /// Create a new workflow (resubmit).
    CreateWorkflow { workflow: Box<Workflow> },
    /// Run an HTTP or plugin template for node `node_id` in the agent (Argo's WorkflowTaskSet
    /// entry); the agent reports a task result for the node. Asked for on every reconcile
    /// while the node is open without a final result, so the agent runs a node id once.
    RunAgentTask {
        node_id: String,
        node_name: String,
        template: Box<Template>,
    },
}

/// One lock of an [`Effect::AcquireLock`]: its key (`<ns>/Mutex/<name>`,
/// `<ns>/ConfigMap/<configmap>/<key>`, `<ns>/Database/<name>`) and how many may hold it (1 for
/// a mutex; a semaphore's limit as read from its ConfigMap; `None` when the engine cannot see
/// the limit and the lock table must read it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockRequest {
    pub key: String,
    pub limit: Option<u32>,
}

/// The signal sent to a container.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    Term,
    Kill,
}

/// A Kubernetes event type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    Normal,
    Warning,
}

impl Effect {
    /// The pod name of a CreatePod effect.
    pub fn created_pod_name(&self) -> Option<&str> {
        match self {
            Effect::CreatePod { pod, .. } => Some(pod.name()),
            _ => None,
        }
    }
}
