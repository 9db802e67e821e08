//! The crate's error type is `argo-service`'s: one table maps every failure to a gRPC code.
//!
//! Must not: define codes of its own.

pub use argo_service::{Error, Result};
