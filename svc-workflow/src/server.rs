//! The WorkflowService object and its tonic trait implementation: each RPC delegates to the
//! handler in `workflows`, `operations` or here (logs) and maps errors through
//! `argo-service`'s table. (Mounted, GetWorkflow and ListWorkflows are answered as bytes by
//! `endpoint` instead; here they decode the same bytes.)
//!
//! Must not: hold logic of its own beyond request plumbing.

use std::sync::{Arc, OnceLock};

use argo_proto::workflow::workflow_service_server::WorkflowService;
use argo_proto::workflow::{
    LogEntry, WatchEventsRequest, WatchWorkflowsRequest, WorkflowCreateRequest,
    WorkflowDeleteRequest, WorkflowDeleteResponse, WorkflowGetRequest, WorkflowLintRequest,
    WorkflowListRequest, WorkflowLogRequest, WorkflowResubmitRequest, WorkflowResumeRequest,
    WorkflowRetryRequest, WorkflowSetRequest, WorkflowStopRequest, WorkflowSubmitRequest,
    WorkflowSuspendRequest, WorkflowTerminateRequest, WorkflowWatchEvent,
};
use argo_proto::{k8s_core, wf};
use argo_service::Caller;
use argo_store::{ArchiveStore, Informer, ResourceStore};
use futures::stream::{BoxStream, StreamExt};
use jiff::{SignedDuration, Timestamp};
use tonic::{Request, Response, Status};

use crate::answers::AnswerCache;
use crate::conversion::{workflow_kind, workflow_of};
use crate::logs::{LogQuery, LogSource, pod_lines, workflow_pods};
use crate::{Error, Result};

/// Settings of the workflow service.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkflowConfig {
    /// The container whose logs are read when a request names none.
    pub default_log_container: Option<String>,
}

/// WorkflowService over a store `S`.
pub struct WorkflowServer<S: ?Sized> {
    pub(crate) store: Arc<S>,
    pub(crate) log_source: Arc<dyn LogSource>,
    pub(crate) config: WorkflowConfig,
    /// Completed workflows no longer in the store, for get and list (see `archived`).
    pub(crate) archive: Option<Arc<dyn ArchiveStore>>,
    /// Encoded answers of recently read stored versions (see `answers`).
    pub(crate) answers: AnswerCache,
    /// The watch-fed copy of the stored workflows that gets and lists read (started by the
    /// first of them, on the runtime serving it).
    informer: OnceLock<Informer<S>>,
}

impl<S: ?Sized> std::fmt::Debug for WorkflowServer<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkflowServer")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl<S: ResourceStore + ?Sized + 'static> WorkflowServer<S> {
    pub fn new(store: Arc<S>, log_source: Arc<dyn LogSource>, config: WorkflowConfig) -> Self {
        Self {
            store,
            log_source,
            config,
            archive: None,
            answers: AnswerCache::default(),
            informer: OnceLock::new(),
        }
    }

    /// The copy of the stored workflows, started on first use.
    pub(crate) fn informer(&self) -> &Informer<S> {
        self.informer
            .get_or_init(|| Informer::start(self.store.clone(), workflow_kind()))
    }

    /// Gets and lists fall back to and merge `archive`, as Argo's server does.
    #[must_use]
    pub fn with_archive(mut self, archive: Arc<dyn ArchiveStore>) -> Self {
        self.archive = Some(archive);
        self
    }

    async fn logs(
        &self,
        request: WorkflowLogRequest,
    ) -> Result<BoxStream<'static, Result<LogEntry>>> {
        if !request.selector.is_empty() {
            return Err(Error::invalid_argument(
                "log selectors are not supported yet: pods carry no labels in this store",
            ));
        }
        let object = self
            .store
            .get(&workflow_kind(), Some(&request.namespace), &request.name)
            .await?;
        let workflow = workflow_of(object)?;
        let options = request.log_options.unwrap_or_default();
        let container = options
            .container
            .clone()
            .filter(|container| !container.is_empty())
            .or_else(|| self.config.default_log_container.clone())
            .unwrap_or_else(|| "main".to_owned());
        let since = match options.since_seconds.filter(|seconds| *seconds > 0) {
            Some(seconds) => Timestamp::now()
                .checked_sub(SignedDuration::from_secs(seconds))
                .ok(),
            None => None,
        };
        let query = LogQuery {
            follow: options.follow.unwrap_or(false),
            tail_lines: options
                .tail_lines
                .and_then(|lines| usize::try_from(lines).ok()),
            since,
            timestamps: options.timestamps.unwrap_or(false),
        };
        let (pods, skip_missing) = if request.pod_name.is_empty() {
            (workflow_pods(&workflow), true)
        } else {
            (vec![request.pod_name.clone()], false)
        };
        let lines = pod_lines(
            self.log_source.clone(),
            &request.namespace,
            pods,
            &container,
            &query,
            &request.grep,
            skip_missing,
        )
        .await?;
        Ok(lines
            .map(|line| line.map(|(pod_name, content)| LogEntry { content, pod_name }))
            .boxed())
    }
}

fn answer<T>(result: Result<T>) -> Result<Response<T>, Status> {
    result.map(Response::new).map_err(Status::from)
}

