//! The crate's one error type: what can stop the server from starting or running.
//!
//! Must not: carry API errors (the services answer those as gRPC statuses).

use std::path::PathBuf;

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An option has a value the server cannot use; `option` is the flag's name.
    #[error("{option}: {reason}")]
    InvalidOption {
        option: &'static str,
        reason: String,
    },
    /// The controller configmap is not in Argo's shape, or names keys this server rejects.
    #[error("controller configmap {origin}: {reason}")]
    Configmap { origin: String, reason: String },
    /// A `--manifests` file or document cannot be applied; `origin` names the file and document.
    #[error("manifest {origin}: {reason}")]
    Manifest { origin: String, reason: String },
    /// A file could not be read.
    #[error("reading {path}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The port could not be bound.
    #[error("binding {address}")]
    Bind {
        address: String,
        #[source]
        source: std::io::Error,
    },
    /// The embedded store, the runtime or the controller failed.
    #[error(transparent)]
    Controller(#[from] controller::Error),
    /// The store failed while reading the server's own settings.
    #[error(transparent)]
    Store(#[from] argo_store::Error),
    /// The gateway could not be built or its listener failed.
    #[error(transparent)]
    Gateway(#[from] gateway::Error),
    /// A background task of the server panicked or was cancelled.
    #[error("the {task} task ended abnormally: {reason}")]
    Task { task: &'static str, reason: String },
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
