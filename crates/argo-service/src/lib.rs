//! The shared service library: the one table that turns domain errors (store, validation,
//! workflow operations) into gRPC codes the way Argo's server does, request metadata (bearer
//! token, caller) and creator labels, the health and reflection services each binary serves
//! beside its own, and what several domains do alike: JSON/protobuf/store conversion
//! ([`conversion`]), manifest request plumbing ([`manifest`]) and the admission lint of
//! manifests that reference templates ([`template_lint`]).
//!
//! Must not: know any one service's RPCs or its domain rules, or map gRPC codes to HTTP
//! statuses: that is the gateway's single table (`gateway::errors::http_status_for`, grpc-gateway
//! v1's mapping, which Argo's server uses).

pub mod conversion;
pub mod creator;
mod error;
pub mod grpc_server;
pub mod instance;
pub mod manifest;
pub mod metadata;
pub mod rpc_coverage;
pub mod template_lint;
#[cfg(feature = "testing")]
pub mod testing;

pub use error::{Error, Result};
pub use grpc_server::base_router;
pub use metadata::{Caller, bearer_token};
