//! REST to gRPC: one handler for every `/api/...` call.
//!
//! It finds the binding for the verb and path, builds the request message from the body, the
//! path variables and the query (grpc-gateway v1's rules, via `argo_proto`), calls the method
//! through the service's tower backend with a dynamic codec, and writes the answer as Argo's
//! Kubernetes-style JSON (or a stream, see `stream`). Failures become gRPC statuses and go
//! through the one table in `errors`. It must not contain any per-service logic.

use std::sync::Arc;

use axum::body::Body;
use axum::response::Response;
use futures::future::BoxFuture;
use http::{HeaderValue, Method, header};
use http_body_util::BodyExt as _;
use prost_reflect::{DynamicMessage, MethodDescriptor};
use tonic::Status;
use tonic::metadata::MetadataValue;

use crate::auth::Credentials;
use crate::codec::DynamicCodec;
use crate::errors::status_response;
use crate::fields::FieldFilter;
use crate::routes::parse_query;
use crate::stream::{Framing, stream_response};
use crate::{GatewayState, backend::GrpcBackend};
use argo_proto::{HttpBody, HttpVerb};

/// The largest message accepted or returned, as Argo's `MaxGRPCMessageSize`.
pub const MAX_MESSAGE_SIZE: usize = 100 * 1024 * 1024;

/// Serves one REST request whose path (base href removed) starts with `/api/`.
pub async fn handle_rest(state: Arc<GatewayState>, request: http::Request<Body>) -> Response {
    match transcode(&state, request).await {
        Ok(response) => response,
        Err(status) => status_response(&status),
    }
}

fn verb_of(method: &Method) -> Option<HttpVerb> {
    match *method {
        Method::GET => Some(HttpVerb::Get),
        Method::POST => Some(HttpVerb::Post),
        Method::PUT => Some(HttpVerb::Put),
        Method::DELETE => Some(HttpVerb::Delete),
        Method::PATCH => Some(HttpVerb::Patch),
        _ => None,
    }
}

async fn transcode(state: &GatewayState, request: http::Request<Body>) -> Result<Response, Status> {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path();
    let found = verb_of(&parts.method).and_then(|verb| state.routes.find(verb, path));
    let Some(found) = found else {
        if state.routes.matches_any_verb(path) {
            return Err(Status::unimplemented("Method Not Allowed"));
        }
        return Err(Status::not_found("Not Found"));
    };
    let credentials = state.authenticator.authenticate(&parts.headers).await?;

    let query = parse_query(parts.uri.query().unwrap_or(""));
    let fields = query
        .iter()
        .find(|(key, _)| key == "fields")
        .and_then(|(_, values)| values.first())
        .and_then(|fields| FieldFilter::parse(fields));

    let body_json = if found.binding.body == HttpBody::None {
        None
    } else {
        read_json_body(body, state.settings.max_request_bytes).await?
    };
    let path_variables: Vec<(&str, &str)> = found
        .variables
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    let query_params: Vec<(&str, Vec<&str>)> = query
        .iter()
        .map(|(key, values)| (key.as_str(), values.iter().map(String::as_str).collect()))
        .collect();
    let message = found
        .binding
        .request_message(body_json.as_ref(), &path_variables, &query_params)
        .map_err(|error| Status::invalid_argument(error.to_string()))?;

    let method = found.binding.method.clone();
    let service_name = method.parent_service().full_name().to_owned();
    let backend = state
        .backends
        .for_service(&service_name)
        .ok_or_else(|| Status::unavailable(format!("no backend serves {service_name}")))?;
    let request = grpc_request(message, &credentials, &parts.headers)?;

    if method.is_server_streaming() {
        let framing = Framing::for_accept(
            parts
                .headers
                .get(header::ACCEPT)
                .and_then(|accept| accept.to_str().ok()),
        );
        let messages = call_server_streaming(backend, method, request).await?;
        return Ok(stream_response(
            messages,
            framing,
            fields,
            state.settings.keep_alive,
        ));
    }
    let fields_text = fields_parameter(&query);
    // Reads are answered the same bytes again and again: their JSON is cached by those bytes.
    let json = if parts.method == Method::GET {
        let proto = crate::rendered::call_unary_raw(backend, &method, request).await?;
        crate::rendered::read_json(
            &state.rendered,
            &method,
            proto,
            fields.as_ref(),
            fields_text,
        )?
    } else {
        let reply = call_unary(backend, method, request).await?;
        crate::rendered::render(&reply, fields.as_ref())
    };
    let mut response = Response::new(Body::from(json));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Ok(response)
}

