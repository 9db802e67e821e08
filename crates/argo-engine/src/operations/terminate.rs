//! `argo terminate`: shut the workflow down with strategy Terminate (exit handlers do not run).
//!
//! Must not: delete pods itself; the next reconcile stops them.

use argo_core::{ShutdownStrategy, Workflow};

use super::ensure_not_completed;
use crate::error::Result;

/// Terminates a workflow.
pub fn terminate(wf: &Workflow) -> Result<Workflow> {
    ensure_not_completed(
        wf,
        &format!(
            "cannot shutdown a completed workflow: workflow: {:?}, namespace: {:?}",
            wf.name(),
            wf.namespace()
        ),
    )?;
    let mut next = wf.clone();
    next.spec.shutdown = Some(ShutdownStrategy::Terminate);
    Ok(next)
}
