//! EventSourceService and SensorService through the generated traits: CRUD, watch and logs
//! over the store, each with success, not found and invalid argument. Test names start with
//! the RPC's snake-case name (see `rpc_coverage.rs`).

mod support;

use argo_proto::eventsource::DeleteEventSourceRequest;
use argo_proto::eventsource::event_source_service_server::EventSourceService;
use argo_proto::sensor::sensor_service_server::SensorService;
use argo_proto::sensor::{DeleteSensorRequest, GetSensorRequest};
use futures::StreamExt;
use support::sources::*;
use tonic::{Code, Request};

#[tokio::test]
async fn create_event_source_stores_it_and_refuses_duplicates_and_empty_bodies() {
    let server = event_sources().await;
    let again = server
        .create_event_source(create_source("ci", Some(source())))
        .await
        .expect_err("duplicate");
    assert_eq!(again.code(), Code::AlreadyExists);
    let empty = server
        .create_event_source(create_source("ci", None))
        .await
        .expect_err("no body");
    assert_eq!(empty.code(), Code::InvalidArgument);
    let elsewhere = server
        .create_event_source(create_source("other", Some(source())))
        .await
        .expect_err("namespace mismatch");
    assert_eq!(elsewhere.code(), Code::InvalidArgument);
}

#[tokio::test]
async fn get_event_source_found_not_found_and_nameless() {
    let server = event_sources().await;
    let found = server
        .get_event_source(get_source("webhook"))
        .await
        .expect("found")
        .into_inner();
    let spec = found.spec.expect("spec");
    assert!(spec.webhook.contains_key("push"));
    let missing = server
        .get_event_source(get_source("nope"))
        .await
        .expect_err("missing");
    assert_eq!(missing.code(), Code::NotFound);
    let nameless = server
        .get_event_source(get_source(""))
        .await
        .expect_err("no name");
    assert_eq!(nameless.code(), Code::InvalidArgument);
}

#[tokio::test]
async fn update_event_source_replaces_it_and_checks_the_name() {
    let server = event_sources().await;
    let mut changed = source();
    relabel(changed.metadata.as_mut());
    let updated = server
        .update_event_source(update_source("webhook", changed.clone()))
        .await
        .expect("updated")
        .into_inner();
    let labels = updated.metadata.expect("metadata").labels;
    assert_eq!(labels.get("team").map(String::as_str), Some("platform"));
    let renamed = server
        .update_event_source(update_source("other", changed))
        .await
        .expect_err("name mismatch");
    assert_eq!(renamed.code(), Code::InvalidArgument);
    let mut ghost = source();
    rename_to_ghost(ghost.metadata.as_mut());
    let missing = server
        .update_event_source(update_source("ghost", ghost))
        .await
        .expect_err("missing");
    assert_eq!(missing.code(), Code::NotFound);
}

#[tokio::test]
async fn delete_event_source_then_it_is_not_found() {
    let server = event_sources().await;
    let request = || {
        Request::new(DeleteEventSourceRequest {
            name: "webhook".into(),
            namespace: "ci".into(),
            delete_options: None,
        })
    };
    server
        .delete_event_source(request())
        .await
        .expect("deleted");
    let again = server
        .delete_event_source(request())
        .await
        .expect_err("gone");
    assert_eq!(again.code(), Code::NotFound);
    let nameless = server
        .delete_event_source(Request::new(DeleteEventSourceRequest::default()))
        .await
        .expect_err("nothing named");
    assert_eq!(nameless.code(), Code::InvalidArgument);
}

#[tokio::test]
async fn list_event_sources_by_namespace_and_labels() {
    let server = event_sources().await;
    let found = server
        .list_event_sources(list_sources("ci", None))
        .await
        .expect("listed")
        .into_inner();
    assert_eq!(found.items.len(), 1);
    let none = server
        .list_event_sources(list_sources("nowhere", None))
        .await
        .expect("listed")
        .into_inner();
    assert!(none.items.is_empty());
    let error = server
        .list_event_sources(list_sources("ci", bad_selector()))
        .await
        .expect_err("bad selector");
    assert_eq!(error.code(), Code::InvalidArgument);
}

#[tokio::test]
async fn event_sources_logs_end_at_once_and_check_the_request() {
    let server = event_sources().await;
    let stream = server
        .event_sources_logs(source_logs("ci", "webhook"))
        .await
        .expect("stream")
        .into_inner();
    assert_eq!(stream.count().await, 0, "no event-source pods run here");
    let missing = server
        .event_sources_logs(source_logs("ci", "nope"))
        .await
        .err()
        .expect("missing");
    assert_eq!(missing.code(), Code::NotFound);
    let unscoped = server
        .event_sources_logs(source_logs("", ""))
        .await
        .err()
        .expect("no namespace");
    assert_eq!(unscoped.code(), Code::InvalidArgument);
}

