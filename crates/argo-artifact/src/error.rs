//! The crate's error type. Messages name the artifact, key or path involved.

use std::path::PathBuf;

/// What went wrong moving an artifact.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The object does not exist in the repository.
    #[error("key {key} does not exist in bucket {bucket}")]
    NotFound { bucket: String, key: String },
    /// The key cannot name an object (empty, absolute, `..`).
    #[error("invalid artifact key {key:?}: {reason}")]
    InvalidKey { key: String, reason: &'static str },
    /// The artifact's location kind has no driver here yet.
    #[error("artifact {name:?}: {kind} artifacts are not supported in local mode yet")]
    Unsupported { name: String, kind: String },
    /// The artifact names no location and there is no default repository to put it in.
    #[error("artifact {name:?} has no location and no default artifact repository is configured")]
    NoLocation { name: String },
    /// A `keyFormat` refers to a variable that has no value.
    #[error("key format {format:?}: unknown or unset variable {variable:?}")]
    KeyFormat { format: String, variable: String },
    /// A `subPath` leaves the artifact or does not exist in it.
    #[error("artifact {name:?}: sub path {sub_path:?} {reason}")]
    SubPath {
        name: String,
        sub_path: String,
        reason: &'static str,
    },
    /// The `none` archive strategy cannot hold a directory as one object.
    #[error("{path}: {reason}")]
    Archive { path: PathBuf, reason: String },
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

    /// True when the object does not exist (optional artifacts are skipped then).
    pub fn is_not_found(&self) -> bool {
        matches!(self, Error::NotFound { .. })
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