fn stream<T: Send + 'static>(
    result: Result<BoxStream<'static, Result<T>>>,
) -> Result<Response<BoxStream<'static, Result<T, Status>>>, Status> {
    let items = result.map_err(Status::from)?;
    Ok(Response::new(
        items.map(|item| item.map_err(Status::from)).boxed(),
    ))
}

#[tonic::async_trait]
impl<S: ResourceStore + ?Sized + 'static> WorkflowService for WorkflowServer<S> {
    type WatchWorkflowsStream = BoxStream<'static, Result<WorkflowWatchEvent, Status>>;
    type WatchEventsStream = BoxStream<'static, Result<k8s_core::Event, Status>>;
    type PodLogsStream = BoxStream<'static, Result<LogEntry, Status>>;
    type WorkflowLogsStream = BoxStream<'static, Result<LogEntry, Status>>;

    async fn create_workflow(
        &self,
        request: Request<WorkflowCreateRequest>,
    ) -> Result<Response<wf::Workflow>, Status> {
        let caller = Caller::from_metadata(request.metadata());
        answer(self.create(request.into_inner(), &caller).await)
    }

    async fn get_workflow(
        &self,
        request: Request<WorkflowGetRequest>,
    ) -> Result<Response<wf::Workflow>, Status> {
        // Mounted through `WorkflowEndpoint`, reads skip this and answer the bytes themselves.
        answer(
            self.get(request.into_inner())
                .await
                .and_then(|got| got.decode()),
        )
    }

    async fn list_workflows(
        &self,
        request: Request<WorkflowListRequest>,
    ) -> Result<Response<wf::WorkflowList>, Status> {
        answer(
            self.list(request.into_inner())
                .await
                .and_then(|got| got.decode()),
        )
    }

    async fn watch_workflows(
        &self,
        request: Request<WatchWorkflowsRequest>,
    ) -> Result<Response<Self::WatchWorkflowsStream>, Status> {
        stream(self.watch(request.into_inner()).await)
    }

    async fn watch_events(
        &self,
        request: Request<WatchEventsRequest>,
    ) -> Result<Response<Self::WatchEventsStream>, Status> {
        stream(self.watch_events(request.into_inner()).await)
    }

    async fn delete_workflow(
        &self,
        request: Request<WorkflowDeleteRequest>,
    ) -> Result<Response<WorkflowDeleteResponse>, Status> {
        answer(
            self.delete(request.into_inner())
                .await
                .map(|()| WorkflowDeleteResponse {}),
        )
    }

    async fn retry_workflow(
        &self,
        request: Request<WorkflowRetryRequest>,
    ) -> Result<Response<wf::Workflow>, Status> {
        answer(self.retry(request.into_inner()).await)
    }

    async fn resubmit_workflow(
        &self,
        request: Request<WorkflowResubmitRequest>,
    ) -> Result<Response<wf::Workflow>, Status> {
        let caller = Caller::from_metadata(request.metadata());
        answer(self.resubmit(request.into_inner(), &caller).await)
    }

    async fn resume_workflow(
        &self,
        request: Request<WorkflowResumeRequest>,
    ) -> Result<Response<wf::Workflow>, Status> {
        answer(self.resume(request.into_inner()).await)
    }

    async fn suspend_workflow(
        &self,
        request: Request<WorkflowSuspendRequest>,
    ) -> Result<Response<wf::Workflow>, Status> {
        answer(self.suspend(request.into_inner()).await)
    }

    async fn terminate_workflow(
        &self,
        request: Request<WorkflowTerminateRequest>,
    ) -> Result<Response<wf::Workflow>, Status> {
        answer(self.terminate(request.into_inner()).await)
    }

    async fn stop_workflow(
        &self,
        request: Request<WorkflowStopRequest>,
    ) -> Result<Response<wf::Workflow>, Status> {
        answer(self.stop(request.into_inner()).await)
    }

    async fn set_workflow(
        &self,
        request: Request<WorkflowSetRequest>,
    ) -> Result<Response<wf::Workflow>, Status> {
        answer(self.set(request.into_inner()).await)
    }

    async fn lint_workflow(
        &self,
        request: Request<WorkflowLintRequest>,
    ) -> Result<Response<wf::Workflow>, Status> {
        let caller = Caller::from_metadata(request.metadata());
        answer(self.lint(request.into_inner(), &caller).await)
    }

    async fn pod_logs(
        &self,
        request: Request<WorkflowLogRequest>,
    ) -> Result<Response<Self::PodLogsStream>, Status> {
        stream(self.logs(request.into_inner()).await)
    }

    async fn workflow_logs(
        &self,
        request: Request<WorkflowLogRequest>,
    ) -> Result<Response<Self::WorkflowLogsStream>, Status> {
        stream(self.logs(request.into_inner()).await)
    }

    async fn submit_workflow(
        &self,
        request: Request<WorkflowSubmitRequest>,
    ) -> Result<Response<wf::Workflow>, Status> {
        let caller = Caller::from_metadata(request.metadata());
        answer(self.submit(request.into_inner(), &caller).await)
    }
}
