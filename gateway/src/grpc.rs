//! The gRPC and gRPC-web face of the port: a proxy from the listener to the backends.
//!
//! Requests with `content-type: application/grpc*` are passed, frames untouched, to the
//! backend of the service named in the path; gRPC-web is translated by tonic-web first.
//! Reflection (v1 and v1alpha, from the schema's descriptor set) and `grpc.health.v1` are
//! answered here. Every call is authenticated like a REST call; a refusal is a trailers-only
//! gRPC status. This module never decodes messages.

use std::convert::Infallible;
use std::sync::Arc;

use axum::response::{IntoResponse as _, Response};
use tonic::body::Body as GrpcBody;
use tonic_health::ServingStatus;
use tonic_health::server::HealthReporter;
use tower::ServiceExt as _;

use crate::backend::service_of_grpc_path;
use crate::{Error, GatewayState, Result};

/// Reflection and health, served by the gateway itself.
pub struct GatewayServices {
    pub routes: tonic::service::Routes,
    pub health: HealthReporter,
}

/// Builds reflection and health, reporting every schema service as serving.
///
/// # Errors
/// [`Error::Reflection`] when the descriptor set does not load into reflection.
pub async fn gateway_services() -> Result<GatewayServices> {
    let reflection_v1 = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(argo_proto::FILE_DESCRIPTOR_SET)
        .build_v1()
        .map_err(Error::Reflection)?;
    let reflection_v1alpha = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(argo_proto::FILE_DESCRIPTOR_SET)
        .build_v1alpha()
        .map_err(Error::Reflection)?;
    let (health, health_service) = tonic_health::server::health_reporter();
    health.set_service_status("", ServingStatus::Serving).await;
    let pool = argo_proto::descriptor_pool().map_err(Error::Schema)?;
    for service in pool.services() {
        health
            .set_service_status(service.full_name(), ServingStatus::Serving)
            .await;
    }
    let routes = tonic::service::Routes::new(health_service)
        .add_service(reflection_v1)
        .add_service(reflection_v1alpha);
    Ok(GatewayServices { routes, health })
}

fn is_gateway_service(service: &str) -> bool {
    service.starts_with("grpc.reflection.") || service == "grpc.health.v1.Health"
}

/// Whether a request is gRPC or gRPC-web.
pub fn is_grpc(headers: &http::HeaderMap) -> bool {
    headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/grpc"))
}

async fn proxy(
    state: Arc<GatewayState>,
    request: http::Request<GrpcBody>,
) -> Result<http::Response<GrpcBody>, Infallible> {
    let Some(service) = service_of_grpc_path(request.uri().path()).map(str::to_owned) else {
        return Ok(tonic::Status::unimplemented("not a gRPC method path").into_http());
    };
    if is_gateway_service(&service) {
        let response = state.gateway_services.clone().oneshot(request).await;
        return Ok(response.unwrap_or_else(|never| match never {}));
    }
    if let Err(status) = state.authenticator.authenticate(request.headers()).await {
        return Ok(status.into_http());
    }
    let Some(backend) = state.backends.for_service(&service) else {
        return Ok(tonic::Status::unimplemented(format!("unknown service {service}")).into_http());
    };
    match backend.oneshot(request).await {
        Ok(response) => Ok(response),
        Err(error) => Ok(tonic::Status::unavailable(error.to_string()).into_http()),
    }
}

/// Serves a gRPC or gRPC-web request arriving at the listener.
pub async fn serve(state: Arc<GatewayState>, request: axum::extract::Request) -> Response {
    let inner =
        tower::service_fn(move |request: http::Request<GrpcBody>| proxy(state.clone(), request));
    let service = tonic_web::GrpcWebLayer::new().layer(inner);
    match service.oneshot(request.map(GrpcBody::new)).await {
        Ok(response) => response.map(axum::body::Body::new),
        Err(error) => tonic::Status::internal(error.to_string())
            .into_http::<GrpcBody>()
            .map(axum::body::Body::new)
            .into_response(),
    }
}

use tower::Layer as _;
