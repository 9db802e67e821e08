//! Malformed label selectors and unsupported field selectors on the archive's List RPCs are
//! InvalidArgument naming the selector.

use std::sync::Arc;

use argo_proto::k8s_meta::ListOptions;
use argo_proto::workflowarchive::archived_workflow_service_server::ArchivedWorkflowService;
use argo_proto::workflowarchive::{
    ListArchivedWorkflowLabelValuesRequest, ListArchivedWorkflowsRequest,
};
use argo_store::{MemoryArchive, MemoryStore};
use svc_archive::{ArchiveConfig, ArchivedWorkflowServer};
use tonic::{Code, Request, Status};

fn server() -> ArchivedWorkflowServer {
    ArchivedWorkflowServer::new(
        Arc::new(MemoryArchive::default()),
        Arc::new(MemoryStore::default()),
        ArchiveConfig::default(),
    )
}

fn assert_names_selector(status: &Status, selector: &str) {
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
    assert!(
        status.message().contains(selector),
        "the message should name {selector:?}: {}",
        status.message()
    );
}

#[tokio::test]
async fn list_archived_workflows_with_a_malformed_label_or_field_selector_is_invalid() {
    let server = server();
    let cases = [
        (
            "team in (docs",
            ListOptions {
                label_selector: Some("team in (docs".to_owned()),
                ..Default::default()
            },
        ),
        (
            "status.phase=Failed",
            ListOptions {
                field_selector: Some("status.phase=Failed".to_owned()),
                ..Default::default()
            },
        ),
        (
            "spec.startedAt>yesterday",
            ListOptions {
                field_selector: Some("spec.startedAt>yesterday".to_owned()),
                ..Default::default()
            },
        ),
    ];
    for (selector, options) in cases {
        let status = server
            .list_archived_workflows(Request::new(ListArchivedWorkflowsRequest {
                list_options: Some(options),
                namespace: "argo".into(),
                ..Default::default()
            }))
            .await
            .expect_err("a bad selector is refused");
        assert_names_selector(&status, selector);
    }
}

#[tokio::test]
async fn list_archived_workflow_label_values_with_a_malformed_selector_is_invalid() {
    let status = server()
        .list_archived_workflow_label_values(Request::new(ListArchivedWorkflowLabelValuesRequest {
            list_options: Some(ListOptions {
                label_selector: Some("team in (docs".to_owned()),
                ..Default::default()
            }),
            namespace: "argo".into(),
        }))
        .await
        .expect_err("a bad selector is refused");
    assert_names_selector(&status, "team in (docs");
}
