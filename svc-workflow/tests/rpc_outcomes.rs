//! Success, not found and invalid argument for each resource RPC of WorkflowService (create,
//! get, delete, lint, submit, watch, logs), named as `argo_service::rpc_coverage` finds them.
//! The steering RPCs are in `rpc_outcomes_operations.rs`.

mod support;

use argo_proto::k8s_core::PodLogOptions;
use argo_proto::k8s_meta::ListOptions;
use argo_proto::workflow::workflow_service_server::WorkflowService;
use argo_proto::workflow::{
    WatchEventsRequest, WatchWorkflowsRequest, WorkflowCreateRequest, WorkflowDeleteRequest,
    WorkflowGetRequest, WorkflowLintRequest, WorkflowLogRequest, WorkflowSubmitRequest,
};
use futures::StreamExt as _;
use support::{FakeLogs, seed, server, server_with, workflow_message};
use tonic::{Code, Request, Status};

fn assert_code(status: &Status, code: Code) {
    assert_eq!(status.code(), code, "{status:?}");
}

fn create(workflow: Option<argo_proto::wf::Workflow>) -> Request<WorkflowCreateRequest> {
    Request::new(WorkflowCreateRequest {
        namespace: "argo".into(),
        workflow,
        ..Default::default()
    })
}

fn with_template_ref(name: &str) -> argo_proto::wf::Workflow {
    let mut json = support::fixture("hello-world.json");
    json["spec"] = serde_json::json!({"workflowTemplateRef": {"name": name}});
    argo_proto::json_to_prost(&json).expect("converts")
}

#[tokio::test]
async fn create_workflow_stores_it_and_answers_the_stored_copy() {
    let (server, _) = server();
    let created = server
        .create_workflow(create(Some(workflow_message("hello-world.json"))))
        .await
        .expect("created")
        .into_inner();
    let name = created.metadata.and_then(|m| m.name).expect("a name");
    let got = server
        .get_workflow(Request::new(WorkflowGetRequest {
            name: name.clone(),
            namespace: "argo".into(),
            ..Default::default()
        }))
        .await
        .expect("stored");
    assert_eq!(got.into_inner().metadata.and_then(|m| m.name), Some(name));
}

#[tokio::test]
async fn create_workflow_with_a_template_ref_not_found_is_refused_and_stores_nothing() {
    let (server, store) = server();
    let status = server
        .create_workflow(create(Some(with_template_ref("missing"))))
        .await
        .expect_err("the template does not exist");
    assert!(
        status.message().contains("missing") && status.message().contains("not found"),
        "{status:?}"
    );
    let listed = store
        .list(
            &support::workflow_kind(),
            &argo_store::ListParams::default(),
        )
        .await
        .expect("lists");
    assert!(listed.items.is_empty(), "nothing half-written");
}

#[tokio::test]
async fn create_workflow_without_a_workflow_is_invalid_argument() {
    let (server, _) = server();
    let status = server
        .create_workflow(create(None))
        .await
        .expect_err("empty");
    assert_code(&status, Code::InvalidArgument);
}

fn get(name: &str, fields: &str) -> Request<WorkflowGetRequest> {
    Request::new(WorkflowGetRequest {
        name: name.into(),
        namespace: "argo".into(),
        fields: fields.into(),
        ..Default::default()
    })
}

#[tokio::test]
async fn get_workflow_answers_the_stored_workflow() {
    let (server, store) = server();
    seed(&*store, "failed.json").await;
    let workflow = server.get_workflow(get("failed", "")).await.expect("found");
    let phase = workflow.into_inner().status.and_then(|status| status.phase);
    assert_eq!(phase.as_deref(), Some("Failed"));
}

#[tokio::test]
async fn get_workflow_not_found_names_it_as_kubernetes_does() {
    let (server, _) = server();
    let status = server
        .get_workflow(get("nope", ""))
        .await
        .expect_err("none");
    assert_code(&status, Code::NotFound);
    assert_eq!(status.message(), "workflows.argoproj.io \"nope\" not found");
}

