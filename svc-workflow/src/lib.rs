//! `workflow.WorkflowService`: the 17 RPCs that create, read, watch, steer and read the logs of
//! workflows, over any `argo-store` backend. Values cross the gRPC boundary as Kubernetes-style
//! JSON (`argo_proto::json_to_prost`/`prost_to_json`), so there is one mapping between the
//! domain model and the wire (ADR 0001).
//!
//! Must not: run workflows or touch pods (the controller reconciles what this service stores),
//! or depend on another `svc-*` crate. Logs come in through [`LogSource`].

mod answers;
mod archived;
mod conversion;
mod endpoint;
mod error;
mod fields;
mod listing;
mod logs;
mod operations;
mod server;
mod submission;
mod validation;
mod workflows;

pub use answers::{ANSWER_CACHE_BYTES, ANSWER_CACHE_ENTRIES, MAX_CACHED_ANSWER_BYTES};
pub use endpoint::WorkflowEndpoint;
pub use error::{Error, Result};
pub use logs::{LogLine, LogQuery, LogSource, NoLogs};
pub use server::{WorkflowConfig, WorkflowServer};

use std::sync::Arc;

use argo_store::ResourceStore;

/// Stack size for the threads that run the service: the linter recurses over templates and
/// debug builds keep large futures on the stack, beyond tokio's 2 MiB default.
pub const WORKER_STACK_BYTES: usize = 16 * 1024 * 1024;

/// The tonic service for in-process mounting (`argo server`) or a standalone binary.
pub fn service<S: ResourceStore + ?Sized + 'static>(
    store: Arc<S>,
    log_source: Arc<dyn LogSource>,
    config: WorkflowConfig,
) -> WorkflowEndpoint<S> {
    WorkflowEndpoint::new(WorkflowServer::new(store, log_source, config))
}
