//! The crate's one error type. Each variant names what failed precisely enough for the API layer to
//! map it to a gRPC code and HTTP status (NotFound 404, AlreadyExists 409, Conflict 409, Expired
//! 410, invalid input 400/422, backend 500). This module only describes errors.

/// A storage failure.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No object has this key.
    #[error("{kind} {} not found", qualified(namespace.as_deref(), name))]
    NotFound {
        kind: String,
        namespace: Option<String>,
        name: String,
    },

    /// An object with this key exists already.
    #[error("{kind} {} already exists", qualified(namespace.as_deref(), name))]
    AlreadyExists {
        kind: String,
        namespace: Option<String>,
        name: String,
    },

    /// A precondition (resourceVersion or uid) did not hold: the caller's copy is stale.
    #[error("conflict on {kind} {}: {message}", qualified(namespace.as_deref(), name))]
    Conflict {
        kind: String,
        namespace: Option<String>,
        name: String,
        message: String,
    },

    /// The requested resourceVersion is older than the oldest retained event (Kubernetes' 410
    /// Gone): the client must list again and watch from the list's resourceVersion.
    #[error(
        "resourceVersion {requested} is too old: events up to {compacted_through} were compacted"
    )]
    Expired {
        requested: String,
        compacted_through: String,
    },

    /// A label or field selector could not be parsed or uses an unsupported field.
    #[error("invalid selector {selector:?}: {message}")]
    InvalidSelector { selector: String, message: String },

    /// A resourceVersion supplied by the client is not one this store issued.
    #[error("invalid resourceVersion {value:?}")]
    InvalidResourceVersion { value: String },

    /// A list continue token is malformed.
    #[error("invalid continue token: {message}")]
    InvalidContinueToken { message: String },

    /// The object cannot be stored as given (missing name, wrong kind, namespace rules...).
    #[error("invalid {kind} {name:?}: {message}")]
    InvalidObject {
        kind: String,
        name: String,
        message: String,
    },

    /// An object could not be converted to or from JSON.
    #[error("object (de)serialization failed")]
    Serialization(#[source] serde_json::Error),

    /// The database or other backend failed.
    #[error("storage backend failed while {operation}")]
    Backend {
        operation: &'static str,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

fn qualified(namespace: Option<&str>, name: &str) -> String {
    match namespace {
        Some(namespace) => format!("{namespace}/{name}"),
        None => name.to_owned(),
    }
}

impl Error {
    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::NotFound { .. })
    }

    /// A stale precondition: re-read the object and retry.
    pub fn is_conflict(&self) -> bool {
        matches!(self, Self::Conflict { .. })
    }

    pub fn is_already_exists(&self) -> bool {
        matches!(self, Self::AlreadyExists { .. })
    }

    /// The watch history is gone: list again and watch from the new list's revision.
    pub fn is_expired(&self) -> bool {
        matches!(self, Self::Expired { .. })
    }

    pub(crate) fn backend(
        operation: &'static str,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        Self::Backend {
            operation,
            source: Box::new(source),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_object_that_failed() {
        let namespaced = Error::NotFound {
            kind: "Workflow".into(),
            namespace: Some("argo".into()),
            name: "hello".into(),
        };
        assert_eq!(namespaced.to_string(), "Workflow argo/hello not found");
        assert!(namespaced.is_not_found());
        let cluster = Error::AlreadyExists {
            kind: "ClusterWorkflowTemplate".into(),
            namespace: None,
            name: "shared".into(),
        };
        assert_eq!(
            cluster.to_string(),
            "ClusterWorkflowTemplate shared already exists"
        );
        assert!(cluster.is_already_exists() && !cluster.is_conflict());
    }
}
