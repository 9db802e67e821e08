//! Success, not found and invalid argument for each steering RPC of WorkflowService (retry,
//! resubmit, resume, suspend, terminate, stop, set), named as `argo_service::rpc_coverage`
//! finds them. A malformed `nodeFieldSelector` is the invalid argument these RPCs can get.

mod support;

use argo_proto::workflow::workflow_service_server::WorkflowService;
use argo_proto::workflow::{
    WorkflowResubmitRequest, WorkflowResumeRequest, WorkflowRetryRequest, WorkflowSetRequest,
    WorkflowStopRequest, WorkflowSuspendRequest, WorkflowTerminateRequest,
};
use support::{seed, server};
use tonic::{Code, Status};

/// A node selector term without an operator: Argo's "can't understand" error.
const BAD_NODES: &str = "displayName";

fn assert_code(answer: Result<impl std::fmt::Debug, Status>, code: Code) -> Status {
    let status = answer.expect_err("the call fails");
    assert_eq!(status.code(), code, "{status:?}");
    status
}

fn retry(name: &str, nodes: &str) -> tonic::Request<WorkflowRetryRequest> {
    tonic::Request::new(WorkflowRetryRequest {
        name: name.into(),
        namespace: "argo".into(),
        node_field_selector: nodes.into(),
        ..Default::default()
    })
}

#[tokio::test]
async fn retry_workflow_of_a_failed_run_reopens_it() {
    let (server, store) = server();
    seed(&*store, "failed.json").await;
    let retried = server
        .retry_workflow(retry("failed", ""))
        .await
        .expect("ok");
    let phase = retried.into_inner().status.and_then(|status| status.phase);
    assert_eq!(phase.as_deref(), Some("Running"));
}

#[tokio::test]
async fn retry_workflow_not_found_is_not_found() {
    let (server, _) = server();
    assert_code(
        server.retry_workflow(retry("nope", "")).await,
        Code::NotFound,
    );
}

#[tokio::test]
async fn retry_workflow_with_an_invalid_node_selector_is_invalid_argument() {
    let (server, store) = server();
    seed(&*store, "failed.json").await;
    let status = assert_code(
        server.retry_workflow(retry("failed", BAD_NODES)).await,
        Code::InvalidArgument,
    );
    assert!(status.message().contains(BAD_NODES), "{status:?}");
}

fn resubmit(name: &str) -> tonic::Request<WorkflowResubmitRequest> {
    tonic::Request::new(WorkflowResubmitRequest {
        name: name.into(),
        namespace: "argo".into(),
        ..Default::default()
    })
}

#[tokio::test]
async fn resubmit_workflow_creates_a_new_run() {
    let (server, store) = server();
    seed(&*store, "failed.json").await;
    let copy = server
        .resubmit_workflow(resubmit("failed"))
        .await
        .expect("ok");
    let name = copy
        .into_inner()
        .metadata
        .and_then(|metadata| metadata.name);
    assert!(name.is_some_and(|name| name != "failed"));
}

#[tokio::test]
async fn resubmit_workflow_not_found_is_not_found() {
    let (server, _) = server();
    assert_code(
        server.resubmit_workflow(resubmit("nope")).await,
        Code::NotFound,
    );
}

fn resume(name: &str, nodes: &str) -> tonic::Request<WorkflowResumeRequest> {
    tonic::Request::new(WorkflowResumeRequest {
        name: name.into(),
        namespace: "argo".into(),
        node_field_selector: nodes.into(),
    })
}

fn suspend(name: &str) -> tonic::Request<WorkflowSuspendRequest> {
    tonic::Request::new(WorkflowSuspendRequest {
        name: name.into(),
        namespace: "argo".into(),
    })
}

#[tokio::test]
async fn resume_workflow_clears_a_suspension() {
    let (server, store) = server();
    seed(&*store, "waiting.json").await;
    server
        .suspend_workflow(suspend("waiting"))
        .await
        .expect("suspended");
    let resumed = server
        .resume_workflow(resume("waiting", ""))
        .await
        .expect("ok");
    let suspended = resumed.into_inner().spec.and_then(|spec| spec.suspend);
    assert_ne!(suspended, Some(true));
}

#[tokio::test]
async fn resume_workflow_not_found_is_not_found() {
    let (server, _) = server();
    assert_code(
        server.resume_workflow(resume("nope", "")).await,
        Code::NotFound,
    );
}

