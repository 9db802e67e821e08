//! `argo suspend`: stop scheduling new work (`spec.suspend: true`); running pods carry on.
//!
//! Must not: touch nodes.

use argo_core::Workflow;

use super::ensure_not_completed;
use crate::error::Result;

/// Suspends a running workflow.
pub fn suspend(wf: &Workflow) -> Result<Workflow> {
    ensure_not_completed(wf, "cannot suspend completed workflows")?;
    let mut next = wf.clone();
    next.spec.suspend = Some(true);
    Ok(next)
}
