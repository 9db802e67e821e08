//! The error-code table. Argo's server turns Kubernetes API errors into gRPC codes by their HTTP
//! status (404 NotFound, 409 AlreadyExists — conflicts included —, 400 and other 4xx
//! InvalidArgument, 5xx Internal) and any other error into the code the handler chose, mostly
//! Internal. We keep that table, and its inverse for the gateway (grpc-gateway's mapping).
//!
//! Must not: decide which handler reports what; handlers pick the variant.

use tonic::{Code, Status};

/// Why an API call failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The store refused or failed.
    #[error(transparent)]
    Store(#[from] argo_store::Error),

    /// The request or the object in it is not acceptable (lint failures carry Argo's message).
    #[error("{message}")]
    InvalidArgument { message: String },

    /// Something the request names does not exist (outside the store: a pod, a template).
    #[error("{message}")]
    NotFound { message: String },

    /// Something the request would create exists already (outside the store's own objects: a
    /// key in a ConfigMap, a sync limit).
    #[error("{message}")]
    AlreadyExists { message: String },

    /// A workflow operation (retry, stop, set...) cannot apply to the workflow as it is.
    #[error("{0}")]
    Operation(#[from] argo_engine::Error),

    /// The caller may not do this.
    #[error("{message}")]
    PermissionDenied { message: String },

    /// A message could not be converted between the domain model and protobuf.
    #[error("{message}")]
    Conversion { message: String },

    /// Anything else that went wrong on the server's side.
    #[error("{message}")]
    Internal { message: String },
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn invalid_argument(message: impl Into<String>) -> Self {
        Self::InvalidArgument {
            message: message.into(),
        }
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::NotFound {
            message: message.into(),
        }
    }

    pub fn already_exists(message: impl Into<String>) -> Self {
        Self::AlreadyExists {
            message: message.into(),
        }
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::Internal {
            message: message.into(),
        }
    }

    pub fn conversion(message: impl Into<String>) -> Self {
        Self::Conversion {
            message: message.into(),
        }
    }

    /// The gRPC code Argo's server answers with for this error.
    pub fn code(&self) -> Code {
        match self {
            Self::Store(store) => store_code(store),
            Self::InvalidArgument { .. } => Code::InvalidArgument,
            Self::NotFound { .. } => Code::NotFound,
            Self::AlreadyExists { .. } => Code::AlreadyExists,
            Self::PermissionDenied { .. } => Code::PermissionDenied,
            Self::Operation(_) | Self::Conversion { .. } | Self::Internal { .. } => Code::Internal,
        }
    }

    /// The message the client sees: Kubernetes wording for store errors, as Argo relays them.
    pub fn client_message(&self) -> String {
        match self {
            Self::Store(store) => store_message(store),
            other => other.to_string(),
        }
    }
}

/// Kubernetes' status codes for store errors, through Argo's HTTP-to-gRPC table.
fn store_code(error: &argo_store::Error) -> Code {
    use argo_store::Error as E;
    match error {
        E::NotFound { .. } => Code::NotFound,
        // Argo maps HTTP 409 to AlreadyExists, so a stale resourceVersion reads the same way.
        E::AlreadyExists { .. } | E::Conflict { .. } => Code::AlreadyExists,
        // 410 Gone and 400/422 fall into Argo's "other 4xx" bucket.
        E::Expired { .. }
        | E::InvalidSelector { .. }
        | E::InvalidResourceVersion { .. }
        | E::InvalidContinueToken { .. }
        | E::InvalidObject { .. } => Code::InvalidArgument,
        E::Serialization(_) | E::Backend { .. } => Code::Internal,
    }
}

/// The text the Kubernetes API server would give (`workflows.argoproj.io "x" not found`).
fn store_message(error: &argo_store::Error) -> String {
    use argo_store::Error as E;
    match error {
        E::NotFound { kind, name, .. } => format!("{} \"{name}\" not found", resource(kind)),
        E::AlreadyExists { kind, name, .. } => {
            format!("{} \"{name}\" already exists", resource(kind))
        }
        E::Conflict {
            kind,
            name,
            message,
            ..
        } => format!(
            "Operation cannot be fulfilled on {} \"{name}\": {message}",
            resource(kind)
        ),
        other => other.to_string(),
    }
}

/// `plural.group` for the kinds services name in errors.
fn resource(kind: &str) -> String {
    match kind {
        "Workflow" => "workflows.argoproj.io".into(),
        "WorkflowTemplate" => "workflowtemplates.argoproj.io".into(),
        "ClusterWorkflowTemplate" => "clusterworkflowtemplates.argoproj.io".into(),
        "CronWorkflow" => "cronworkflows.argoproj.io".into(),
        "WorkflowEventBinding" => "workfloweventbindings.argoproj.io".into(),
        "Event" => "events".into(),
        "Pod" => "pods".into(),
        "ConfigMap" => "configmaps".into(),
        "Secret" => "secrets".into(),
        other => format!("{}s", other.to_ascii_lowercase()),
    }
}

impl From<Error> for Status {
    fn from(error: Error) -> Self {
        let code = error.code();
        if code == Code::Internal {
            tracing::warn!(error = %error, "request failed");
        }
        Status::new(code, error.client_message())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_workflow_is_not_found_in_kubernetes_words() {
        let error = Error::from(argo_store::Error::NotFound {
            kind: "Workflow".into(),
            namespace: Some("argo".into()),
            name: "hello".into(),
        });
        let status = Status::from(error);
        assert_eq!(status.code(), Code::NotFound);
        assert_eq!(
            status.message(),
            "workflows.argoproj.io \"hello\" not found"
        );
    }

    #[test]
    fn a_stale_write_reads_as_already_exists_like_argo() {
        let error = Error::from(argo_store::Error::Conflict {
            kind: "Workflow".into(),
            namespace: Some("argo".into()),
            name: "hello".into(),
            message: "stale".into(),
        });
        assert_eq!(error.code(), Code::AlreadyExists);
    }

    #[test]
    fn lint_failures_are_invalid_arguments_with_the_message() {
        let status = Status::from(Error::invalid_argument("templates is required"));
        assert_eq!(status.code(), Code::InvalidArgument);
        assert_eq!(status.message(), "templates is required");
    }

    #[test]
    fn existing_non_store_things_are_already_exists_with_the_message() {
        let status = Status::from(Error::already_exists("sync limit exists"));
        assert_eq!(status.code(), Code::AlreadyExists);
        assert_eq!(status.message(), "sync limit exists");
    }

    #[test]
    fn operation_errors_are_internal_as_argo_reports_them() {
        let error = Error::from(argo_engine::Error::msg("cannot retry"));
        assert_eq!(error.code(), Code::Internal);
        assert_eq!(error.client_message(), "cannot retry");
    }

    #[test]
    fn expired_watches_are_invalid_arguments() {
        let error = Error::from(argo_store::Error::Expired {
            requested: "1".into(),
            compacted_through: "5".into(),
        });
        assert_eq!(error.code(), Code::InvalidArgument);
    }
}
