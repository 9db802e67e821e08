//! Retry, resubmit, resume, suspend, terminate, stop and set, through the generated trait.

mod support;

use argo_proto::workflow::workflow_service_server::WorkflowService;
use argo_proto::workflow::{
    WorkflowResubmitRequest, WorkflowResumeRequest, WorkflowRetryRequest, WorkflowSetRequest,
    WorkflowStopRequest, WorkflowSuspendRequest, WorkflowTerminateRequest,
};
use support::{seed, server};
use tonic::{Code, Request};

#[tokio::test]
async fn retry_reopens_a_failed_workflow() {
    let (server, store) = server();
    seed(&*store, "failed.json").await;
    let retried = server
        .retry_workflow(Request::new(WorkflowRetryRequest {
            name: "failed".into(),
            namespace: "argo".into(),
            ..Default::default()
        }))
        .await
        .expect("retried")
        .into_inner();
    let status = retried.status.expect("status");
    assert_eq!(status.phase.as_deref(), Some("Running"));
    assert!(
        !status.nodes.contains_key("failed"),
        "the failed pod node is removed"
    );
}

#[tokio::test]
async fn retry_stores_the_pods_to_delete_with_the_workflow_for_the_controller() {
    let (server, store) = server();
    seed(&*store, "failed.json").await;
    server
        .retry_workflow(Request::new(WorkflowRetryRequest {
            name: "failed".into(),
            namespace: "argo".into(),
            ..Default::default()
        }))
        .await
        .expect("retried");
    let stored = store
        .get(&support::workflow_kind(), Some("argo"), "failed")
        .await
        .expect("stored");
    let workflow: argo_core::Workflow = stored.into_resource().expect("a workflow");
    let leftovers = argo_engine::operations::RetryLeftovers::of(&workflow)
        .expect("a readable record")
        .expect("the retry recorded its leftovers");
    let pod = argo_engine::node_id::pod_name("failed", "failed", "main");
    assert_eq!(leftovers.pods.into_iter().collect::<Vec<_>>(), [pod]);
    assert_eq!(
        leftovers.task_results.into_iter().collect::<Vec<_>>(),
        ["failed"]
    );
}

#[tokio::test]
async fn retry_of_a_running_workflow_fails_and_of_a_missing_one_is_not_found() {
    let (server, store) = server();
    seed(&*store, "waiting.json").await;
    let running = server
        .retry_workflow(Request::new(WorkflowRetryRequest {
            name: "waiting".into(),
            namespace: "argo".into(),
            ..Default::default()
        }))
        .await
        .expect_err("running");
    assert_eq!(running.code(), Code::Internal);
    let missing = server
        .retry_workflow(Request::new(WorkflowRetryRequest {
            name: "nope".into(),
            namespace: "argo".into(),
            ..Default::default()
        }))
        .await
        .expect_err("missing");
    assert_eq!(missing.code(), Code::NotFound);
}

#[tokio::test]
async fn resubmit_creates_a_labelled_copy() {
    let (server, store) = server();
    seed(&*store, "failed.json").await;
    let copy = server
        .resubmit_workflow(Request::new(WorkflowResubmitRequest {
            name: "failed".into(),
            namespace: "argo".into(),
            ..Default::default()
        }))
        .await
        .expect("resubmitted")
        .into_inner();
    let metadata = copy.metadata.expect("metadata");
    assert!(metadata.name.expect("name").starts_with("failed-"));
    assert_eq!(
        metadata
            .labels
            .get("workflows.argoproj.io/resubmitted-from-workflow")
            .map(String::as_str),
        Some("failed")
    );
    let missing = server
        .resubmit_workflow(Request::new(WorkflowResubmitRequest {
            name: "nope".into(),
            namespace: "argo".into(),
            ..Default::default()
        }))
        .await
        .expect_err("missing");
    assert_eq!(missing.code(), Code::NotFound);
}

#[tokio::test]
async fn suspend_then_resume_toggles_spec_suspend() {
    let (server, store) = server();
    seed(&*store, "waiting.json").await;
    let suspended = server
        .suspend_workflow(Request::new(WorkflowSuspendRequest {
            name: "waiting".into(),
            namespace: "argo".into(),
        }))
        .await
        .expect("suspended")
        .into_inner();
    assert_eq!(suspended.spec.expect("spec").suspend, Some(true));
    let resumed = server
        .resume_workflow(Request::new(WorkflowResumeRequest {
            name: "waiting".into(),
            namespace: "argo".into(),
            ..Default::default()
        }))
        .await
        .expect("resumed")
        .into_inner();
    assert_ne!(resumed.spec.expect("spec").suspend, Some(true));
}

