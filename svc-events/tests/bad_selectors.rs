//! Malformed label selectors and unsupported field selectors on every List and Watch RPC of
//! the event, event source and sensor services are InvalidArgument naming the selector.

mod support;

use argo_proto::event::ListWorkflowEventBindingsRequest;
use argo_proto::event::event_service_server::EventService;
use argo_proto::eventsource::event_source_service_server::EventSourceService;
use argo_proto::k8s_meta::ListOptions;
use argo_proto::sensor::sensor_service_server::SensorService;
use support::sources::{list_sensors, list_sources};
use support::store;
use svc_events::{EventConfig, EventServer, EventSourceServer, SensorServer};
use tonic::{Code, Request, Response, Status};

/// Each bad selector with the list options that carry it.
fn bad_options() -> Vec<(&'static str, ListOptions)> {
    vec![
        (
            "team in (docs",
            ListOptions {
                label_selector: Some("team in (docs".to_owned()),
                ..Default::default()
            },
        ),
        (
            "spec.service=x",
            ListOptions {
                field_selector: Some("spec.service=x".to_owned()),
                ..Default::default()
            },
        ),
    ]
}

fn assert_names_selector(status: &Status, selector: &str) {
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
    assert!(
        status.message().contains(selector),
        "the message should name {selector:?}: {}",
        status.message()
    );
}

/// A watch refuses a bad selector when it is asked, before any event, so REST answers 400
/// rather than a stream that ends in an error.
fn watch_refusal<S>(answer: Result<Response<S>, Status>) -> Status {
    match answer {
        Err(status) => status,
        Ok(_) => panic!("the watch started despite a bad selector"),
    }
}

#[tokio::test]
async fn list_workflow_event_bindings_with_a_malformed_selector_is_invalid() {
    let server = EventServer::new(store(), EventConfig::default());
    for (selector, options) in bad_options() {
        let status = server
            .list_workflow_event_bindings(Request::new(ListWorkflowEventBindingsRequest {
                namespace: "argo".into(),
                list_options: Some(options),
            }))
            .await
            .expect_err("a bad selector is refused");
        assert_names_selector(&status, selector);
    }
}

#[tokio::test]
async fn list_event_sources_with_a_malformed_selector_is_invalid() {
    let server = EventSourceServer::new(store());
    for (selector, options) in bad_options() {
        let status = server
            .list_event_sources(list_sources("argo", Some(options)))
            .await
            .expect_err("a bad selector is refused");
        assert_names_selector(&status, selector);
    }
}

#[tokio::test]
async fn watch_event_sources_with_a_malformed_selector_is_invalid() {
    let server = EventSourceServer::new(store());
    for (selector, options) in bad_options() {
        let answer = server
            .watch_event_sources(list_sources("argo", Some(options)))
            .await;
        assert_names_selector(&watch_refusal(answer), selector);
    }
}

#[tokio::test]
async fn list_sensors_with_a_malformed_selector_is_invalid() {
    let server = SensorServer::new(store());
    for (selector, options) in bad_options() {
        let status = server
            .list_sensors(list_sensors("argo", Some(options)))
            .await
            .expect_err("a bad selector is refused");
        assert_names_selector(&status, selector);
    }
}

#[tokio::test]
async fn watch_sensors_with_a_malformed_selector_is_invalid() {
    let server = SensorServer::new(store());
    for (selector, options) in bad_options() {
        let answer = server
            .watch_sensors(list_sensors("argo", Some(options)))
            .await;
        assert_names_selector(&watch_refusal(answer), selector);
    }
}
