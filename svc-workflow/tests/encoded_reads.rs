//! GetWorkflow and ListWorkflows as mounted (`WorkflowEndpoint`, answering cached encoded
//! bytes) answer over the wire exactly the message a conversion of the stored objects gives,
//! on first and repeated reads, with `fields`, across pages, and after a write.

mod support;

use std::sync::Arc;

use argo_proto::workflow::workflow_service_client::WorkflowServiceClient;
use argo_proto::workflow::{WorkflowGetRequest, WorkflowListRequest};
use argo_proto::{k8s_meta, wf};
use argo_service::conversion::{json_message, object_json};
use argo_store::{MemoryStore, ResourceStore};
use serde_json::json;

#[test]
fn mounted_reads_answer_what_converting_the_stored_objects_gives() {
    support::on_service_runtime(reads_match_conversions());
}

/// The workflow as the service converted it before answers were cached.
async fn converted(store: &dyn ResourceStore, name: &str) -> wf::Workflow {
    let object = store
        .get(&support::workflow_kind(), Some("argo"), name)
        .await
        .expect("stored");
    json_message(&object_json(&object).expect("json")).expect("a workflow message")
}

fn get(name: &str, fields: &str) -> WorkflowGetRequest {
    WorkflowGetRequest {
        name: name.into(),
        namespace: "argo".into(),
        fields: fields.into(),
        ..Default::default()
    }
}

fn list(limit: i64, continue_token: Option<String>, fields: &str) -> WorkflowListRequest {
    WorkflowListRequest {
        namespace: "argo".into(),
        list_options: Some(k8s_meta::ListOptions {
            limit: Some(limit),
            r#continue: continue_token,
            ..Default::default()
        }),
        fields: fields.into(),
        ..Default::default()
    }
}

async fn reads_match_conversions() {
    let store: Arc<dyn ResourceStore> = Arc::new(MemoryStore::default());
    support::seed(&*store, "failed.json").await;
    support::seed(&*store, "waiting.json").await;
    let mut client = WorkflowServiceClient::connect(support::serve_grpc(store.clone()).await)
        .await
        .expect("connected");

    for _ in 0..2 {
        let got = client.get_workflow(get("waiting", "")).await.expect("got");
        assert_eq!(got.into_inner(), converted(&*store, "waiting").await);
    }
    let named = client
        .get_workflow(get("waiting", "metadata.name"))
        .await
        .expect("got")
        .into_inner();
    assert_eq!(
        named.metadata.and_then(|metadata| metadata.name).as_deref(),
        Some("waiting")
    );
    assert_eq!(named.spec, None, "fields keeps only the name");

    let first = client
        .list_workflows(list(1, None, ""))
        .await
        .expect("listed")
        .into_inner();
    assert_eq!(first.items, vec![converted(&*store, "failed").await]);
    let token = first.metadata.and_then(|metadata| metadata.r#continue);
    assert!(token.is_some(), "a second page follows");
    let second = client
        .list_workflows(list(1, token, ""))
        .await
        .expect("listed")
        .into_inner();
    assert_eq!(second.items, vec![converted(&*store, "waiting").await]);

    let names = client
        .list_workflows(list(10, None, "items.metadata.name"))
        .await
        .expect("listed")
        .into_inner();
    assert_eq!(names.items.len(), 2);
    assert!(names.items.iter().all(|item| item.status.is_none()));

    // A write is a new revision: the next reads answer it, not the cached bytes.
    let stored = store
        .get(&support::workflow_kind(), Some("argo"), "waiting")
        .await
        .expect("stored")
        .with_field("status", json!({ "phase": "Succeeded" }));
    store
        .update(&support::workflow_kind(), stored)
        .await
        .expect("updated");
    let after = converted(&*store, "waiting").await;
    let got = client
        .get_workflow(get("waiting", ""))
        .await
        .expect("got")
        .into_inner();
    assert_eq!(got, after);
    let listed = client
        .list_workflows(list(10, None, ""))
        .await
        .expect("listed")
        .into_inner();
    assert_eq!(listed.items[1], after);
}
