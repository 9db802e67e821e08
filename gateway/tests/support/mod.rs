//! Test support: a fake WorkflowService and InfoService built on the generated tonic traits,
//! and a gateway state in local mode over them.

#![allow(dead_code)]

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use argo_proto::info::info_service_server::{InfoService, InfoServiceServer};
use argo_proto::info::{
    CollectEventRequest, CollectEventResponse, GetInfoRequest, GetUserInfoRequest,
    GetUserInfoResponse, GetVersionRequest, InfoResponse,
};
use argo_proto::k8s_meta::{ListMeta, ObjectMeta};
use argo_proto::wf::{Version, Workflow, WorkflowList, WorkflowStatus};
use argo_proto::workflow::workflow_service_server::{WorkflowService, WorkflowServiceServer};
use argo_proto::workflow::*;
use futures::Stream;
use gateway::{AuthMode, Backends, GatewayState, ModeAuthenticator, Settings};
use serde_json::Value;
use tonic::{Request, Response, Status};

type Streamed<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send>>;

/// What the fakes saw: method name, request as JSON, `authorization` metadata.
#[derive(Clone, Default)]
pub struct Calls(Arc<Mutex<Vec<Call>>>);

/// One recorded call: method, request JSON, `authorization` metadata.
pub type Call = (String, Value, Option<String>);

impl Calls {
    fn record<M: prost::Message + prost::Name>(&self, method: &str, request: &Request<M>) {
        let json = argo_proto::prost_to_json(request.get_ref()).expect("request converts");
        let authorization = request
            .metadata()
            .get("authorization")
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        self.0
            .lock()
            .expect("lock")
            .push((method.to_owned(), json, authorization));
    }

    pub fn last(&self) -> Call {
        self.0
            .lock()
            .expect("lock")
            .last()
            .cloned()
            .expect("a call was made")
    }
}

pub fn workflow(namespace: &str, name: &str, phase: &str) -> Workflow {
    Workflow {
        metadata: Some(ObjectMeta {
            name: Some(name.to_owned()),
            namespace: Some(namespace.to_owned()),
            uid: Some(format!("uid-{name}")),
            ..Default::default()
        }),
        spec: None,
        status: Some(WorkflowStatus {
            phase: Some(phase.to_owned()),
            ..Default::default()
        }),
    }
}

#[derive(Clone, Default)]
pub struct FakeWorkflows {
    pub calls: Calls,
}

fn unimplemented<T>() -> Result<T, Status> {
    Err(Status::unimplemented("not in the fake"))
}

#[tonic::async_trait]
impl WorkflowService for FakeWorkflows {
    async fn create_workflow(
        &self,
        request: Request<WorkflowCreateRequest>,
    ) -> Result<Response<Workflow>, Status> {
        self.calls.record("CreateWorkflow", &request);
        let request = request.into_inner();
        let mut created = request
            .workflow
            .ok_or_else(|| Status::invalid_argument("workflow is required"))?;
        let metadata = created.metadata.get_or_insert_with(Default::default);
        if metadata.name.as_deref() == Some("exists") {
            return Err(Status::already_exists(
                "workflows.argoproj.io \"exists\" already exists",
            ));
        }
        metadata.namespace = Some(request.namespace);
        if metadata.name.is_none() {
            metadata.name = metadata
                .generate_name
                .as_ref()
                .map(|prefix| format!("{prefix}abcde"));
        }
        Ok(Response::new(created))
    }

    async fn get_workflow(
        &self,
        request: Request<WorkflowGetRequest>,
    ) -> Result<Response<Workflow>, Status> {
        self.calls.record("GetWorkflow", &request);
        let request = request.into_inner();
        if request.name == "missing" {
            return Err(Status::not_found(
                "workflows.argoproj.io \"missing\" not found",
            ));
        }
        Ok(Response::new(workflow(
            &request.namespace,
            &request.name,
            "Running",
        )))
    }

    async fn list_workflows(
        &self,
        request: Request<WorkflowListRequest>,
    ) -> Result<Response<WorkflowList>, Status> {
        self.calls.record("ListWorkflows", &request);
        let namespace = request.into_inner().namespace;
        let items = if namespace == "empty" {
            vec![]
        } else {
            vec![
                workflow(&namespace, "a", "Running"),
                workflow(&namespace, "b", "Succeeded"),
            ]
        };
        Ok(Response::new(WorkflowList {
            metadata: Some(ListMeta {
                resource_version: Some("7".to_owned()),
                ..Default::default()
            }),
            items,
        }))
    }

    type WatchWorkflowsStream = Streamed<WorkflowWatchEvent>;

    async fn watch_workflows(
        &self,
        request: Request<WatchWorkflowsRequest>,
    ) -> Result<Response<Self::WatchWorkflowsStream>, Status> {
        self.calls.record("WatchWorkflows", &request);
        let namespace = request.into_inner().namespace;
        let event = |name: &str| WorkflowWatchEvent {
            r#type: "ADDED".to_owned(),
            object: Some(workflow(&namespace, name, "Running")),
        };
        let stream: Streamed<WorkflowWatchEvent> = match namespace.as_str() {
            "broken" => Box::pin(futures::stream::iter(vec![
                Ok(event("a")),
                Err(Status::internal("the store went away")),
            ])),
            "quiet" => Box::pin(futures::stream::pending()),
            "slow" => {
                let first = event("a");
                Box::pin(futures::stream::unfold(Some(first), |next| async move {
                    let item = next?;
                    tokio::time::sleep(Duration::from_millis(300)).await;
                    Some((Ok(item), None))
                }))
            }
            _ => Box::pin(futures::stream::iter(vec![Ok(event("a")), Ok(event("b"))])),
        };
        Ok(Response::new(stream))
    }

