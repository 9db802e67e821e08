//! Test set-up the `svc-*` crates share, behind the `testing` feature: one or more tonic
//! services behind the real gateway in local mode, and REST calls against it that answer with
//! the status and the JSON body.
//!
//! Must not: be compiled into a binary (only dev-dependencies turn the feature on), or hold
//! assertions about any one service.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::ConnectInfo;
use gateway::{AuthMode, Backends, GatewayState, ModeAuthenticator, Settings};
use http::{Request, StatusCode};
use http_body_util::BodyExt as _;
use serde_json::Value;
use tower::ServiceExt as _;

/// The gateway's router in local mode over `routes`, with server auth (no token needed).
pub async fn local_gateway(routes: tonic::service::Routes) -> axum::Router {
    let state = GatewayState::new(
        Settings::default(),
        Backends::local(routes),
        Arc::new(ModeAuthenticator::new(vec![AuthMode::Server])),
    )
    .await
    .expect("gateway state");
    gateway::router(state)
}

/// Sends `body` as JSON to `method uri`; answers the status and the body as JSON
/// (`Value::Null` when it is not JSON).
pub async fn call_raw(
    router: &axum::Router,
    method: &str,
    uri: &str,
    body: Body,
) -> (StatusCode, Value) {
    let request = Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", "application/json")
        .body(body)
        .expect("request");
    send(router, request).await
}

/// Sends a request built by the caller (for extra headers) from a loopback peer; answers the
/// status and the body as JSON (`Value::Null` when it is not JSON).
pub async fn send(router: &axum::Router, mut request: Request<Body>) -> (StatusCode, Value) {
    let peer: SocketAddr = "127.0.0.1:40000".parse().expect("address");
    request.extensions_mut().insert(ConnectInfo(peer));
    let response = router.clone().oneshot(request).await.expect("infallible");
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

/// [`call_raw`] with a JSON body, or an empty one for `None`.
pub async fn call(
    router: &axum::Router,
    method: &str,
    uri: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let body = match body {
        Some(json) => json_body(json),
        None => Body::empty(),
    };
    call_raw(router, method, uri, body).await
}

/// `value` as a request body.
pub fn json_body(value: Value) -> Body {
    Body::from(value.to_string())
}

/// `GET uri` with no body.
pub async fn get(router: &axum::Router, uri: &str) -> (StatusCode, Value) {
    call(router, "GET", uri, None).await
}

/// `DELETE uri` with no body.
pub async fn delete(router: &axum::Router, uri: &str) -> (StatusCode, Value) {
    call(router, "DELETE", uri, None).await
}

/// `POST uri` with a JSON body.
pub async fn post(router: &axum::Router, uri: &str, body: Value) -> (StatusCode, Value) {
    call(router, "POST", uri, Some(body)).await
}

/// `PUT uri` with a JSON body.
pub async fn put(router: &axum::Router, uri: &str, body: Value) -> (StatusCode, Value) {
    call(router, "PUT", uri, Some(body)).await
}