#[tokio::test]
async fn watch_event_sources_starts_with_what_exists() {
    let server = event_sources().await;
    let mut changes = server
        .watch_event_sources(list_sources("ci", None))
        .await
        .expect("watching")
        .into_inner();
    let first = changes.next().await.expect("an event").expect("ok");
    assert_eq!(first.r#type, "ADDED");
    let name = first.object.and_then(|o| o.metadata).and_then(|m| m.name);
    assert_eq!(name.as_deref(), Some("webhook"));
    let error = server
        .watch_event_sources(list_sources("ci", bad_selector()))
        .await
        .err()
        .expect("bad selector");
    assert_eq!(error.code(), Code::InvalidArgument);
    let watch_missing = server
        .watch_event_sources(list_sources("nowhere", None))
        .await;
    assert!(
        watch_missing.is_ok(),
        "watching an empty namespace is not NotFound"
    );
}

#[tokio::test]
async fn create_sensor_stores_it_and_refuses_duplicates_and_empty_bodies() {
    let server = sensors().await;
    let again = server
        .create_sensor(create_sensor(Some(sensor())))
        .await
        .expect_err("duplicate");
    assert_eq!(again.code(), Code::AlreadyExists);
    let empty = server
        .create_sensor(create_sensor(None))
        .await
        .expect_err("no body");
    assert_eq!(empty.code(), Code::InvalidArgument);
}

#[tokio::test]
async fn get_sensor_found_not_found_and_nameless() {
    let server = sensors().await;
    let found = server
        .get_sensor(get_sensor("on-push"))
        .await
        .expect("found")
        .into_inner();
    assert_eq!(found.spec.expect("spec").dependencies.len(), 1);
    let missing = server
        .get_sensor(get_sensor("nope"))
        .await
        .expect_err("missing");
    assert_eq!(missing.code(), Code::NotFound);
    let nameless = server
        .get_sensor(Request::new(GetSensorRequest::default()))
        .await
        .expect_err("no name");
    assert_eq!(nameless.code(), Code::InvalidArgument);
}

#[tokio::test]
async fn update_sensor_replaces_it_and_checks_the_name() {
    let server = sensors().await;
    let mut changed = sensor();
    relabel(changed.metadata.as_mut());
    let updated = server
        .update_sensor(update_sensor("on-push", changed.clone()))
        .await
        .expect("updated")
        .into_inner();
    let labels = updated.metadata.expect("metadata").labels;
    assert_eq!(labels.get("team").map(String::as_str), Some("platform"));
    let renamed = server
        .update_sensor(update_sensor("other", changed))
        .await
        .expect_err("name mismatch");
    assert_eq!(renamed.code(), Code::InvalidArgument);
    let mut ghost = sensor();
    rename_to_ghost(ghost.metadata.as_mut());
    let missing = server
        .update_sensor(update_sensor("ghost", ghost))
        .await
        .expect_err("missing");
    assert_eq!(missing.code(), Code::NotFound);
}

#[tokio::test]
async fn delete_sensor_then_it_is_not_found() {
    let server = sensors().await;
    server
        .delete_sensor(delete_sensor("on-push"))
        .await
        .expect("deleted");
    let again = server
        .delete_sensor(delete_sensor("on-push"))
        .await
        .expect_err("gone");
    assert_eq!(again.code(), Code::NotFound);
    let nameless = server
        .delete_sensor(Request::new(DeleteSensorRequest::default()))
        .await
        .expect_err("nothing named");
    assert_eq!(nameless.code(), Code::InvalidArgument);
}

#[tokio::test]
async fn list_sensors_by_namespace_and_labels() {
    let server = sensors().await;
    let found = server
        .list_sensors(list_sensors("ci", None))
        .await
        .expect("listed")
        .into_inner();
    assert_eq!(found.items.len(), 1);
    let none = server
        .list_sensors(list_sensors("nowhere", None))
        .await
        .expect("listed")
        .into_inner();
    assert!(none.items.is_empty());
    let error = server
        .list_sensors(list_sensors("ci", bad_selector()))
        .await
        .expect_err("bad selector");
    assert_eq!(error.code(), Code::InvalidArgument);
}

#[tokio::test]
async fn sensors_logs_end_at_once_and_check_the_request() {
    let server = sensors().await;
    let stream = server
        .sensors_logs(sensor_logs("ci", "on-push"))
        .await
        .expect("stream")
        .into_inner();
    assert_eq!(stream.count().await, 0, "no sensor pods run here");
    let missing = server
        .sensors_logs(sensor_logs("ci", "nope"))
        .await
        .err()
        .expect("missing");
    assert_eq!(missing.code(), Code::NotFound);
    let unscoped = server
        .sensors_logs(sensor_logs("", ""))
        .await
        .err()
        .expect("no namespace");
    assert_eq!(unscoped.code(), Code::InvalidArgument);
}

#[tokio::test]
async fn watch_sensors_reports_changes_after_the_snapshot() {
    let server = sensors().await;
    let mut changes = server
        .watch_sensors(list_sensors("ci", None))
        .await
        .expect("watching")
        .into_inner();
    let first = changes.next().await.expect("an event").expect("ok");
    assert_eq!(first.r#type, "ADDED");
    server
        .delete_sensor(delete_sensor("on-push"))
        .await
        .expect("deleted");
    let second = changes.next().await.expect("an event").expect("ok");
    assert_eq!(second.r#type, "DELETED");
    let error = server
        .watch_sensors(list_sensors("ci", bad_selector()))
        .await
        .err()
        .expect("bad selector");
    assert_eq!(error.code(), Code::InvalidArgument);
}
