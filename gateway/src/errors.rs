//! The gateway's error type and the one table from gRPC codes to HTTP statuses.
//!
//! The table is grpc-gateway v1's `HTTPStatusFromCode`, which Argo's REST face uses; the body
//! is the JSON of the `google.rpc.Status` the service returned (Argo registers grpc-gateway's
//! proto error handler), marshalled with Go's `encoding/json`, so `code` and `message` are
//! omitted when empty and `details` is omitted when there are none. This module must not
//! invent statuses of its own: every failure the gateway reports goes through a gRPC code.

use axum::body::Body;
use axum::response::Response;
use http::{StatusCode, header};
use tonic::Code;

/// Everything the gateway library can fail at outside a request.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The schema the routes are built from did not load.
    #[error("the API schema could not be read")]
    Schema(#[source] argo_proto::Error),
    /// A path template in the schema is not one the router understands.
    #[error("the path template {template} is malformed")]
    PathTemplate { template: String },
    /// The TLS certificate or key could not be read or used.
    #[error("TLS setup failed: {reason}")]
    Tls { reason: String },
    /// A certificate could not be generated.
    #[error("the self-signed certificate could not be generated")]
    CertificateGeneration(#[source] rcgen::Error),
    /// A file could not be read.
    #[error("could not read {path}")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// The listener could not bind or accept.
    #[error("the listener failed")]
    Listen(#[source] std::io::Error),
    /// A service address is not a valid URI.
    #[error("the service address {address} is invalid")]
    ServiceAddress {
        address: String,
        #[source]
        source: tonic::transport::Error,
    },
    /// gRPC reflection could not be built from the descriptor set.
    #[error("gRPC reflection could not be built")]
    Reflection(#[source] tonic_reflection::server::Error),
    /// The configuration is inconsistent.
    #[error("invalid configuration: {reason}")]
    Config { reason: String },
}

/// Result with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The HTTP status grpc-gateway v1 answers for a gRPC code.
pub fn http_status_for(code: Code) -> StatusCode {
    match code {
        Code::Ok => StatusCode::OK,
        Code::Cancelled => StatusCode::REQUEST_TIMEOUT,
        Code::Unknown | Code::Internal | Code::DataLoss => StatusCode::INTERNAL_SERVER_ERROR,
        Code::InvalidArgument | Code::FailedPrecondition | Code::OutOfRange => {
            StatusCode::BAD_REQUEST
        }
        Code::DeadlineExceeded => StatusCode::GATEWAY_TIMEOUT,
        Code::NotFound => StatusCode::NOT_FOUND,
        Code::AlreadyExists | Code::Aborted => StatusCode::CONFLICT,
        Code::PermissionDenied => StatusCode::FORBIDDEN,
        Code::Unauthenticated => StatusCode::UNAUTHORIZED,
        Code::ResourceExhausted => StatusCode::TOO_MANY_REQUESTS,
        Code::Unimplemented => StatusCode::NOT_IMPLEMENTED,
        Code::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
    }
}

/// The JSON body Argo writes for a failed call: the `google.rpc.Status` with Go's omitempty.
pub fn status_json(status: &tonic::Status) -> serde_json::Value {
    let mut body = serde_json::Map::new();
    let code = status.code() as i32;
    if code != 0 {
        body.insert("code".to_owned(), code.into());
    }
    if !status.message().is_empty() {
        body.insert("message".to_owned(), status.message().into());
    }
    serde_json::Value::Object(body)
}

/// A complete REST error response for a gRPC status.
pub fn status_response(status: &tonic::Status) -> Response {
    let body = status_json(status).to_string();
    Response::builder()
        .status(http_status_for(status.code()))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body))
        .expect("a status code and a static header always build a response")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_map_to_grpc_gateway_statuses() {
        assert_eq!(http_status_for(Code::NotFound), StatusCode::NOT_FOUND);
        assert_eq!(http_status_for(Code::AlreadyExists), StatusCode::CONFLICT);
        assert_eq!(
            http_status_for(Code::FailedPrecondition),
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            http_status_for(Code::Cancelled),
            StatusCode::REQUEST_TIMEOUT
        );
        assert_eq!(
            http_status_for(Code::Unauthenticated),
            StatusCode::UNAUTHORIZED
        );
    }

    #[test]
    fn status_body_has_code_and_message_and_omits_empty_fields() {
        let status = tonic::Status::not_found("workflows.argoproj.io \"x\" not found");
        assert_eq!(
            status_json(&status),
            serde_json::json!({"code": 5, "message": "workflows.argoproj.io \"x\" not found"})
        );
        let empty = tonic::Status::unknown("");
        assert_eq!(status_json(&empty), serde_json::json!({"code": 2}));
    }
}
