//! The API client every server-backed command uses: one `call`/`stream` taking the method's
//! name and a request in Argo's REST JSON, answered over gRPC (default) or REST
//! (`--argo-http1`). Requests and responses are converted with the schema's descriptor set, so
//! commands work in the same JSON the REST API and `-o json` show.
//! Must not: know any command's flags or output; it only moves messages.

mod connection;
mod grpc;
mod options;
mod rest;

use std::sync::OnceLock;

use futures::StreamExt as _;
use futures::stream::BoxStream;
use prost::Message as _;
use prost_reflect::{DynamicMessage, MethodDescriptor};
use serde_json::Value as Json;

pub use options::ClientArgs;

use connection::Dialer;
use grpc::GrpcTransport;
use rest::RestTransport;

/// What went wrong talking to the server.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("failed to connect to the Argo Server at {address}: {reason}")]
    Unreachable { address: String, reason: String },
    #[error("rpc error: code = {code} desc = {message}")]
    Server { code: String, message: String },
    #[error("TLS: {0}")]
    Tls(String),
    #[error("invalid header: {0}")]
    BadHeader(String),
    #[error("transport error: {0}")]
    Transport(String),
    #[error("API schema: {0}")]
    Schema(String),
}

impl ClientError {
    /// Whether the server answered that the object does not exist.
    pub fn is_not_found(&self) -> bool {
        matches!(self, ClientError::Server { code, .. } if code == "NotFound")
    }
}

/// A stream of JSON responses.
pub type JsonStream = BoxStream<'static, Result<Json, ClientError>>;

#[derive(Debug, Clone)]
enum Transport {
    Grpc(GrpcTransport),
    Rest(RestTransport),
}

/// A connected client.
#[derive(Debug, Clone)]
pub struct ApiClient {
    transport: Transport,
    /// The namespace commands use when they name none.
    pub namespace: String,
    /// The `authorization` value sent, if any (what `argo auth token` prints).
    pub token: Option<String>,
}

impl ApiClient {
    /// Connects with the global flags.
    pub async fn connect(args: &ClientArgs) -> Result<Self, ClientError> {
        let settings = args.settings()?;
        let tls = if settings.secure {
            let alpn: &[u8] = if settings.http1 { b"http/1.1" } else { b"h2" };
            let verification = argo_tls::Verification::skipped_when(settings.insecure_skip_verify);
            let config = argo_tls::client_config(verification, alpn).map_err(|e| match e {
                argo_tls::Error::NoTrustBundle => ClientError::Tls(format!(
                    "{e}: set SSL_CERT_FILE or use --insecure-skip-verify"
                )),
                other => ClientError::Tls(other.to_string()),
            })?;
            Some(config)
        } else {
            None
        };
        let dialer = Dialer {
            address: settings.server.clone(),
            tls,
        };
        let mut headers = settings.headers.clone();
        if let Some(token) = &settings.token {
            headers.push(("Authorization".to_owned(), token.clone()));
        }
        let transport = if settings.http1 {
            Transport::Rest(RestTransport {
                dialer,
                base_href: settings.base_href.clone(),
                headers,
            })
        } else {
            Transport::Grpc(GrpcTransport::connect(dialer, headers).await?)
        };
        Ok(Self {
            transport,
            namespace: settings.namespace,
            token: settings.token,
        })
    }

    /// Calls a unary method, e.g. `call("workflow.WorkflowService.GetWorkflow", json!({...}))`.
    pub async fn call(&self, method: &str, request: Json) -> Result<Json, ClientError> {
        let descriptor = method_descriptor(method)?;
        match &self.transport {
            Transport::Grpc(grpc) => {
                let body = encode(&descriptor, &request)?;
                let answer = grpc.unary(&grpc_path(&descriptor), body).await?;
                decode(&descriptor, &answer)
            }
            Transport::Rest(rest) => rest.unary(&rest_call(&descriptor, &request)?).await,
        }
    }

    /// Calls a server-streaming method.
    pub async fn stream(&self, method: &str, request: Json) -> Result<JsonStream, ClientError> {
        let descriptor = method_descriptor(method)?;
        match &self.transport {
            Transport::Grpc(grpc) => {
                let body = encode(&descriptor, &request)?;
                let frames = grpc.server_streaming(&grpc_path(&descriptor), body).await?;
                Ok(frames
                    .map(move |frame| frame.and_then(|bytes| decode(&descriptor, &bytes)))
                    .boxed())
            }
            Transport::Rest(rest) => rest.stream(&rest_call(&descriptor, &request)?).await,
        }
    }
}

fn method_descriptor(method: &str) -> Result<MethodDescriptor, ClientError> {
    let pool = argo_proto::descriptor_pool().map_err(|e| ClientError::Schema(e.to_string()))?;
    let (service, name) = method
        .rsplit_once('.')
        .ok_or_else(|| ClientError::Schema(format!("not a method name: {method}")))?;
    pool.get_service_by_name(service)
        .and_then(|service| service.methods().find(|m| m.name() == name))
        .ok_or_else(|| ClientError::Schema(format!("no method {method}")))
}

fn grpc_path(method: &MethodDescriptor) -> String {
    format!("/{}/{}", method.parent_service().full_name(), method.name())
}

fn encode(method: &MethodDescriptor, request: &Json) -> Result<Vec<u8>, ClientError> {
    let message = argo_proto::json_to_message(&method.input(), request)
        .map_err(|e| ClientError::Schema(format!("request {}: {e}", method.name())))?;
    Ok(message.encode_to_vec())
}

fn decode(method: &MethodDescriptor, bytes: &[u8]) -> Result<Json, ClientError> {
    let message = DynamicMessage::decode(method.output(), bytes)
        .map_err(|e| ClientError::Schema(format!("response of {}: {e}", method.name())))?;
    Ok(argo_proto::message_to_json(&message))
}

fn rest_call(method: &MethodDescriptor, request: &Json) -> Result<rest::RestCall, ClientError> {
    static BINDINGS: OnceLock<Vec<argo_proto::HttpBinding>> = OnceLock::new();
    let bindings = match BINDINGS.get() {
        Some(bindings) => bindings,
        None => {
            let pool =
                argo_proto::descriptor_pool().map_err(|e| ClientError::Schema(e.to_string()))?;
            let found =
                argo_proto::http_bindings(pool).map_err(|e| ClientError::Schema(e.to_string()))?;
            BINDINGS.get_or_init(|| found)
        }
    };
    let binding = bindings
        .iter()
        .find(|binding| binding.method.full_name() == method.full_name())
        .ok_or_else(|| {
            ClientError::Schema(format!("{} has no REST binding", method.full_name()))
        })?;
    rest::rest_call(binding, request)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_are_found_by_their_full_name() {
        let method = method_descriptor("workflow.WorkflowService.GetWorkflow").unwrap();
        assert_eq!(grpc_path(&method), "/workflow.WorkflowService/GetWorkflow");
        let error = method_descriptor("workflow.WorkflowService.Nope").unwrap_err();
        assert!(error.to_string().contains("Nope"));
    }

    #[test]
    fn requests_round_trip_through_protobuf() {
        let method = method_descriptor("workflow.WorkflowService.StopWorkflow").unwrap();
        let request = serde_json::json!({"name": "w", "namespace": "argo", "message": "m"});
        let bytes = encode(&method, &request).unwrap();
        let back = argo_proto::message_to_json(
            &DynamicMessage::decode(method.input(), bytes.as_slice()).unwrap(),
        );
        assert_eq!(back, request);
    }
}