/// The raw `fields` query parameter, as the rendered-answer cache keys on it.
fn fields_parameter(query: &[(String, Vec<String>)]) -> &str {
    query
        .iter()
        .find(|(key, _)| key == "fields")
        .and_then(|(_, values)| values.first())
        .map_or("", String::as_str)
}

/// The gRPC request for a transcoded call: the caller's credentials, plus every `X-` header as
/// metadata (the event service exposes those to binding selectors as `metadata`, as Argo does;
/// other headers, such as cookies, stay behind).
fn grpc_request(
    message: DynamicMessage,
    credentials: &Credentials,
    headers: &http::HeaderMap,
) -> Result<tonic::Request<DynamicMessage>, Status> {
    let mut request = tonic::Request::new(message);
    for (name, value) in headers {
        if !name.as_str().starts_with("x-") {
            continue;
        }
        let key = tonic::metadata::MetadataKey::from_bytes(name.as_str().as_bytes());
        let value = value
            .to_str()
            .ok()
            .and_then(|text| MetadataValue::try_from(text).ok());
        if let (Ok(key), Some(value)) = (key, value) {
            request.metadata_mut().append(key, value);
        }
    }
    if let Some(authorization) = credentials.authorization() {
        let value: MetadataValue<_> = authorization
            .parse()
            .map_err(|_| Status::unauthenticated(crate::auth::TOKEN_NOT_VALID))?;
        request.metadata_mut().insert("authorization", value);
    }
    Ok(request)
}

pub(crate) fn grpc_path(method: &MethodDescriptor) -> Result<http::uri::PathAndQuery, Status> {
    let path = format!("/{}/{}", method.parent_service().full_name(), method.name());
    http::uri::PathAndQuery::try_from(path).map_err(|error| Status::internal(error.to_string()))
}

pub(crate) async fn ready_client(
    backend: GrpcBackend,
) -> Result<tonic::client::Grpc<GrpcBackend>, Status> {
    let mut client = tonic::client::Grpc::new(backend)
        .max_decoding_message_size(MAX_MESSAGE_SIZE)
        .max_encoding_message_size(MAX_MESSAGE_SIZE);
    client
        .ready()
        .await
        .map_err(|error| Status::unavailable(error.to_string()))?;
    Ok(client)
}

/// Calls a unary method through a backend.
///
/// The future is boxed so its `Send`-ness is checked here, with concrete types (tonic's
/// generic client otherwise trips higher-ranked lifetime inference in callers).
///
/// # Errors
/// The status the service answered, or `Unavailable` when the backend is not reachable.
pub fn call_unary(
    backend: GrpcBackend,
    method: MethodDescriptor,
    request: tonic::Request<DynamicMessage>,
) -> BoxFuture<'static, Result<DynamicMessage, Status>> {
    Box::pin(async move {
        let path = grpc_path(&method)?;
        let mut client = ready_client(backend).await?;
        let codec = DynamicCodec::new(method.output());
        let response = client.unary(request, path, codec).await?;
        Ok(response.into_inner())
    })
}

/// Calls a server-streaming method through a backend.
///
/// # Errors
/// The status the service answered before the first message.
pub fn call_server_streaming(
    backend: GrpcBackend,
    method: MethodDescriptor,
    request: tonic::Request<DynamicMessage>,
) -> BoxFuture<'static, Result<tonic::Streaming<DynamicMessage>, Status>> {
    Box::pin(async move {
        let path = grpc_path(&method)?;
        let mut client = ready_client(backend).await?;
        let codec = DynamicCodec::new(method.output());
        let response = client.server_streaming(request, path, codec).await?;
        Ok(response.into_inner())
    })
}

/// The request body as JSON, `None` when blank. A body over `limit` bytes (counted as it
/// arrives, so it is never held whole) and malformed JSON are `InvalidArgument` naming the
/// limit or the parse position.
async fn read_json_body(body: Body, limit: usize) -> Result<Option<serde_json::Value>, Status> {
    let bytes = http_body_util::Limited::new(body, limit)
        .collect()
        .await
        .map_err(|error| {
            if error.is::<http_body_util::LengthLimitError>() {
                Status::invalid_argument(format!(
                    "request body is larger than the limit of {limit} bytes (--max-request-bytes)"
                ))
            } else {
                Status::invalid_argument(format!("the request body could not be read: {error}"))
            }
        })?
        .to_bytes();
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    serde_json::from_slice(&bytes).map(Some).map_err(|error| {
        Status::invalid_argument(format!("malformed JSON in the request body: {error}"))
    })
}
