//! GetWorkflow and ListWorkflows with an archive attached: a workflow gone from the store is
//! read from the archive; lists show live workflows, then archived ones no longer live.

mod support;

use std::sync::Arc;

use argo_proto::k8s_meta::ListOptions;
use argo_proto::workflow::workflow_service_server::WorkflowService;
use argo_proto::workflow::{WorkflowGetRequest, WorkflowListRequest};
use argo_store::{ArchiveStore, MemoryArchive, MemoryStore, ResourceStore};
use serde_json::{Value, json};
use support::{FakeLogs, seed, server_with};
use svc_workflow::WorkflowServer;
use tonic::{Code, Request};

/// A completed run as the controller archives it.
fn archived_run(name: &str, uid: &str, second: u32) -> Value {
    json!({
        "apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow",
        "metadata": {"name": name, "namespace": "argo", "uid": uid,
                     "labels": {"app": "demo"}},
        "spec": {"entrypoint": "main", "templates": [{"name": "main", "container": {"image": "busybox"}}]},
        "status": {"phase": "Succeeded", "startedAt": format!("2026-01-01T00:00:{second:02}Z"),
                   "finishedAt": format!("2026-01-01T00:01:{second:02}Z")}
    })
}

async fn harness() -> (
    WorkflowServer<dyn ResourceStore>,
    Arc<dyn ResourceStore>,
    Arc<dyn ArchiveStore>,
) {
    let store: Arc<dyn ResourceStore> = Arc::new(MemoryStore::default());
    let archive: Arc<dyn ArchiveStore> = Arc::new(MemoryArchive::default());
    let server = server_with(store.clone(), FakeLogs::default()).with_archive(archive.clone());
    (server, store, archive)
}

fn names(list: &argo_proto::wf::WorkflowList) -> Vec<String> {
    list.items
        .iter()
        .filter_map(|item| item.metadata.as_ref()?.name.clone())
        .collect()
}

#[tokio::test]
async fn get_workflow_reads_an_archived_run_when_the_live_one_is_gone() {
    let (server, _store, archive) = harness().await;
    archive
        .archive(&archived_run("gone", "u-gone", 1))
        .await
        .expect("archived");
    let workflow = server
        .get_workflow(Request::new(WorkflowGetRequest {
            name: "gone".into(),
            namespace: "argo".into(),
            ..Default::default()
        }))
        .await
        .expect("found in the archive")
        .into_inner();
    let labels = workflow.metadata.expect("metadata").labels;
    assert_eq!(
        labels
            .get("workflows.argoproj.io/workflow-archiving-status")
            .map(String::as_str),
        Some("Persisted")
    );
    let missing = server
        .get_workflow(Request::new(WorkflowGetRequest {
            name: "never".into(),
            namespace: "argo".into(),
            ..Default::default()
        }))
        .await
        .expect_err("nowhere");
    assert_eq!(missing.code(), Code::NotFound);
}

#[tokio::test]
async fn list_workflows_merges_archived_runs_that_are_not_live() {
    let (server, store, archive) = harness().await;
    seed(&*store, "failed.json").await;
    let live = store
        .get(&support::workflow_kind(), Some("argo"), "failed")
        .await
        .expect("live");
    let mut live_copy = serde_json::to_value(&live).expect("json");
    live_copy["status"]["startedAt"] = json!("2026-01-01T00:00:09Z");
    archive
        .archive(&live_copy)
        .await
        .expect("archived while live");
    archive
        .archive(&archived_run("older", "u-older", 1))
        .await
        .expect("archived");
    let list = server
        .list_workflows(Request::new(WorkflowListRequest {
            namespace: "argo".into(),
            ..Default::default()
        }))
        .await
        .expect("listed")
        .into_inner();
    assert_eq!(
        names(&list),
        ["failed", "older"],
        "the live run is not repeated"
    );
}

#[tokio::test]
async fn list_workflows_pages_from_live_into_the_archive() {
    let (server, store, archive) = harness().await;
    seed(&*store, "failed.json").await;
    for (name, second) in [("a", 3), ("b", 2), ("c", 1)] {
        archive
            .archive(&archived_run(name, &format!("u-{name}"), second))
            .await
            .expect("archived");
    }
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    for _ in 0..5 {
        let page = server
            .list_workflows(Request::new(WorkflowListRequest {
                namespace: "argo".into(),
                list_options: Some(ListOptions {
                    limit: Some(2),
                    r#continue: token.clone(),
                    ..ListOptions::default()
                }),
                ..Default::default()
            }))
            .await
            .expect("page")
            .into_inner();
        seen.extend(names(&page));
        token = page.metadata.and_then(|m| m.r#continue);
        if token.is_none() {
            break;
        }
    }
    assert_eq!(seen, ["failed", "a", "b", "c"]);
}

#[tokio::test]
async fn list_workflows_rejects_a_malformed_archive_token() {
    let (server, _store, _archive) = harness().await;
    let error = server
        .list_workflows(Request::new(WorkflowListRequest {
            namespace: "argo".into(),
            list_options: Some(ListOptions {
                r#continue: Some("archived:soon".into()),
                ..ListOptions::default()
            }),
            ..Default::default()
        }))
        .await
        .expect_err("bad token");
    assert_eq!(error.code(), Code::InvalidArgument);
}
