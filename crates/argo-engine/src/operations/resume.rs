//! `argo resume`: clear `spec.suspend` and succeed active suspend nodes (all of them, or those
//! matching a node field selector), filling supplied outputs with their defaults.
//!
//! Must not: run anything; the next reconcile continues the workflow.

use argo_core::{NodePhase, Workflow};
use jiff::Timestamp;

use super::{NodeSelector, NodeUpdate, update_suspended_nodes};
use crate::error::Result;

/// Resumes a workflow (or only the suspend nodes matching `selector` when it is non-empty).
pub fn resume(wf: &Workflow, selector: &NodeSelector, now: Timestamp) -> Result<Workflow> {
    let update = NodeUpdate {
        phase: Some(NodePhase::Succeeded),
        ..NodeUpdate::default()
    };
    if !selector.is_empty() {
        return update_suspended_nodes(wf, selector, &update, now);
    }
    let mut next = wf.clone();
    next.spec.suspend = None;
    if next.status.has_active_suspend_node() {
        next = update_suspended_nodes(&next, selector, &update, now)?;
    }
    Ok(next)
}
