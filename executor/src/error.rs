//! The executor's error type.

use std::path::PathBuf;

/// What went wrong in one executor step.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A required environment variable is missing or malformed.
    #[error("environment variable {name}: {reason}")]
    Config { name: &'static str, reason: String },
    /// The template in ARGO_TEMPLATE or /var/run/argo/template cannot be read.
    #[error("reading the template: {0}")]
    Template(String),
    /// An artifact could not be loaded or saved.
    #[error(transparent)]
    Artifact(#[from] argo_artifact::Error),
    /// The store refused or failed the task result.
    #[error("reporting the task result: {0}")]
    Store(#[from] argo_store::Error),
    /// An output could not be collected (Argo's wording).
    #[error("{0}")]
    Output(String),
    /// The main command could not be started.
    #[error("starting {command:?}: {source}")]
    Start {
        command: String,
        #[source]
        source: std::io::Error,
    },
    /// A filesystem operation failed.
    #[error("{action} {path}: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    /// Wraps an I/O error with what was being done to which path.
    pub fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
    ) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| Error::Io {
            action,
            path,
            source,
        }
    }
}

/// The executor's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
