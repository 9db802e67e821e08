//! Effects: what the engine asks the controller to do, as data.
//!
//! Invariant: every effect is idempotent for the controller (pods are named deterministically,
//! deleting a missing pod is a no-op), so re-running a reconcile after a crash is safe.
//! Must not: carry closures or handles; effects are compared and logged.

use argo_core::k8s_openapi::api::core::v1::Pod;
use argo_core::{Outputs, Workflow};

/// Something the controller must do on the engine's behalf.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Create this pod for node `node_id` (the pod carries its full spec).
    CreatePod { node_id: String, pod: Box<Pod> },
    /// Delete the named pod.
    DeletePod { pod: String },
    /// Send `signal` to a container of a pod (e.g. to stop a daemon or a running step on stop).
    SignalPod {
        pod: String,
        container: String,
        signal: Signal,
    },
    /// Take the lock `key` for `holder` (a node id or the workflow key).
    AcquireLock { key: String, holder: String },
    /// Give the lock `key` back.
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
            Effect::CreatePod { pod, .. } => pod.metadata.name.as_deref(),
            _ => None,
        }
    }
}