#[tokio::test]
async fn suspend_and_resume_of_a_missing_workflow_are_not_found() {
    let (server, _) = server();
    let suspend = server
        .suspend_workflow(Request::new(WorkflowSuspendRequest {
            name: "nope".into(),
            namespace: "argo".into(),
        }))
        .await
        .expect_err("missing");
    assert_eq!(suspend.code(), Code::NotFound);
    let resume = server
        .resume_workflow(Request::new(WorkflowResumeRequest {
            name: "nope".into(),
            namespace: "argo".into(),
            ..Default::default()
        }))
        .await
        .expect_err("missing");
    assert_eq!(resume.code(), Code::NotFound);
}

#[tokio::test]
async fn terminate_and_stop_set_the_shutdown_strategy() {
    let (server, store) = server();
    seed(&*store, "waiting.json").await;
    let stopped = server
        .stop_workflow(Request::new(WorkflowStopRequest {
            name: "waiting".into(),
            namespace: "argo".into(),
            ..Default::default()
        }))
        .await
        .expect("stopped")
        .into_inner();
    assert_eq!(
        stopped.spec.expect("spec").shutdown.as_deref(),
        Some("Stop")
    );
    let terminated = server
        .terminate_workflow(Request::new(WorkflowTerminateRequest {
            name: "waiting".into(),
            namespace: "argo".into(),
        }))
        .await
        .expect("terminated")
        .into_inner();
    assert_eq!(
        terminated.spec.expect("spec").shutdown.as_deref(),
        Some("Terminate")
    );
}

#[tokio::test]
async fn stopping_a_finished_workflow_is_refused_and_a_missing_one_not_found() {
    let (server, store) = server();
    seed(&*store, "failed.json").await;
    let finished = server
        .stop_workflow(Request::new(WorkflowStopRequest {
            name: "failed".into(),
            namespace: "argo".into(),
            ..Default::default()
        }))
        .await
        .expect_err("finished");
    assert_eq!(finished.code(), Code::Internal);
    assert!(
        finished.message().contains("completed"),
        "{}",
        finished.message()
    );
    let missing = server
        .terminate_workflow(Request::new(WorkflowTerminateRequest {
            name: "nope".into(),
            namespace: "argo".into(),
        }))
        .await
        .expect_err("missing");
    assert_eq!(missing.code(), Code::NotFound);
}

#[tokio::test]
async fn set_marks_the_selected_suspend_node_succeeded() {
    let (server, store) = server();
    seed(&*store, "waiting.json").await;
    let set = server
        .set_workflow(Request::new(WorkflowSetRequest {
            name: "waiting".into(),
            namespace: "argo".into(),
            node_field_selector: "displayName=approve".into(),
            phase: "Succeeded".into(),
            message: "approved".into(),
            ..Default::default()
        }))
        .await
        .expect("set")
        .into_inner();
    let nodes = set.status.expect("status").nodes;
    let node = nodes.get("waiting-1").expect("suspend node");
    assert_eq!(node.phase.as_deref(), Some("Succeeded"));
    assert_eq!(node.message.as_deref(), Some("approved"));
}

#[tokio::test]
async fn set_refuses_an_invalid_phase_or_bad_output_parameters() {
    let (server, store) = server();
    seed(&*store, "waiting.json").await;
    let request = |phase: &str, outputs: &str| {
        Request::new(WorkflowSetRequest {
            name: "waiting".into(),
            namespace: "argo".into(),
            node_field_selector: "displayName=approve".into(),
            phase: phase.into(),
            output_parameters: outputs.into(),
            ..Default::default()
        })
    };
    let phase = server
        .set_workflow(request("Sleeping", ""))
        .await
        .expect_err("bad phase");
    assert_eq!(phase.code(), Code::InvalidArgument);
    assert_eq!(phase.message(), "Sleeping is an invalid phase to set to");
    let outputs = server
        .set_workflow(request("", "not json"))
        .await
        .expect_err("bad outputs");
    assert_eq!(outputs.code(), Code::InvalidArgument);
}
