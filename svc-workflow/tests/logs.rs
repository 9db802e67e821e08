//! PodLogs and WorkflowLogs over a fake log source.

mod support;

use std::sync::Arc;

use argo_proto::k8s_core::PodLogOptions;
use argo_proto::workflow::workflow_service_server::WorkflowService;
use argo_proto::workflow::{LogEntry, WorkflowLogRequest};
use argo_store::{MemoryStore, ResourceStore};
use futures::StreamExt;
use support::{FakeLogs, seed, server_with};
use tonic::{Code, Request};

fn pod_of_failed() -> String {
    argo_engine::node_id::pod_name("failed", "failed", "main")
}

async fn server_with_logs() -> svc_workflow::WorkflowServer<dyn ResourceStore> {
    let store: Arc<dyn ResourceStore> = Arc::new(MemoryStore::default());
    seed(&*store, "failed.json").await;
    let mut logs = FakeLogs::default();
    logs.lines.insert(
        (pod_of_failed(), "main".into()),
        vec!["starting".into(), "error: boom".into(), "exiting".into()],
    );
    logs.lines.insert(
        (pod_of_failed(), "init".into()),
        vec!["fetching inputs".into()],
    );
    server_with(store, logs)
}

fn request(pod: &str, options: PodLogOptions, grep: &str) -> Request<WorkflowLogRequest> {
    Request::new(WorkflowLogRequest {
        name: "failed".into(),
        namespace: "argo".into(),
        pod_name: pod.into(),
        log_options: Some(options),
        grep: grep.into(),
        selector: String::new(),
    })
}

async fn collect(
    stream: impl futures::Stream<Item = Result<LogEntry, tonic::Status>>,
) -> Vec<LogEntry> {
    stream
        .map(|entry| entry.expect("log entry"))
        .collect()
        .await
}

#[tokio::test]
async fn workflow_logs_read_every_pod_of_the_workflow() {
    let server = server_with_logs().await;
    let entries = collect(
        server
            .workflow_logs(request("", PodLogOptions::default(), ""))
            .await
            .expect("logs")
            .into_inner(),
    )
    .await;
    let lines: Vec<&str> = entries.iter().map(|entry| entry.content.as_str()).collect();
    assert_eq!(lines, ["starting", "error: boom", "exiting"]);
    assert!(
        entries
            .iter()
            .all(|entry| entry.pod_name == pod_of_failed())
    );
}

#[tokio::test]
async fn grep_tail_lines_and_container_select_lines() {
    let server = server_with_logs().await;
    let grepped = collect(
        server
            .workflow_logs(request("", PodLogOptions::default(), "err.r"))
            .await
            .expect("logs")
            .into_inner(),
    )
    .await;
    assert_eq!(grepped.len(), 1);
    assert_eq!(grepped[0].content, "error: boom");
    let tail = PodLogOptions {
        tail_lines: Some(1),
        ..Default::default()
    };
    let tailed = collect(
        server
            .workflow_logs(request("", tail, ""))
            .await
            .expect("logs")
            .into_inner(),
    )
    .await;
    assert_eq!(tailed[0].content, "exiting");
    let init = PodLogOptions {
        container: Some("init".into()),
        ..Default::default()
    };
    let init_lines = collect(
        server
            .pod_logs(request(&pod_of_failed(), init, ""))
            .await
            .expect("logs")
            .into_inner(),
    )
    .await;
    assert_eq!(init_lines[0].content, "fetching inputs");
}

#[tokio::test]
async fn logs_of_a_missing_pod_or_workflow_are_not_found() {
    let server = server_with_logs().await;
    let pod = server
        .pod_logs(request("no-such-pod", PodLogOptions::default(), ""))
        .await
        .err()
        .expect("missing pod");
    assert_eq!(pod.code(), Code::NotFound);
    let mut missing = request("", PodLogOptions::default(), "");
    missing.get_mut().name = "nope".into();
    let workflow = server
        .workflow_logs(missing)
        .await
        .err()
        .expect("missing workflow");
    assert_eq!(workflow.code(), Code::NotFound);
}

#[tokio::test]
async fn an_invalid_grep_pattern_is_an_invalid_argument() {
    let server = server_with_logs().await;
    let status = server
        .workflow_logs(request("", PodLogOptions::default(), "("))
        .await
        .err()
        .expect("bad pattern");
    assert_eq!(status.code(), Code::InvalidArgument);
}
