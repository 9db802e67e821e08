//! Argo's lint as a library: checks Workflow, WorkflowTemplate, ClusterWorkflowTemplate and
//! CronWorkflow documents the way `argo lint` does and reports diagnostics with field paths.
//!
//! Must not: perform I/O, read the clock or talk to a cluster; referenced templates come in
//! through the caller's context.

/// Everything that can fail while linting (not the lint findings themselves).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The lint input could not be read as YAML or JSON documents.
    #[error("cannot parse documents: {reason}")]
    Parse { reason: String },
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
