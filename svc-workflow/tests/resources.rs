//! Create, get, list, watch, delete, lint and submit, through the generated trait.

mod support;

use argo_proto::k8s_meta::ListOptions;
use argo_proto::workflow::workflow_service_server::WorkflowService;
use argo_proto::workflow::{
    WatchEventsRequest, WatchWorkflowsRequest, WorkflowCreateRequest, WorkflowDeleteRequest,
    WorkflowGetRequest, WorkflowLintRequest, WorkflowListRequest, WorkflowSubmitRequest,
};
use argo_store::{Object, ResourceKind, Scope};
use futures::StreamExt;
use support::{server, workflow_message};
use tonic::{Code, Request};

fn create_request(dry_run: bool) -> Request<WorkflowCreateRequest> {
    Request::new(WorkflowCreateRequest {
        namespace: "argo".into(),
        workflow: Some(workflow_message("hello-world.json")),
        server_dry_run: dry_run,
        ..Default::default()
    })
}

fn get_request(name: &str, fields: &str) -> Request<WorkflowGetRequest> {
    Request::new(WorkflowGetRequest {
        name: name.into(),
        namespace: "argo".into(),
        fields: fields.into(),
        ..Default::default()
    })
}

#[tokio::test]
async fn create_stores_the_workflow_with_a_generated_name_in_the_namespace() {
    let (server, _) = server();
    let created = server
        .create_workflow(create_request(false))
        .await
        .expect("created")
        .into_inner();
    let metadata = created.metadata.expect("metadata");
    let name = metadata.name.expect("name");
    assert!(name.starts_with("hello-world-"));
    assert_eq!(metadata.namespace.as_deref(), Some("argo"));
    let fetched = server
        .get_workflow(get_request(&name, ""))
        .await
        .expect("stored")
        .into_inner();
    assert_eq!(
        fetched.spec.expect("spec").entrypoint.as_deref(),
        Some("main")
    );
}

#[tokio::test]
async fn server_dry_run_validates_without_storing() {
    let (server, _) = server();
    server
        .create_workflow(create_request(true))
        .await
        .expect("dry run");
    let list = server
        .list_workflows(Request::new(WorkflowListRequest {
            namespace: "argo".into(),
            ..Default::default()
        }))
        .await
        .expect("list")
        .into_inner();
    assert!(list.items.is_empty());
}

#[tokio::test]
async fn create_refuses_an_invalid_workflow_with_the_lint_message() {
    let (server, _) = server();
    let mut workflow = workflow_message("hello-world.json");
    workflow.spec.as_mut().expect("spec").entrypoint = Some("missing".into());
    let status = server
        .create_workflow(Request::new(WorkflowCreateRequest {
            namespace: "argo".into(),
            workflow: Some(workflow),
            ..Default::default()
        }))
        .await
        .expect_err("invalid");
    assert_eq!(status.code(), Code::InvalidArgument);
    assert!(status.message().contains("missing"), "{}", status.message());
}

#[tokio::test]
async fn create_without_a_body_is_an_invalid_argument() {
    let (server, _) = server();
    let status = server
        .create_workflow(Request::new(WorkflowCreateRequest::default()))
        .await
        .expect_err("no body");
    assert_eq!(status.code(), Code::InvalidArgument);
    assert_eq!(status.message(), "workflow body not specified");
}

#[tokio::test]
async fn get_applies_the_fields_filter_and_reports_missing_workflows() {
    let (server, store) = server();
    support::seed(&*store, "failed.json").await;
    let trimmed = server
        .get_workflow(get_request("failed", "metadata.name,status.phase"))
        .await
        .expect("found")
        .into_inner();
    assert!(trimmed.spec.is_none());
    assert_eq!(
        trimmed.status.expect("status").phase.as_deref(),
        Some("Failed")
    );
    let missing = server
        .get_workflow(get_request("nope", ""))
        .await
        .expect_err("missing");
    assert_eq!(missing.code(), Code::NotFound);
    assert_eq!(
        missing.message(),
        "workflows.argoproj.io \"nope\" not found"
    );
}

#[tokio::test]
async fn list_selects_by_label_name_filter_and_pages() {
    let (server, _) = server();
    for _ in 0..3 {
        server
            .create_workflow(create_request(false))
            .await
            .expect("created");
    }
    let list = |options: ListOptions, name_filter: &str| {
        Request::new(WorkflowListRequest {
            namespace: "argo".into(),
            list_options: Some(options),
            name_filter: name_filter.into(),
            ..Default::default()
        })
    };
    let by_label = server
        .list_workflows(list(
            ListOptions {
                label_selector: Some("app=demo".into()),
                ..Default::default()
            },
            "",
        ))
        .await
        .expect("list")
        .into_inner();
    assert_eq!(by_label.items.len(), 3);
    let by_prefix = server
        .list_workflows(list(
            ListOptions {
                field_selector: Some("metadata.name=hello-".into()),
                ..Default::default()
            },
            "Prefix",
        ))
        .await
        .expect("list")
        .into_inner();
    assert_eq!(by_prefix.items.len(), 3);
    let first_page = server
        .list_workflows(list(
            ListOptions {
                limit: Some(2),
                ..Default::default()
            },
            "",
        ))
        .await
        .expect("list")
        .into_inner();
    assert_eq!(first_page.items.len(), 2);
    let token = first_page
        .metadata
        .expect("metadata")
        .r#continue
        .expect("more");
    let second_page = server
        .list_workflows(list(
            ListOptions {
                limit: Some(2),
                r#continue: Some(token),
                ..Default::default()
            },
            "",
        ))
        .await
        .expect("list")
        .into_inner();
    assert_eq!(second_page.items.len(), 1);
}

