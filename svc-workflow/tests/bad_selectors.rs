//! Malformed label selectors and unsupported field selectors on ListWorkflows, WatchWorkflows
//! and WatchEvents are InvalidArgument naming the selector.

use std::sync::Arc;

use argo_proto::k8s_meta::ListOptions;
use argo_proto::workflow::workflow_service_server::WorkflowService;
use argo_proto::workflow::{WatchEventsRequest, WatchWorkflowsRequest, WorkflowListRequest};
use argo_store::{MemoryStore, ResourceStore};
use svc_workflow::{NoLogs, WorkflowConfig, WorkflowServer};
use tonic::{Code, Request, Response, Status};

fn server() -> WorkflowServer<dyn ResourceStore> {
    let store: Arc<dyn ResourceStore> = Arc::new(MemoryStore::default());
    WorkflowServer::new(store, Arc::new(NoLogs), WorkflowConfig::default())
}

/// Each bad selector with the list options that carry it.
fn bad_options() -> Vec<(&'static str, ListOptions)> {
    vec![
        (
            "team in (docs",
            ListOptions {
                label_selector: Some("team in (docs".to_owned()),
                ..Default::default()
            },
        ),
        (
            "status.phase=Running",
            ListOptions {
                field_selector: Some("status.phase=Running".to_owned()),
                ..Default::default()
            },
        ),
    ]
}

fn assert_names_selector(status: &Status, selector: &str) {
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
    assert!(
        status.message().contains(selector),
        "the message should name {selector:?}: {}",
        status.message()
    );
}

/// A watch refuses a bad selector when it is asked, before any event, so REST answers 400
/// rather than a stream that ends in an error.
fn watch_refusal<S>(answer: Result<Response<S>, Status>) -> Status {
    match answer {
        Err(status) => status,
        Ok(_) => panic!("the watch started despite a bad selector"),
    }
}

#[tokio::test]
async fn list_workflows_with_a_malformed_label_or_field_selector_is_invalid() {
    let server = server();
    for (selector, options) in bad_options() {
        let status = server
            .list_workflows(Request::new(WorkflowListRequest {
                namespace: "argo".into(),
                list_options: Some(options),
                ..Default::default()
            }))
            .await
            .expect_err("a bad selector is refused");
        assert_names_selector(&status, selector);
    }
}

#[tokio::test]
async fn watch_workflows_with_a_malformed_label_or_field_selector_is_invalid() {
    let server = server();
    for (selector, options) in bad_options() {
        let answer = server
            .watch_workflows(Request::new(WatchWorkflowsRequest {
                namespace: "argo".into(),
                list_options: Some(options),
                ..Default::default()
            }))
            .await;
        assert_names_selector(&watch_refusal(answer), selector);
    }
}

#[tokio::test]
async fn watch_events_with_a_malformed_label_or_field_selector_is_invalid() {
    let server = server();
    for (selector, options) in bad_options() {
        let answer = server
            .watch_events(Request::new(WatchEventsRequest {
                namespace: "argo".into(),
                list_options: Some(options),
            }))
            .await;
        assert_names_selector(&watch_refusal(answer), selector);
    }
}
