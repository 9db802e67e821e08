//! `svc-cron`: CronWorkflows (`cronworkflow.CronWorkflowService`): create, get, list (label and
//! field selectors, `limit`/`continue`), update, delete, lint, suspend and resume, over any
//! `argo-store` backend. Writes are validated as Argo's server validates them (schedules in
//! cron syntax, time zones, concurrency policy, the workflow spec); a failure is
//! InvalidArgument carrying Argo's message.
//!
//! Mounting: [`service`] returns the tonic server; [`SERVICE_NAME`] is its gRPC name.
//!
//! Must not: schedule or submit runs (the controller's scheduler does), or depend on another
//! `svc-*` crate.

mod crons;
mod error;
mod server;

use std::sync::Arc;

use argo_proto::cronworkflow::cron_workflow_service_server::CronWorkflowServiceServer;
use argo_store::ResourceStore;

pub use argo_service::instance::{INSTANCE_ID_LABEL, InstanceId};
pub use error::{Error, Result};
pub use server::CronWorkflowServer;

/// The service's gRPC name.
pub const SERVICE_NAME: &str = "cronworkflow.CronWorkflowService";

/// Stack size for the threads that run the service: the linter recurses over templates and
/// prost's decoders nest deeply, beyond tokio's 2 MiB default in debug builds.
pub const WORKER_STACK_BYTES: usize = 16 * 1024 * 1024;

/// Settings of the cron workflow service.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// Argo's `--instanceid`: cron workflows written here are labelled with it, and only those
    /// of this instance are listed or read. `None` is the default (unlabelled) instance.
    pub instance_id: Option<String>,
}

/// The tonic service over a store.
pub fn service(
    store: Arc<dyn ResourceStore>,
    config: Config,
) -> CronWorkflowServiceServer<CronWorkflowServer> {
    CronWorkflowServiceServer::new(CronWorkflowServer::new(store, config))
}
