//! The controller's error type. Must not: carry panics or strings where a variant fits.

/// What went wrong in the controller.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("store: {0}")]
    Store(#[from] argo_store::Error),
    #[error("pod runtime: {0}")]
    Runtime(#[from] argo_runtime::Error),
    #[error("invalid controller configuration: {0}")]
    Config(String),
    #[error("reading {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("encoding {what}: {source}")]
    Json {
        what: &'static str,
        #[source]
        source: serde_json::Error,
    },
    #[error("the controller stopped")]
    Stopped,
}

/// The controller's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
