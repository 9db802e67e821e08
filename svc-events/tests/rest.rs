//! The three services behind the gateway in local mode: an event posted to Argo's REST path
//! (the body is the payload, `x-` headers reach the selector) submits the bound template, and
//! the resource paths answer.

mod support;

use std::sync::Arc;

use argo_store::{ListParams, ResourceKind, ResourceStore};
use http::{Method, Request, StatusCode};
use serde_json::Value;
use support::{big_stack, fixture, seed, store, workflow_kind};
use svc_events::EventConfig;

async fn router(store: Arc<dyn ResourceStore>) -> axum::Router {
    let routes = tonic::service::Routes::new(svc_events::event_service(
        store.clone(),
        EventConfig::default(),
    ))
    .add_service(svc_events::event_source_service(store.clone()))
    .add_service(svc_events::sensor_service(store));
    argo_service::testing::local_gateway(routes).await
}

async fn call(
    router: &axum::Router,
    method: Method,
    uri: &str,
    body: String,
) -> (StatusCode, Value) {
    let request = Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", "application/json")
        .header("x-delivery", "72d3162e")
        .body(axum::body::Body::from(body))
        .expect("request");
    argo_service::testing::send(router, request).await
}

#[test]
fn a_posted_event_submits_the_bound_template() {
    big_stack(async {
        let store = store();
        // The binding's selector reads the `x-delivery` header the request carries.
        let binding = serde_json::from_value(fixture("on-push.json")).expect("object");
        store
            .create(
                &ResourceKind::of::<argo_core::WorkflowEventBinding>(),
                binding,
            )
            .await
            .expect("seeded");
        seed(
            &*store,
            &ResourceKind::of::<argo_core::WorkflowTemplate>(),
            "build-template.json",
        )
        .await;
        let router = router(store.clone()).await;
        let payload = fixture("push-payload.json").to_string();
        let (status, body) = call(&router, Method::POST, "/api/v1/events/ci/github", payload).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let created = store
            .list(&workflow_kind(), &ListParams::default())
            .await
            .expect("list");
        assert_eq!(created.items.len(), 1);

        let (status, bindings) = call(
            &router,
            Method::GET,
            "/api/v1/workflow-event-bindings/ci",
            String::new(),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{bindings}");
        assert_eq!(bindings["items"][0]["metadata"]["name"], "on-push");
    });
}

#[test]
fn event_sources_and_sensors_are_reachable_with_argo_paths() {
    big_stack(async {
        let router = router(store()).await;
        let source = serde_json::json!({"eventSource": fixture("webhook-source.json")});
        let (status, created) = call(
            &router,
            Method::POST,
            "/api/v1/event-sources/ci",
            source.to_string(),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{created}");
        let (status, got) = call(
            &router,
            Method::GET,
            "/api/v1/event-sources/ci/webhook",
            String::new(),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{got}");
        assert_eq!(got["metadata"]["name"], "webhook");
        let (status, missing) = call(
            &router,
            Method::GET,
            "/api/v1/sensors/ci/none",
            String::new(),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{missing}");
    });
}

#[test]
fn an_event_without_the_selected_header_submits_nothing() {
    big_stack(async {
        let store = store();
        let binding = serde_json::from_value(fixture("on-push.json")).expect("object");
        store
            .create(
                &ResourceKind::of::<argo_core::WorkflowEventBinding>(),
                binding,
            )
            .await
            .expect("seeded");
        seed(
            &*store,
            &ResourceKind::of::<argo_core::WorkflowTemplate>(),
            "build-template.json",
        )
        .await;
        let router = router(store.clone()).await;
        // No `x-delivery` header: the selector is false.
        let payload = axum::body::Body::from(fixture("push-payload.json").to_string());
        let uri = "/api/v1/events/ci/github";
        let (status, body) = argo_service::testing::call_raw(&router, "POST", uri, payload).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let created = store
            .list(&workflow_kind(), &ListParams::default())
            .await
            .expect("list");
        assert!(created.items.is_empty(), "{:?}", created.items);
    });
}
