//! The controller's handles on the world: the resource store and the pod runtime, with typed
//! accessors for the kinds the controller reads and writes.
//! Must not: hold per-workflow state (the worker builds it fresh for each reconcile).

use std::sync::Arc;

use argo_core::k8s_openapi::api::core::v1::ConfigMap;
use argo_core::{ClusterWorkflowTemplate, Workflow, WorkflowTaskResult, WorkflowTemplate};
use argo_runtime::PodRuntime;
use argo_store::{ResourceStore, Typed};

/// A store and a pod runtime. Cheap to clone.
#[derive(Clone)]
pub struct Cluster {
    pub store: Arc<dyn ResourceStore>,
    pub runtime: Arc<dyn PodRuntime>,
}

impl std::fmt::Debug for Cluster {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cluster").finish_non_exhaustive()
    }
}

impl Cluster {
    pub fn new(store: Arc<dyn ResourceStore>, runtime: Arc<dyn PodRuntime>) -> Self {
        Cluster { store, runtime }
    }

    pub fn workflows(&self) -> Typed<Workflow> {
        Typed::new(self.store.clone())
    }

    pub fn task_results(&self) -> Typed<WorkflowTaskResult> {
        Typed::new(self.store.clone())
    }

    pub fn workflow_templates(&self) -> Typed<WorkflowTemplate> {
        Typed::new(self.store.clone())
    }

    pub fn cluster_workflow_templates(&self) -> Typed<ClusterWorkflowTemplate> {
        Typed::new(self.store.clone())
    }

    pub fn config_maps(&self) -> Typed<ConfigMap> {
        Typed::new(self.store.clone())
    }
}