    type WatchEventsStream = Streamed<argo_proto::k8s_core::Event>;

    async fn watch_events(
        &self,
        _request: Request<WatchEventsRequest>,
    ) -> Result<Response<Self::WatchEventsStream>, Status> {
        unimplemented()
    }

    async fn delete_workflow(
        &self,
        request: Request<WorkflowDeleteRequest>,
    ) -> Result<Response<WorkflowDeleteResponse>, Status> {
        self.calls.record("DeleteWorkflow", &request);
        Ok(Response::new(WorkflowDeleteResponse {}))
    }

    async fn retry_workflow(
        &self,
        _r: Request<WorkflowRetryRequest>,
    ) -> Result<Response<Workflow>, Status> {
        unimplemented()
    }

    async fn resubmit_workflow(
        &self,
        _r: Request<WorkflowResubmitRequest>,
    ) -> Result<Response<Workflow>, Status> {
        unimplemented()
    }

    async fn resume_workflow(
        &self,
        _r: Request<WorkflowResumeRequest>,
    ) -> Result<Response<Workflow>, Status> {
        unimplemented()
    }

    async fn suspend_workflow(
        &self,
        _r: Request<WorkflowSuspendRequest>,
    ) -> Result<Response<Workflow>, Status> {
        unimplemented()
    }

    async fn terminate_workflow(
        &self,
        _r: Request<WorkflowTerminateRequest>,
    ) -> Result<Response<Workflow>, Status> {
        unimplemented()
    }

    async fn stop_workflow(
        &self,
        request: Request<WorkflowStopRequest>,
    ) -> Result<Response<Workflow>, Status> {
        self.calls.record("StopWorkflow", &request);
        let request = request.into_inner();
        Ok(Response::new(workflow(
            &request.namespace,
            &request.name,
            "Failed",
        )))
    }

    async fn set_workflow(
        &self,
        _r: Request<WorkflowSetRequest>,
    ) -> Result<Response<Workflow>, Status> {
        unimplemented()
    }

    async fn lint_workflow(
        &self,
        request: Request<WorkflowLintRequest>,
    ) -> Result<Response<Workflow>, Status> {
        self.calls.record("LintWorkflow", &request);
        Err(Status::invalid_argument("spec.templates is required"))
    }

    type PodLogsStream = Streamed<LogEntry>;

    async fn pod_logs(
        &self,
        request: Request<WorkflowLogRequest>,
    ) -> Result<Response<Self::PodLogsStream>, Status> {
        self.calls.record("PodLogs", &request);
        Ok(Response::new(log_stream()))
    }

    type WorkflowLogsStream = Streamed<LogEntry>;

    async fn workflow_logs(
        &self,
        request: Request<WorkflowLogRequest>,
    ) -> Result<Response<Self::WorkflowLogsStream>, Status> {
        self.calls.record("WorkflowLogs", &request);
        Ok(Response::new(log_stream()))
    }

    async fn submit_workflow(
        &self,
        _r: Request<WorkflowSubmitRequest>,
    ) -> Result<Response<Workflow>, Status> {
        unimplemented()
    }
}

fn log_stream() -> Streamed<LogEntry> {
    Box::pin(futures::stream::iter(vec![
        Ok(LogEntry {
            content: "hello".to_owned(),
            pod_name: "wf-1".to_owned(),
        }),
        Ok(LogEntry {
            content: "world".to_owned(),
            pod_name: "wf-1".to_owned(),
        }),
    ]))
}

#[derive(Clone, Default)]
pub struct FakeInfo;

#[tonic::async_trait]
impl InfoService for FakeInfo {
    async fn get_info(
        &self,
        _r: Request<GetInfoRequest>,
    ) -> Result<Response<InfoResponse>, Status> {
        Ok(Response::new(InfoResponse::default()))
    }

    async fn get_version(
        &self,
        _r: Request<GetVersionRequest>,
    ) -> Result<Response<Version>, Status> {
        Ok(Response::new(Version {
            version: Some("v4.1.2".to_owned()),
            ..Default::default()
        }))
    }

    async fn get_user_info(
        &self,
        _r: Request<GetUserInfoRequest>,
    ) -> Result<Response<GetUserInfoResponse>, Status> {
        unimplemented()
    }

    async fn collect_event(
        &self,
        _r: Request<CollectEventRequest>,
    ) -> Result<Response<CollectEventResponse>, Status> {
        Ok(Response::new(CollectEventResponse::default()))
    }
}

/// The fakes as in-process tonic routes (local mode).
pub fn local_backends(workflows: FakeWorkflows) -> Backends {
    let routes = tonic::service::Routes::new(WorkflowServiceServer::new(workflows))
        .add_service(InfoServiceServer::new(FakeInfo));
    Backends::local(routes)
}

/// A gateway state in local mode over the fakes.
pub async fn state_with(
    workflows: FakeWorkflows,
    settings: Settings,
    modes: Vec<AuthMode>,
) -> GatewayState {
    GatewayState::new(
        settings,
        local_backends(workflows),
        Arc::new(ModeAuthenticator::new(modes)),
    )
    .await
    .expect("gateway state builds")
}

/// Runs a test body on a runtime whose threads have large stacks: the generated prost
/// `Workflow` types are big enough to overflow the default 2 MiB test stack in debug builds.
pub fn big_stack<F>(future: F)
where
    F: std::future::Future<Output = ()> + Send + 'static,
{
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_stack_size(64 << 20)
        .enable_all()
        .build()
        .expect("test runtime builds");
    runtime.block_on(async move {
        tokio::spawn(future).await.expect("the test body completes");
    });
}
