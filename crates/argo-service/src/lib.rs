//! Plumbing every API service shares: the one table that turns domain errors (store, validation,
//! workflow operations) into gRPC codes the way Argo's server does, request
//! metadata (bearer token, namespace), and the health and reflection services each binary
//! serves beside its own.
//!
//! Must not: know any one service's RPCs or hold business logic, or map gRPC codes to HTTP
//! statuses: that is the gateway's single table (`gateway::errors::http_status_for`, grpc-gateway
//! v1's mapping, which Argo's server uses).

mod error;
pub mod grpc_server;
pub mod instance;
pub mod metadata;
pub mod rpc_coverage;

pub use error::{Error, Result};
pub use grpc_server::base_router;
pub use metadata::{Caller, bearer_token};
