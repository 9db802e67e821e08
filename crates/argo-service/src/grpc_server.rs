//! The gRPC server every service binary starts from: standard health (`grpc.health.v1`) with
//! each named service marked serving, and reflection (v1 and v1alpha) over the project's whole
//! descriptor set.
//!
//! Must not: add the service itself or bind sockets; the binary does both.

use tonic::transport::Server;
use tonic::transport::server::Router;
use tonic_health::ServingStatus;

use crate::{Error, Result};

/// A router already serving health and reflection; `services` (full gRPC names such as
/// `workflow.WorkflowService`) are reported as serving.
pub async fn base_router(services: &[&str]) -> Result<Router> {
    let (reporter, health) = tonic_health::server::health_reporter();
    for service in services {
        reporter
            .set_service_status(*service, ServingStatus::Serving)
            .await;
    }
    reporter
        .set_service_status("", ServingStatus::Serving)
        .await;
    let reflection = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(argo_proto::FILE_DESCRIPTOR_SET)
        .build_v1()
        .map_err(|error| Error::internal(format!("reflection service: {error}")))?;
    let reflection_alpha = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(argo_proto::FILE_DESCRIPTOR_SET)
        .build_v1alpha()
        .map_err(|error| Error::internal(format!("reflection service: {error}")))?;
    Ok(Server::builder()
        .add_service(health)
        .add_service(reflection)
        .add_service(reflection_alpha))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_base_router_builds_with_health_and_reflection() {
        let router = base_router(&["info.InfoService"]).await;
        assert!(router.is_ok());
    }
}