#[tokio::test]
async fn resume_workflow_with_an_invalid_node_selector_is_invalid_argument() {
    let (server, store) = server();
    seed(&*store, "waiting.json").await;
    assert_code(
        server.resume_workflow(resume("waiting", BAD_NODES)).await,
        Code::InvalidArgument,
    );
}

#[tokio::test]
async fn suspend_workflow_sets_spec_suspend() {
    let (server, store) = server();
    seed(&*store, "waiting.json").await;
    let suspended = server
        .suspend_workflow(suspend("waiting"))
        .await
        .expect("ok");
    let flag = suspended.into_inner().spec.and_then(|spec| spec.suspend);
    assert_eq!(flag, Some(true));
}

#[tokio::test]
async fn suspend_workflow_not_found_is_not_found() {
    let (server, _) = server();
    assert_code(
        server.suspend_workflow(suspend("nope")).await,
        Code::NotFound,
    );
}

fn terminate(name: &str) -> tonic::Request<WorkflowTerminateRequest> {
    tonic::Request::new(WorkflowTerminateRequest {
        name: name.into(),
        namespace: "argo".into(),
    })
}

#[tokio::test]
async fn terminate_workflow_sets_the_terminate_strategy() {
    let (server, store) = server();
    seed(&*store, "waiting.json").await;
    let terminated = server
        .terminate_workflow(terminate("waiting"))
        .await
        .expect("ok");
    let shutdown = terminated.into_inner().spec.and_then(|spec| spec.shutdown);
    assert_eq!(shutdown.as_deref(), Some("Terminate"));
}

#[tokio::test]
async fn terminate_workflow_not_found_is_not_found() {
    let (server, _) = server();
    assert_code(
        server.terminate_workflow(terminate("nope")).await,
        Code::NotFound,
    );
}

fn stop(name: &str, nodes: &str) -> tonic::Request<WorkflowStopRequest> {
    tonic::Request::new(WorkflowStopRequest {
        name: name.into(),
        namespace: "argo".into(),
        node_field_selector: nodes.into(),
        ..Default::default()
    })
}

#[tokio::test]
async fn stop_workflow_sets_the_stop_strategy() {
    let (server, store) = server();
    seed(&*store, "waiting.json").await;
    let stopped = server.stop_workflow(stop("waiting", "")).await.expect("ok");
    let shutdown = stopped.into_inner().spec.and_then(|spec| spec.shutdown);
    assert_eq!(shutdown.as_deref(), Some("Stop"));
}

#[tokio::test]
async fn stop_workflow_not_found_is_not_found() {
    let (server, _) = server();
    assert_code(server.stop_workflow(stop("nope", "")).await, Code::NotFound);
}

#[tokio::test]
async fn stop_workflow_with_an_invalid_node_selector_is_invalid_argument() {
    let (server, store) = server();
    seed(&*store, "waiting.json").await;
    assert_code(
        server.stop_workflow(stop("waiting", BAD_NODES)).await,
        Code::InvalidArgument,
    );
}

fn set(name: &str, nodes: &str, phase: &str) -> tonic::Request<WorkflowSetRequest> {
    tonic::Request::new(WorkflowSetRequest {
        name: name.into(),
        namespace: "argo".into(),
        node_field_selector: nodes.into(),
        phase: phase.into(),
        ..Default::default()
    })
}

#[tokio::test]
async fn set_workflow_marks_the_selected_node() {
    let (server, store) = server();
    seed(&*store, "waiting.json").await;
    let updated = server
        .set_workflow(set("waiting", "displayName=approve", "Succeeded"))
        .await
        .expect("ok");
    let nodes = updated.into_inner().status.expect("status").nodes;
    let phase = nodes.get("waiting-1").and_then(|node| node.phase.clone());
    assert_eq!(phase.as_deref(), Some("Succeeded"));
}

#[tokio::test]
async fn set_workflow_not_found_is_not_found() {
    let (server, _) = server();
    assert_code(
        server
            .set_workflow(set("nope", "displayName=approve", "Succeeded"))
            .await,
        Code::NotFound,
    );
}

#[tokio::test]
async fn set_workflow_with_an_invalid_phase_or_node_selector_is_invalid_argument() {
    let (server, store) = server();
    seed(&*store, "waiting.json").await;
    assert_code(
        server
            .set_workflow(set("waiting", "displayName=approve", "Sleeping"))
            .await,
        Code::InvalidArgument,
    );
    assert_code(
        server
            .set_workflow(set("waiting", BAD_NODES, "Succeeded"))
            .await,
        Code::InvalidArgument,
    );
}
