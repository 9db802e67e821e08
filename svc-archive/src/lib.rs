//! `workflowarchive.ArchivedWorkflowService`: list (label and field selectors, name matches,
//! offset paging), get and delete archived workflows, their label keys and values, and retry
//! or resubmit one from the archive as a new live Workflow. Archived workflows come from an
//! [`argo_store::ArchiveStore`]; retried and resubmitted ones are created in the
//! [`argo_store::ResourceStore`]. Values cross the gRPC boundary as Kubernetes-style JSON.
//!
//! Must not: archive workflows (the controller does), run anything, or depend on another
//! `svc-*` crate.

mod config;
mod conversion;
mod listing;
mod rerun;
mod server;

pub use argo_service::{Error, Result};
pub use config::ArchiveConfig;
pub use server::ArchivedWorkflowServer;

use std::sync::Arc;

use argo_proto::workflowarchive::archived_workflow_service_server::ArchivedWorkflowServiceServer;
use argo_store::{ArchiveStore, ResourceStore};

/// The tonic service for in-process mounting (`argo server`) or the standalone binary.
pub fn service(
    archive: Arc<dyn ArchiveStore>,
    store: Arc<dyn ResourceStore>,
    config: ArchiveConfig,
) -> ArchivedWorkflowServiceServer<ArchivedWorkflowServer> {
    ArchivedWorkflowServiceServer::new(ArchivedWorkflowServer::new(archive, store, config))
}
