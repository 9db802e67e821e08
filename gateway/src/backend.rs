//! How the gateway reaches each gRPC service: one tower service per service name.
//!
//! In local mode every service is a tonic server object in this process and the backend is a
//! `tonic::service::Routes` built from them (no network hop); in distributed mode each
//! service has its own `tonic::transport::Channel`. Both are boxed into [`GrpcBackend`], so
//! the transcoder and the gRPC proxy never know which mode they run in. This module does not
//! look at request contents beyond the service name.

use std::collections::HashMap;
use std::convert::Infallible;

use tonic::body::Body;
use tower::util::BoxCloneSyncService;
use tower::{BoxError, ServiceExt as _};

use crate::{Error, Result};

/// A gRPC service as the gateway calls it: HTTP/2-shaped requests in, gRPC responses out.
pub type GrpcBackend = BoxCloneSyncService<http::Request<Body>, http::Response<Body>, BackendError>;

/// A backend that could not be reached (a transport failure, not a gRPC status).
///
/// A concrete type rather than a boxed trait object: tonic's generic client cannot prove
/// `Send` for its futures over `Box<dyn Error>` errors (a higher-ranked lifetime limitation).
#[derive(Debug)]
pub struct BackendError(pub BoxError);

impl std::fmt::Display for BackendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the service could not be reached: {}", self.0)
    }
}

impl std::error::Error for BackendError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.0.as_ref())
    }
}

/// The backends by fully qualified service name (`workflow.WorkflowService`), with an
/// optional catch-all for services not named.
#[derive(Clone, Default)]
pub struct Backends {
    by_service: HashMap<String, GrpcBackend>,
    fallback: Option<GrpcBackend>,
}

impl Backends {
    /// Local mode: every service answered by one in-process router.
    pub fn local(routes: tonic::service::Routes) -> Self {
        let service = tower::ServiceExt::<http::Request<Body>>::map_err(
            routes,
            |never: Infallible| -> BackendError { match never {} },
        );
        Self {
            by_service: HashMap::new(),
            fallback: Some(BoxCloneSyncService::new(service)),
        }
    }

    /// Adds (or replaces) the backend for one service.
    pub fn with_service(mut self, service_name: impl Into<String>, backend: GrpcBackend) -> Self {
        self.by_service.insert(service_name.into(), backend);
        self
    }

    /// Distributed mode: a lazily connected channel to `address` for one service.
    ///
    /// # Errors
    /// [`Error::ServiceAddress`] when `address` is not a URI.
    pub fn with_remote_service(self, service_name: &str, address: &str) -> Result<Self> {
        let channel = tonic::transport::Endpoint::from_shared(address.to_owned())
            .map_err(|source| Error::ServiceAddress {
                address: address.to_owned(),
                source,
            })?
            .connect_lazy();
        let service = channel.map_err(|error| BackendError(Box::new(error)));
        Ok(self.with_service(service_name, BoxCloneSyncService::new(service)))
    }

    /// The backend answering `service_name`, if any.
    pub fn for_service(&self, service_name: &str) -> Option<GrpcBackend> {
        self.by_service
            .get(service_name)
            .or(self.fallback.as_ref())
            .cloned()
    }

    /// The service names with a dedicated backend.
    pub fn service_names(&self) -> impl Iterator<Item = &str> {
        self.by_service.keys().map(String::as_str)
    }
}

/// The service part of a gRPC path `/package.Service/Method`.
pub fn service_of_grpc_path(path: &str) -> Option<&str> {
    let trimmed = path.strip_prefix('/')?;
    let (service, method) = trimmed.split_once('/')?;
    (!service.is_empty() && !method.is_empty() && !method.contains('/')).then_some(service)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grpc_paths_name_their_service() {
        assert_eq!(
            service_of_grpc_path("/workflow.WorkflowService/GetWorkflow"),
            Some("workflow.WorkflowService")
        );
        assert_eq!(service_of_grpc_path("/api/v1/workflows/argo"), None);
        assert_eq!(service_of_grpc_path("/"), None);
    }
}
