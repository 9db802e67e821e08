//! Plumbing every API service shares: the one table that turns domain errors (store, validation,
//! workflow operations) into gRPC codes and HTTP statuses the way Argo's server does, request
//! metadata (bearer token, namespace), and the health and reflection services each binary
//! serves beside its own.
//!
//! Must not: know any one service's RPCs or hold business logic; the gateway must take its
//! HTTP statuses from [`http_status`] rather than inventing its own.

mod error;
pub mod grpc_server;
pub mod metadata;

pub use error::{Error, Result, http_status};
pub use grpc_server::base_router;
pub use metadata::{Caller, bearer_token};
