//! `argo stop`: shut the workflow down with strategy Stop (exit handlers still run), or fail
//! only the suspend nodes matching a selector, with a message.
//!
//! Must not: delete pods itself; the next reconcile stops them.

use argo_core::{NodePhase, ShutdownStrategy, Workflow};
use jiff::Timestamp;

use super::{NodeSelector, NodeUpdate, ensure_not_completed, update_suspended_nodes};
use crate::error::Result;

/// Stops a workflow, or fails the selected suspend nodes with `message`.
pub fn stop(
    wf: &Workflow,
    selector: &NodeSelector,
    message: &str,
    now: Timestamp,
) -> Result<Workflow> {
    if !selector.is_empty() {
        let update = NodeUpdate {
            phase: Some(NodePhase::Failed),
            message: Some(message.to_owned()),
            ..NodeUpdate::default()
        };
        return update_suspended_nodes(wf, selector, &update, now);
    }
    ensure_not_completed(
        wf,
        &format!(
            "cannot shutdown a completed workflow: workflow: {:?}, namespace: {:?}",
            wf.name(),
            wf.namespace()
        ),
    )?;
    let mut next = wf.clone();
    next.spec.shutdown = Some(ShutdownStrategy::Stop);
    Ok(next)
}
