//! EventService through the generated trait: events dispatched to bindings, and bindings listed.
//! Test names start with the RPC's snake-case name (see `rpc_coverage.rs`).

mod support;

use argo_proto::event::event_service_server::EventService;
use argo_proto::event::{EventRequest, ListWorkflowEventBindingsRequest};
use argo_proto::k8s_meta::ListOptions;
use argo_proto::wf::Item;
use argo_store::{ListParams, ResourceKind, ResourceStore};
use serde_json::{Value, json};
use support::{fixture, seed, store, workflow_kind};
use svc_events::{EventConfig, EventServer};
use tonic::{Code, Request};

fn binding_kind() -> ResourceKind {
    ResourceKind::of::<argo_core::WorkflowEventBinding>()
}

fn template_kind() -> ResourceKind {
    ResourceKind::of::<argo_core::WorkflowTemplate>()
}

fn event(namespace: &str, discriminator: &str, payload: &Value) -> Request<EventRequest> {
    let mut request = Request::new(EventRequest {
        namespace: namespace.into(),
        discriminator: discriminator.into(),
        payload: Some(Item {
            value: Some(serde_json::to_vec(payload).expect("json")),
        }),
    });
    request
        .metadata_mut()
        .insert("x-delivery", "72d3162e".parse().expect("header"));
    request
}

async fn workflows(store: &dyn ResourceStore) -> Vec<Value> {
    store
        .list(&workflow_kind(), &ListParams::default())
        .await
        .expect("list")
        .items
        .iter()
        .map(|object| serde_json::to_value(object).expect("json"))
        .collect()
}

async fn seeded() -> (EventServer, std::sync::Arc<dyn ResourceStore>) {
    let store = store();
    seed(&*store, &binding_kind(), "on-push.json").await;
    seed(&*store, &template_kind(), "build-template.json").await;
    (
        EventServer::new(store.clone(), EventConfig::default()),
        store,
    )
}

#[tokio::test]
async fn receive_event_submits_the_bound_template_with_event_parameters() {
    let (server, store) = seeded().await;
    server
        .receive_event(event("ci", "github", &fixture("push-payload.json")))
        .await
        .expect("dispatched");
    let created = workflows(&*store).await;
    assert_eq!(created.len(), 1, "{created:?}");
    let workflow = &created[0];
    assert!(
        workflow["metadata"]["name"]
            .as_str()
            .is_some_and(|n| n.starts_with("build-"))
    );
    assert_eq!(workflow["metadata"]["namespace"], "ci");
    assert_eq!(
        workflow["metadata"]["labels"]["workflows.argoproj.io/workflow-event-binding"],
        "on-push"
    );
    assert_eq!(workflow["metadata"]["annotations"]["pushed-by"], "ada");
    assert_eq!(
        workflow["spec"]["workflowTemplateRef"],
        json!({"name": "build"})
    );
    assert_eq!(
        workflow["spec"]["arguments"]["parameters"],
        json!([{"name": "commit", "value": "9f3c2e1"}, {"name": "files", "value": "2"}])
    );
}

#[tokio::test]
async fn receive_event_that_matches_no_binding_submits_nothing() {
    let (server, store) = seeded().await;
    server
        .receive_event(event("ci", "gitlab", &fixture("push-payload.json")))
        .await
        .expect("accepted");
    server
        .receive_event(event("elsewhere", "github", &fixture("push-payload.json")))
        .await
        .expect("accepted");
    assert!(workflows(&*store).await.is_empty());
}

#[tokio::test]
async fn receive_event_whose_bound_template_is_missing_fails_naming_the_binding() {
    let store = store();
    seed(&*store, &binding_kind(), "on-push.json").await;
    let server = EventServer::new(store.clone(), EventConfig::default());
    let error = server
        .receive_event(event("ci", "github", &fixture("push-payload.json")))
        .await
        .expect_err("no template");
    assert_eq!(error.code(), Code::Internal);
    assert!(error.message().contains("on-push"), "{}", error.message());
    assert!(error.message().contains("not found"), "{}", error.message());
    assert!(workflows(&*store).await.is_empty(), "nothing half-written");
}

#[tokio::test]
async fn receive_event_with_a_payload_that_is_not_json_is_an_invalid_argument() {
    let (server, _store) = seeded().await;
    let request = Request::new(EventRequest {
        namespace: "ci".into(),
        discriminator: "github".into(),
        payload: Some(Item {
            value: Some(b"{not json".to_vec()),
        }),
    });
    let error = server
        .receive_event(request)
        .await
        .expect_err("bad payload");
    assert_eq!(error.code(), Code::InvalidArgument);
    assert!(error.message().contains("payload"), "{}", error.message());
}

#[tokio::test]
async fn list_workflow_event_bindings_of_a_namespace() {
    let (server, _store) = seeded().await;
    let list = server
        .list_workflow_event_bindings(Request::new(ListWorkflowEventBindingsRequest {
            namespace: "ci".into(),
            list_options: None,
        }))
        .await
        .expect("listed")
        .into_inner();
    let names: Vec<_> = list
        .items
        .iter()
        .filter_map(|item| item.metadata.as_ref()?.name.clone())
        .collect();
    assert_eq!(names, ["on-push"]);
    let empty = server
        .list_workflow_event_bindings(Request::new(ListWorkflowEventBindingsRequest {
            namespace: "nowhere".into(),
            list_options: None,
        }))
        .await
        .expect("listed")
        .into_inner();
    assert!(
        empty.items.is_empty(),
        "an empty namespace lists nothing, not NotFound"
    );
}

#[tokio::test]
async fn list_workflow_event_bindings_rejects_a_bad_selector() {
    let (server, _store) = seeded().await;
    let error = server
        .list_workflow_event_bindings(Request::new(ListWorkflowEventBindingsRequest {
            namespace: "ci".into(),
            list_options: Some(ListOptions {
                label_selector: Some("team in (".into()),
                ..ListOptions::default()
            }),
        }))
        .await
        .expect_err("bad selector");
    assert_eq!(error.code(), Code::InvalidArgument);
}
