//! The service over the durable backends the binary uses: one SQLite file holding the live
//! store and the archive.

mod support;

use std::sync::Arc;

use argo_proto::k8s_meta::ListOptions;
use argo_proto::workflowarchive::archived_workflow_service_server::ArchivedWorkflowService;
use argo_proto::workflowarchive::{ListArchivedWorkflowsRequest, RetryArchivedWorkflowRequest};
use argo_store::{ArchiveStore, Environment, SqliteArchive, SqliteConfig, SqliteStore};
use support::{FAILED_UID, fixture};
use svc_archive::{ArchiveConfig, ArchivedWorkflowServer};
use tonic::Request;

#[tokio::test]
async fn list_archived_workflows_and_retry_over_one_sqlite_file() {
    let directory = tempfile::tempdir().expect("temporary directory");
    let store = SqliteStore::open(
        &SqliteConfig::file(directory.path().join("argo.db")),
        Environment::default(),
    )
    .await
    .expect("open");
    let archive = SqliteArchive::new(&store);
    for name in ["nightly-failed.json", "report-succeeded.json"] {
        archive.archive(&fixture(name)).await.expect("archived");
    }
    let server = ArchivedWorkflowServer::new(
        Arc::new(archive),
        Arc::new(store.clone()),
        ArchiveConfig::default(),
    );
    let list = server
        .list_archived_workflows(Request::new(ListArchivedWorkflowsRequest {
            list_options: Some(ListOptions {
                label_selector: Some("team in (data,finance),schedule".into()),
                ..ListOptions::default()
            }),
            ..Default::default()
        }))
        .await
        .expect("listed")
        .into_inner();
    assert_eq!(list.items.len(), 1);
    let retried = server
        .retry_archived_workflow(Request::new(RetryArchivedWorkflowRequest {
            uid: FAILED_UID.into(),
            namespace: "argo".into(),
            ..Default::default()
        }))
        .await
        .expect("retried")
        .into_inner();
    assert_eq!(
        retried.status.and_then(|s| s.phase).as_deref(),
        Some("Running")
    );
    store.close().await;
}
