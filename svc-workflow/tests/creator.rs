//! Creator labels on the workflows this service creates: CreateWorkflow, SubmitWorkflow,
//! ResubmitWorkflow and LintWorkflow label them from the caller's claims. A gRPC caller here
//! carries no claims (auth mode `server`), so labels a client sent, or the original's creator
//! on a resubmit, must be gone. (The claims-present branch is tested in `argo_service::creator`.)

mod support;

use argo_proto::workflow::workflow_service_server::WorkflowService;
use argo_proto::workflow::{
    WorkflowCreateRequest, WorkflowLintRequest, WorkflowResubmitRequest, WorkflowSubmitRequest,
};
use argo_service::creator::{CREATOR_EMAIL_LABEL, CREATOR_LABEL, CREATOR_PREFERRED_USERNAME_LABEL};
use argo_store::{Object, ResourceKind};
use serde_json::{Value, json};
use support::{fixture, server, workflow_kind, workflow_message};
use tonic::Request;

const CREATOR_LABELS: [&str; 3] = [
    CREATOR_LABEL,
    CREATOR_EMAIL_LABEL,
    CREATOR_PREFERRED_USERNAME_LABEL,
];

/// hello-world with all three creator labels set by someone else.
fn spoofed() -> Value {
    let mut json = fixture("hello-world.json");
    json["metadata"]["labels"] = json!({
        "app": "demo",
        CREATOR_LABEL: "mallory",
        CREATOR_EMAIL_LABEL: "mallory.at.example.org",
        CREATOR_PREFERRED_USERNAME_LABEL: "mallory",
    });
    json
}

fn assert_no_creator(labels: &std::collections::HashMap<String, String>) {
    for key in CREATOR_LABELS {
        assert_eq!(labels.get(key), None, "{key} must be removed");
    }
}

#[tokio::test]
async fn create_removes_creator_labels_a_claimless_client_sent() {
    let (server, store) = server();
    let created = server
        .create_workflow(Request::new(WorkflowCreateRequest {
            namespace: "argo".into(),
            workflow: Some(argo_proto::json_to_prost(&spoofed()).expect("message")),
            ..Default::default()
        }))
        .await
        .expect("created")
        .into_inner();
    let metadata = created.metadata.expect("metadata");
    assert_no_creator(&metadata.labels);
    assert_eq!(metadata.labels.get("app").map(String::as_str), Some("demo"));
    let stored = store
        .get(
            &workflow_kind(),
            Some("argo"),
            &metadata.name.expect("name"),
        )
        .await
        .expect("stored");
    let stored = serde_json::to_value(&stored).expect("json");
    for key in CREATOR_LABELS {
        assert_eq!(stored["metadata"]["labels"].get(key), None, "stored {key}");
    }
}

#[tokio::test]
async fn submit_options_cannot_set_creator_labels() {
    let (server, store) = server();
    let mut template = fixture("hello-world.json");
    template["apiVersion"] = "argoproj.io/v1alpha1".into();
    template["kind"] = "WorkflowTemplate".into();
    template["metadata"] = json!({"name": "hello", "namespace": "argo"});
    let object: Object = serde_json::from_value(template).expect("object");
    store
        .create(&ResourceKind::of::<argo_core::WorkflowTemplate>(), object)
        .await
        .expect("template stored");
    let options = json!({"labels": format!("{CREATOR_LABEL}=mallory,team=a")});
    let created = server
        .submit_workflow(Request::new(WorkflowSubmitRequest {
            namespace: "argo".into(),
            resource_kind: "WorkflowTemplate".into(),
            resource_name: "hello".into(),
            submit_options: Some(argo_proto::json_to_prost(&options).expect("options")),
        }))
        .await
        .expect("submitted")
        .into_inner();
    let labels = created.metadata.expect("metadata").labels;
    assert_no_creator(&labels);
    assert_eq!(labels.get("team").map(String::as_str), Some("a"));
}

#[tokio::test]
async fn resubmit_does_not_copy_the_original_creator() {
    let (server, store) = server();
    let mut original = spoofed();
    original["apiVersion"] = "argoproj.io/v1alpha1".into();
    original["kind"] = "Workflow".into();
    original["metadata"]["name"] = "original".into();
    original["metadata"]["namespace"] = "argo".into();
    let object: Object = serde_json::from_value(original).expect("object");
    store
        .create(&workflow_kind(), object)
        .await
        .expect("seeded");
    let copy = server
        .resubmit_workflow(Request::new(WorkflowResubmitRequest {
            name: "original".into(),
            namespace: "argo".into(),
            ..Default::default()
        }))
        .await
        .expect("resubmitted")
        .into_inner();
    let labels = copy.metadata.expect("metadata").labels;
    assert_no_creator(&labels);
    assert_eq!(labels.get("app").map(String::as_str), Some("demo"));
}

#[tokio::test]
async fn lint_answers_with_the_labels_a_create_would_set() {
    let (server, _store) = server();
    let mut workflow = workflow_message("hello-world.json");
    workflow
        .metadata
        .as_mut()
        .expect("metadata")
        .labels
        .insert(CREATOR_LABEL.into(), "mallory".into());
    let linted = server
        .lint_workflow(Request::new(WorkflowLintRequest {
            namespace: "argo".into(),
            workflow: Some(workflow),
        }))
        .await
        .expect("valid")
        .into_inner();
    let labels = linted.metadata.expect("metadata").labels;
    assert_no_creator(&labels);
    assert_eq!(labels.get("app").map(String::as_str), Some("demo"));
}
