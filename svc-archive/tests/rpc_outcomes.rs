//! Outcomes that `rpcs.rs` checks together with a failure, one per test, so
//! `argo_service::rpc_coverage` finds the success by name.

mod support;

use argo_proto::workflowarchive::DeleteArchivedWorkflowRequest;
use argo_proto::workflowarchive::archived_workflow_service_server::ArchivedWorkflowService;
use support::{FAILED_UID, Harness};
use tonic::Request;

#[tokio::test]
async fn delete_archived_workflow_removes_the_run() {
    let harness = Harness::seeded().await;
    harness
        .server()
        .delete_archived_workflow(Request::new(DeleteArchivedWorkflowRequest {
            uid: FAILED_UID.into(),
            ..Default::default()
        }))
        .await
        .expect("deleted");
    assert_eq!(harness.archive.get(FAILED_UID).await.expect("read"), None);
}
