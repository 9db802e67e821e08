//! `svc-template`: WorkflowTemplates (`workflowtemplate.WorkflowTemplateService`) and
//! ClusterWorkflowTemplates (`clusterworkflowtemplate.ClusterWorkflowTemplateService`): create,
//! get, list (with `namePattern`, label and field selectors, `limit`/`continue`), update, delete
//! and lint, over any `argo-store` backend. Writes are linted with Argo's rules and messages
//! first; a failure is InvalidArgument carrying the lint message.
//!
//! Mounting: [`service`] returns both tonic servers in a [`TemplateServices`] (add both to a
//! router); [`workflow_template_service`] and [`cluster_workflow_template_service`] return one
//! each. [`SERVICE_NAMES`] are their gRPC names, for health.
//!
//! Must not: run or submit workflows, or depend on another `svc-*` crate.

mod answers;
mod cluster;
mod error;
mod listing;
mod namespaced;
mod templates;

use std::sync::Arc;

use argo_proto::clusterworkflowtemplate::cluster_workflow_template_service_server::ClusterWorkflowTemplateServiceServer;
use argo_proto::workflowtemplate::workflow_template_service_server::WorkflowTemplateServiceServer;
use argo_store::ResourceStore;

pub use argo_service::instance::{INSTANCE_ID_LABEL, InstanceId};
pub use cluster::ClusterWorkflowTemplateServer;
pub use error::{Error, Result};
pub use namespaced::WorkflowTemplateServer;

/// The gRPC names of the two services.
pub const SERVICE_NAMES: [&str; 2] = [
    "workflowtemplate.WorkflowTemplateService",
    "clusterworkflowtemplate.ClusterWorkflowTemplateService",
];

/// Stack size for the threads that run the services: the linter recurses over templates and
/// prost's decoders for templates nest deeply, beyond tokio's 2 MiB default in debug builds.
pub const WORKER_STACK_BYTES: usize = 16 * 1024 * 1024;

/// Settings of the template services.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// Argo's `--instanceid`: templates written here are labelled with it, and only templates
    /// of this instance are listed or read. `None` is the default (unlabelled) instance.
    pub instance_id: Option<String>,
}

/// Both template services, ready to add to a tonic router.
#[derive(Debug, Clone)]
pub struct TemplateServices {
    pub workflow_templates: WorkflowTemplateServiceServer<WorkflowTemplateServer>,
    pub cluster_workflow_templates:
        ClusterWorkflowTemplateServiceServer<ClusterWorkflowTemplateServer>,
}

/// Both services over one store.
pub fn service(store: Arc<dyn ResourceStore>, config: Config) -> TemplateServices {
    TemplateServices {
        workflow_templates: workflow_template_service(store.clone(), config.clone()),
        cluster_workflow_templates: cluster_workflow_template_service(store, config),
    }
}

/// WorkflowTemplateService alone.
pub fn workflow_template_service(
    store: Arc<dyn ResourceStore>,
    config: Config,
) -> WorkflowTemplateServiceServer<WorkflowTemplateServer> {
    WorkflowTemplateServiceServer::new(WorkflowTemplateServer::new(store, config))
}

/// ClusterWorkflowTemplateService alone.
pub fn cluster_workflow_template_service(
    store: Arc<dyn ResourceStore>,
    config: Config,
) -> ClusterWorkflowTemplateServiceServer<ClusterWorkflowTemplateServer> {
    ClusterWorkflowTemplateServiceServer::new(ClusterWorkflowTemplateServer::new(store, config))
}
