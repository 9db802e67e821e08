//! The ArchivedWorkflowService object and its tonic trait implementation: each RPC delegates to
//! `listing` or `rerun` and maps errors through `argo-service`'s table.
//!
//! Must not: hold logic beyond request plumbing.

use std::sync::Arc;

use argo_proto::wf;
use argo_proto::workflowarchive::archived_workflow_service_server::ArchivedWorkflowService;
use argo_proto::workflowarchive::{
    ArchivedWorkflowDeletedResponse, DeleteArchivedWorkflowRequest, GetArchivedWorkflowRequest,
    ListArchivedWorkflowLabelKeysRequest, ListArchivedWorkflowLabelValuesRequest,
    ListArchivedWorkflowsRequest, ResubmitArchivedWorkflowRequest, RetryArchivedWorkflowRequest,
};
use argo_store::{ArchiveStore, ResourceStore};
use tonic::{Request, Response, Status};

use crate::{ArchiveConfig, Result};

/// ArchivedWorkflowService over an archive and the live store.
pub struct ArchivedWorkflowServer {
    pub(crate) archive: Arc<dyn ArchiveStore>,
    pub(crate) store: Arc<dyn ResourceStore>,
    pub(crate) config: ArchiveConfig,
}

impl std::fmt::Debug for ArchivedWorkflowServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ArchivedWorkflowServer")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl ArchivedWorkflowServer {
    pub fn new(
        archive: Arc<dyn ArchiveStore>,
        store: Arc<dyn ResourceStore>,
        config: ArchiveConfig,
    ) -> Self {
        Self {
            archive,
            store,
            config,
        }
    }
}

fn answer<T>(result: Result<T>) -> Result<Response<T>, Status> {
    result.map(Response::new).map_err(Status::from)
}

#[tonic::async_trait]
impl ArchivedWorkflowService for ArchivedWorkflowServer {
    async fn list_archived_workflows(
        &self,
        request: Request<ListArchivedWorkflowsRequest>,
    ) -> Result<Response<wf::WorkflowList>, Status> {
        answer(self.list(request.into_inner()).await)
    }

    async fn get_archived_workflow(
        &self,
        request: Request<GetArchivedWorkflowRequest>,
    ) -> Result<Response<wf::Workflow>, Status> {
        answer(self.get(request.into_inner()).await)
    }

    async fn delete_archived_workflow(
        &self,
        request: Request<DeleteArchivedWorkflowRequest>,
    ) -> Result<Response<ArchivedWorkflowDeletedResponse>, Status> {
        answer(
            self.delete(request.into_inner())
                .await
                .map(|()| ArchivedWorkflowDeletedResponse {}),
        )
    }

    async fn list_archived_workflow_label_keys(
        &self,
        request: Request<ListArchivedWorkflowLabelKeysRequest>,
    ) -> Result<Response<wf::LabelKeys>, Status> {
        answer(self.label_keys(request.into_inner()).await)
    }

    async fn list_archived_workflow_label_values(
        &self,
        request: Request<ListArchivedWorkflowLabelValuesRequest>,
    ) -> Result<Response<wf::LabelValues>, Status> {
        answer(self.label_values(request.into_inner()).await)
    }

    async fn retry_archived_workflow(
        &self,
        request: Request<RetryArchivedWorkflowRequest>,
    ) -> Result<Response<wf::Workflow>, Status> {
        answer(self.retry(request.into_inner()).await)
    }

    async fn resubmit_archived_workflow(
        &self,
        request: Request<ResubmitArchivedWorkflowRequest>,
    ) -> Result<Response<wf::Workflow>, Status> {
        answer(self.resubmit(request.into_inner()).await)
    }
}