#[tokio::test]
async fn list_refuses_an_unknown_name_filter() {
    let (server, _) = server();
    let status = server
        .list_workflows(Request::new(WorkflowListRequest {
            name_filter: "Regex".into(),
            ..Default::default()
        }))
        .await
        .expect_err("invalid");
    assert_eq!(status.code(), Code::InvalidArgument);
}

#[tokio::test]
async fn watch_streams_existing_and_new_workflows() {
    let (server, store) = server();
    support::seed(&*store, "failed.json").await;
    let mut events = server
        .watch_workflows(Request::new(WatchWorkflowsRequest {
            namespace: "argo".into(),
            fields: "result.type,result.object.metadata.name".into(),
            ..Default::default()
        }))
        .await
        .expect("watch")
        .into_inner();
    let first = events.next().await.expect("an event").expect("ok");
    assert_eq!(first.r#type, "ADDED");
    let object = first.object.expect("object");
    assert_eq!(
        object.metadata.expect("metadata").name.as_deref(),
        Some("failed")
    );
    assert!(object.spec.is_none(), "fields drop the spec");
    server
        .delete_workflow(Request::new(WorkflowDeleteRequest {
            name: "failed".into(),
            namespace: "argo".into(),
            ..Default::default()
        }))
        .await
        .expect("deleted");
    let second = events.next().await.expect("an event").expect("ok");
    assert_eq!(second.r#type, "DELETED");
}

#[tokio::test]
async fn watch_with_a_bad_selector_is_an_invalid_argument() {
    let (server, _) = server();
    let result = server
        .watch_workflows(Request::new(WatchWorkflowsRequest {
            namespace: "argo".into(),
            list_options: Some(ListOptions {
                label_selector: Some("a in (".into()),
                ..Default::default()
            }),
            ..Default::default()
        }))
        .await;
    let status = result.err().expect("invalid selector");
    assert_eq!(status.code(), Code::InvalidArgument);
}

#[tokio::test]
async fn watch_events_streams_kubernetes_events_of_the_namespace() {
    let (server, store) = server();
    let events_kind = ResourceKind::new("v1", "Event", Scope::Namespaced);
    let event = Object::new(&events_kind, Some("argo"), "failed.1")
        .with_field("reason", "WorkflowFailed".into())
        .with_field("message", "exit code 1".into());
    store
        .create(&events_kind, event)
        .await
        .expect("event stored");
    let mut events = server
        .watch_events(Request::new(WatchEventsRequest {
            namespace: "argo".into(),
            ..Default::default()
        }))
        .await
        .expect("watch")
        .into_inner();
    let first = events.next().await.expect("an event").expect("ok");
    assert_eq!(first.reason.as_deref(), Some("WorkflowFailed"));
}

#[tokio::test]
async fn delete_removes_the_workflow_and_force_skips_finalizers() {
    let (server, store) = server();
    let mut json = support::fixture("failed.json");
    json["metadata"]["finalizers"] = serde_json::json!(["workflows.argoproj.io/artifact-gc"]);
    json["apiVersion"] = "argoproj.io/v1alpha1".into();
    json["kind"] = "Workflow".into();
    let object: Object = serde_json::from_value(json).expect("object");
    store
        .create(&support::workflow_kind(), object)
        .await
        .expect("stored");
    server
        .delete_workflow(Request::new(WorkflowDeleteRequest {
            name: "failed".into(),
            namespace: "argo".into(),
            force: true,
            ..Default::default()
        }))
        .await
        .expect("deleted");
    let gone = server
        .get_workflow(get_request("failed", ""))
        .await
        .expect_err("gone");
    assert_eq!(gone.code(), Code::NotFound);
    let again = server
        .delete_workflow(Request::new(WorkflowDeleteRequest {
            name: "failed".into(),
            namespace: "argo".into(),
            ..Default::default()
        }))
        .await
        .expect_err("already gone");
    assert_eq!(again.code(), Code::NotFound);
}

#[tokio::test]
async fn lint_returns_a_valid_workflow_and_refuses_an_invalid_one() {
    let (server, _) = server();
    let linted = server
        .lint_workflow(Request::new(WorkflowLintRequest {
            namespace: "argo".into(),
            workflow: Some(workflow_message("hello-world.json")),
        }))
        .await
        .expect("valid")
        .into_inner();
    assert!(linted.spec.is_some());
    let mut broken = workflow_message("hello-world.json");
    broken.spec.as_mut().expect("spec").templates.clear();
    let status = server
        .lint_workflow(Request::new(WorkflowLintRequest {
            namespace: "argo".into(),
            workflow: Some(broken),
        }))
        .await
        .expect_err("invalid");
    assert_eq!(status.code(), Code::InvalidArgument);
}

async fn store_template(store: &dyn argo_store::ResourceStore, kind: &str) {
    let mut json = support::fixture("hello-world.json");
    json["apiVersion"] = "argoproj.io/v1alpha1".into();
    json["kind"] = kind.into();
    json["metadata"] = serde_json::json!({"name": "hello", "namespace": "argo"});
    let resource_kind = match kind {
        "WorkflowTemplate" => ResourceKind::of::<argo_core::WorkflowTemplate>(),
        _ => ResourceKind::of::<argo_core::ClusterWorkflowTemplate>(),
    };
    if kind == "ClusterWorkflowTemplate" {
        json["metadata"] = serde_json::json!({"name": "hello"});
    }
    let object: Object = serde_json::from_value(json).expect("object");
    store.create(&resource_kind, object).await.expect("stored");
}

fn submit_request(kind: &str, name: &str) -> Request<WorkflowSubmitRequest> {
    let options = serde_json::json!({
        "entryPoint": "main", "labels": "team=a", "parameters": ["message=bye"]
    });
    Request::new(WorkflowSubmitRequest {
        namespace: "argo".into(),
        resource_kind: kind.into(),
        resource_name: name.into(),
        submit_options: Some(argo_proto::json_to_prost(&options).expect("options")),
    })
}

#[tokio::test]
async fn submit_from_a_workflow_template_labels_and_parameterises_the_workflow() {
    let (server, store) = server();
    store_template(&*store, "WorkflowTemplate").await;
    let created = server
        .submit_workflow(submit_request("WorkflowTemplate", "hello"))
        .await
        .expect("submitted")
        .into_inner();
    let metadata = created.metadata.expect("metadata");
    assert!(metadata.name.expect("name").starts_with("hello-"));
    assert_eq!(
        metadata
            .labels
            .get("workflows.argoproj.io/workflow-template")
            .map(String::as_str),
        Some("hello")
    );
    assert_eq!(metadata.labels.get("team").map(String::as_str), Some("a"));
    let spec = created.spec.expect("spec");
    assert_eq!(
        spec.workflow_template_ref.expect("ref").name.as_deref(),
        Some("hello")
    );
    let parameter = &spec.arguments.expect("arguments").parameters[0];
    assert_eq!(parameter.value.as_deref(), Some("bye"));
}

#[tokio::test]
async fn submit_from_a_cluster_template_references_it_cluster_scoped() {
    let (server, store) = server();
    store_template(&*store, "ClusterWorkflowTemplate").await;
    let created = server
        .submit_workflow(submit_request("ClusterWorkflowTemplate", "hello"))
        .await
        .expect("submitted")
        .into_inner();
    let reference = created
        .spec
        .expect("spec")
        .workflow_template_ref
        .expect("ref");
    assert_eq!(reference.cluster_scope, Some(true));
}

#[tokio::test]
async fn submit_from_a_cron_workflow_uses_its_workflow_spec() {
    let (server, store) = server();
    let hello = support::fixture("hello-world.json");
    let cron = serde_json::json!({
        "apiVersion": "argoproj.io/v1alpha1", "kind": "CronWorkflow",
        "metadata": {"name": "nightly", "namespace": "argo"},
        "spec": {"schedules": ["0 0 * * *"], "workflowSpec": hello["spec"]}
    });
    let object: Object = serde_json::from_value(cron).expect("object");
    store
        .create(&ResourceKind::of::<argo_core::CronWorkflow>(), object)
        .await
        .expect("stored");
    let created = server
        .submit_workflow(submit_request("cronwf", "nightly"))
        .await
        .expect("submitted")
        .into_inner();
    let metadata = created.metadata.expect("metadata");
    assert_eq!(
        metadata
            .labels
            .get("workflows.argoproj.io/cron-workflow")
            .map(String::as_str),
        Some("nightly")
    );
    assert_eq!(created.spec.expect("spec").templates.len(), 1);
}

#[tokio::test]
async fn submit_of_a_missing_template_or_unknown_kind_fails_with_argo_codes() {
    let (server, _) = server();
    let missing = server
        .submit_workflow(submit_request("WorkflowTemplate", "nope"))
        .await
        .expect_err("missing");
    assert_eq!(missing.code(), Code::NotFound);
    let unknown = server
        .submit_workflow(submit_request("Pod", "x"))
        .await
        .expect_err("unknown kind");
    assert_eq!(unknown.code(), Code::InvalidArgument);
}
