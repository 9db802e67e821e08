//! The crate's one error type. Variants name what failed; system errors keep their source.

use std::path::PathBuf;

/// Result with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything the runtime can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A pod without `metadata.name`, or with a name that cannot be a directory name.
    #[error("invalid pod: {reason}")]
    InvalidPod { reason: String },
    /// No pod with this namespace and name exists.
    #[error("pod {namespace}/{name} not found")]
    PodNotFound { namespace: String, name: String },
    /// The pod has no container with this name.
    #[error("pod {namespace}/{name} has no container {container}")]
    ContainerNotFound {
        namespace: String,
        name: String,
        container: String,
    },
    /// The sandbox cannot be created by this process.
    #[error(
        "the local runtime's sandbox is unavailable: {reason}. It needs root (CAP_SYS_ADMIN) to \
         create mount, PID and UTS namespaces and overlay mounts; run as root, or choose the \
         unsandboxed mode (Sandbox::None), where pods run as plain processes that share the \
         host filesystem"
    )]
    SandboxUnavailable { reason: String },
    /// The supervisor program could not be found or started.
    #[error("cannot start the pod supervisor {program}: {source}")]
    SupervisorSpawn {
        program: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A file of the runtime's state directory could not be read or written.
    #[error("{action} {path}: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A state file exists but does not parse.
    #[error("corrupt state file {path}: {source}")]
    CorruptState {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    /// Signalling a process failed for a reason other than it being gone.
    #[error("cannot signal process group {pgid}: {source}")]
    Signal {
        pgid: i32,
        #[source]
        source: nix::Error,
    },
    /// A blocking task of the runtime panicked or was cancelled.
    #[error("runtime task failed: {0}")]
    Task(String),
}

impl Error {
    /// Wraps an I/O error with the action and the path it concerned.
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
    ) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| Self::Io {
            action,
            path,
            source,
        }
    }
}