#[tokio::test]
async fn delete_workflow_removes_it() {
    let (server, store) = server();
    seed(&*store, "failed.json").await;
    server
        .delete_workflow(Request::new(WorkflowDeleteRequest {
            name: "failed".into(),
            namespace: "argo".into(),
            ..Default::default()
        }))
        .await
        .expect("deleted");
    let status = server
        .get_workflow(get("failed", ""))
        .await
        .expect_err("gone");
    assert_code(&status, Code::NotFound);
}

#[tokio::test]
async fn delete_workflow_not_found_is_not_found() {
    let (server, _) = server();
    let status = server
        .delete_workflow(Request::new(WorkflowDeleteRequest {
            name: "nope".into(),
            namespace: "argo".into(),
            ..Default::default()
        }))
        .await
        .expect_err("none");
    assert_code(&status, Code::NotFound);
}

fn lint(workflow: argo_proto::wf::Workflow) -> Request<WorkflowLintRequest> {
    Request::new(WorkflowLintRequest {
        namespace: "argo".into(),
        workflow: Some(workflow),
    })
}

#[tokio::test]
async fn lint_workflow_answers_a_valid_workflow_and_stores_nothing() {
    let (server, store) = server();
    let linted = server
        .lint_workflow(lint(workflow_message("hello-world.json")))
        .await
        .expect("valid");
    assert!(linted.into_inner().spec.is_some());
    let listed = store
        .list(
            &support::workflow_kind(),
            &argo_store::ListParams::default(),
        )
        .await
        .expect("lists");
    assert!(listed.items.is_empty());
}

#[tokio::test]
async fn lint_workflow_with_a_template_ref_not_found_is_refused() {
    let (server, _) = server();
    let status = server
        .lint_workflow(lint(with_template_ref("missing")))
        .await
        .expect_err("the template does not exist");
    assert!(status.message().contains("not found"), "{status:?}");
}

#[tokio::test]
async fn lint_workflow_without_templates_is_invalid_argument() {
    let (server, _) = server();
    let mut broken = workflow_message("hello-world.json");
    broken.spec.as_mut().expect("spec").templates.clear();
    let status = server
        .lint_workflow(lint(broken))
        .await
        .expect_err("invalid");
    assert_code(&status, Code::InvalidArgument);
}

fn submit(kind: &str, name: &str) -> Request<WorkflowSubmitRequest> {
    Request::new(WorkflowSubmitRequest {
        namespace: "argo".into(),
        resource_kind: kind.into(),
        resource_name: name.into(),
        submit_options: None,
    })
}

#[tokio::test]
async fn submit_workflow_from_a_stored_template_creates_a_workflow() {
    let (server, store) = server();
    let mut json = support::fixture("hello-world.json");
    json["apiVersion"] = "argoproj.io/v1alpha1".into();
    json["kind"] = "WorkflowTemplate".into();
    json["metadata"] = serde_json::json!({"name": "hello", "namespace": "argo"});
    let object: argo_store::Object = serde_json::from_value(json).expect("object");
    store
        .create(
            &argo_store::ResourceKind::of::<argo_core::WorkflowTemplate>(),
            object,
        )
        .await
        .expect("stored");
    let created = server
        .submit_workflow(submit("WorkflowTemplate", "hello"))
        .await
        .expect("submitted");
    let name = created.into_inner().metadata.and_then(|m| m.name);
    assert!(name.is_some_and(|name| name.starts_with("hello-")));
}

#[tokio::test]
async fn submit_workflow_of_a_template_not_found_is_not_found() {
    let (server, _) = server();
    let status = server
        .submit_workflow(submit("WorkflowTemplate", "nope"))
        .await
        .expect_err("missing");
    assert_code(&status, Code::NotFound);
}

