//! The crate's single error type: why a node or the workflow could not proceed. Most errors
//! end up as a node's or the workflow's message rather than as a `Result` to the caller, since
//! `reconcile` itself never fails.
//!
//! Must not: carry non-data payloads.

/// What went wrong while operating a workflow.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Message(String),
    #[error("template {name} not found")]
    TemplateNotFound { name: String },
    #[error("{0}")]
    Expression(#[from] argo_expr::Error),
    #[error(
        "Maximum recursion depth exceeded. See https://argo-workflows.readthedocs.io/en/latest/scaling/#maximum-recursion-depth"
    )]
    MaxDepthExceeded,
    /// Template or workflow parallelism is reached; the node waits.
    #[error("Max parallelism reached")]
    ParallelismReached,
    /// A reference cannot be resolved yet; look again later.
    #[error("requeue")]
    Requeue,
    /// A template's `timeout` passed.
    #[error("{0}")]
    Timeout(String),
}

impl Error {
    /// An error with this message.
    pub fn msg(message: impl Into<String>) -> Self {
        Error::Message(message.into())
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