#[tokio::test]
async fn submit_workflow_of_an_unknown_kind_is_invalid_argument() {
    let (server, _) = server();
    let status = server
        .submit_workflow(submit("Pod", "x"))
        .await
        .expect_err("unknown kind");
    assert_code(&status, Code::InvalidArgument);
}

#[tokio::test]
async fn watch_workflows_sends_the_stored_workflows_first() {
    let (server, store) = server();
    seed(&*store, "failed.json").await;
    let mut events = server
        .watch_workflows(Request::new(WatchWorkflowsRequest {
            namespace: "argo".into(),
            list_options: Some(ListOptions::default()),
            ..Default::default()
        }))
        .await
        .expect("watching")
        .into_inner();
    let first = events
        .next()
        .await
        .expect("an event")
        .expect("not an error");
    let name = first.object.and_then(|workflow| workflow.metadata?.name);
    assert_eq!(name.as_deref(), Some("failed"));
}

#[tokio::test]
async fn watch_events_of_a_namespace_starts_a_stream() {
    let (server, _) = server();
    let answer = server
        .watch_events(Request::new(WatchEventsRequest {
            namespace: "argo".into(),
            list_options: Some(ListOptions::default()),
        }))
        .await;
    assert!(answer.is_ok(), "{:?}", answer.err());
}

fn logs(name: &str, pod: &str, grep: &str) -> Request<WorkflowLogRequest> {
    Request::new(WorkflowLogRequest {
        name: name.into(),
        namespace: "argo".into(),
        pod_name: pod.into(),
        log_options: Some(PodLogOptions::default()),
        grep: grep.into(),
        selector: String::new(),
    })
}

async fn server_with_a_pod() -> (
    svc_workflow::WorkflowServer<dyn argo_store::ResourceStore>,
    String,
) {
    let store: std::sync::Arc<dyn argo_store::ResourceStore> =
        std::sync::Arc::new(argo_store::MemoryStore::default());
    seed(&*store, "failed.json").await;
    let pod = argo_engine::node_id::pod_name("failed", "failed", "main");
    let mut fake = FakeLogs::default();
    fake.lines
        .insert((pod.clone(), "main".into()), vec!["error: boom".into()]);
    (server_with(store, fake), pod)
}

#[tokio::test]
async fn pod_logs_stream_the_lines_of_the_pod() {
    let (server, pod) = server_with_a_pod().await;
    let lines: Vec<String> = server
        .pod_logs(logs("failed", &pod, ""))
        .await
        .expect("streaming")
        .into_inner()
        .map(|entry| entry.expect("a line").content)
        .collect()
        .await;
    assert_eq!(lines, ["error: boom"]);
}

#[tokio::test]
async fn pod_logs_of_a_pod_not_found_is_not_found() {
    let (server, _) = server_with_a_pod().await;
    let status = server
        .pod_logs(logs("failed", "no-such-pod", ""))
        .await
        .err()
        .expect("missing pod");
    assert_code(&status, Code::NotFound);
}

#[tokio::test]
async fn pod_logs_with_an_invalid_grep_pattern_is_invalid_argument() {
    let (server, pod) = server_with_a_pod().await;
    let status = server
        .pod_logs(logs("failed", &pod, "("))
        .await
        .err()
        .expect("bad pattern");
    assert_code(&status, Code::InvalidArgument);
}

#[tokio::test]
async fn workflow_logs_of_a_workflow_not_found_is_not_found() {
    let (server, _) = server_with_a_pod().await;
    let status = server
        .workflow_logs(logs("nope", "", ""))
        .await
        .err()
        .expect("missing workflow");
    assert_code(&status, Code::NotFound);
}

#[tokio::test]
async fn workflow_logs_with_an_invalid_grep_pattern_is_invalid_argument() {
    let (server, _) = server_with_a_pod().await;
    let status = server
        .workflow_logs(logs("failed", "", "("))
        .await
        .err()
        .expect("bad pattern");
    assert_code(&status, Code::InvalidArgument);
}
