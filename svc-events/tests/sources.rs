//! EventSourceService and SensorService through the generated traits: CRUD, watch and logs
//! over the store, each with success, not found and invalid argument. Test names start with
//! the RPC's snake-case name (see `rpc_coverage.rs`).

mod support;

use argo_proto::eventsource::event_source_service_server::EventSourceService;
use argo_proto::eventsource::{
    CreateEventSourceRequest, DeleteEventSourceRequest, EventSourcesLogsRequest,
    GetEventSourceRequest, ListEventSourcesRequest, UpdateEventSourceRequest,
};
use argo_proto::k8s_meta::ListOptions;
use argo_proto::sensor::sensor_service_server::SensorService;
use argo_proto::sensor::{
    CreateSensorRequest, DeleteSensorRequest, GetSensorRequest, ListSensorsRequest,
    SensorsLogsRequest, UpdateSensorRequest,
};
use futures::StreamExt;
use support::{message, store};
use svc_events::{EventSourceServer, SensorServer};
use tonic::{Code, Request};

fn bad_selector() -> Option<ListOptions> {
    Some(ListOptions {
        label_selector: Some("team in (".into()),
        ..ListOptions::default()
    })
}

async fn event_sources() -> EventSourceServer {
    let server = EventSourceServer::new(store());
    server
        .create_event_source(Request::new(CreateEventSourceRequest {
            namespace: "ci".into(),
            event_source: Some(message("webhook-source.json")),
        }))
        .await
        .expect("created");
    server
}

async fn sensors() -> SensorServer {
    let server = SensorServer::new(store());
    server
        .create_sensor(Request::new(CreateSensorRequest {
            namespace: "ci".into(),
            sensor: Some(message("push-sensor.json")),
            create_options: None,
        }))
        .await
        .expect("created");
    server
}

#[tokio::test]
async fn create_event_source_stores_it_and_refuses_duplicates_and_empty_bodies() {
    let server = event_sources().await;
    let again = server
        .create_event_source(Request::new(CreateEventSourceRequest {
            namespace: "ci".into(),
            event_source: Some(message("webhook-source.json")),
        }))
        .await
        .expect_err("duplicate");
    assert_eq!(again.code(), Code::AlreadyExists);
    let empty = server
        .create_event_source(Request::new(CreateEventSourceRequest {
            namespace: "ci".into(),
            event_source: None,
        }))
        .await
        .expect_err("no body");
    assert_eq!(empty.code(), Code::InvalidArgument);
    let elsewhere = server
        .create_event_source(Request::new(CreateEventSourceRequest {
            namespace: "other".into(),
            event_source: Some(message("webhook-source.json")),
        }))
        .await
        .expect_err("namespace mismatch");
    assert_eq!(elsewhere.code(), Code::InvalidArgument);
}

#[tokio::test]
async fn get_event_source_found_not_found_and_nameless() {
    let server = event_sources().await;
    let found = server
        .get_event_source(Request::new(GetEventSourceRequest {
            name: "webhook".into(),
            namespace: "ci".into(),
        }))
        .await
        .expect("found")
        .into_inner();
    let spec = found.spec.expect("spec");
    assert!(spec.webhook.contains_key("push"));
    let missing = server
        .get_event_source(Request::new(GetEventSourceRequest {
            name: "nope".into(),
            namespace: "ci".into(),
        }))
        .await
        .expect_err("missing");
    assert_eq!(missing.code(), Code::NotFound);
    let nameless = server
        .get_event_source(Request::new(GetEventSourceRequest {
            name: String::new(),
            namespace: "ci".into(),
        }))
        .await
        .expect_err("no name");
    assert_eq!(nameless.code(), Code::InvalidArgument);
}

#[tokio::test]
async fn update_event_source_replaces_it_and_checks_the_name() {
    let server = event_sources().await;
    let mut changed: argo_proto::events::EventSource = message("webhook-source.json");
    if let Some(metadata) = changed.metadata.as_mut() {
        metadata.labels.insert("team".into(), "platform".into());
    }
    let updated = server
        .update_event_source(Request::new(UpdateEventSourceRequest {
            name: "webhook".into(),
            namespace: "ci".into(),
            event_source: Some(changed.clone()),
        }))
        .await
        .expect("updated")
        .into_inner();
    let labels = updated.metadata.expect("metadata").labels;
    assert_eq!(labels.get("team").map(String::as_str), Some("platform"));
    let renamed = server
        .update_event_source(Request::new(UpdateEventSourceRequest {
            name: "other".into(),
            namespace: "ci".into(),
            event_source: Some(changed),
        }))
        .await
        .expect_err("name mismatch");
    assert_eq!(renamed.code(), Code::InvalidArgument);
    let mut ghost: argo_proto::events::EventSource = message("webhook-source.json");
    if let Some(metadata) = ghost.metadata.as_mut() {
        metadata.name = Some("ghost".into());
    }
    let missing = server
        .update_event_source(Request::new(UpdateEventSourceRequest {
            name: "ghost".into(),
            namespace: "ci".into(),
            event_source: Some(ghost),
        }))
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
    let list = |namespace: &str, list_options: Option<ListOptions>| {
        Request::new(ListEventSourcesRequest {
            namespace: namespace.into(),
            list_options,
        })
    };
    let found = server
        .list_event_sources(list("ci", None))
        .await
        .expect("listed")
        .into_inner();
    assert_eq!(found.items.len(), 1);
    let none = server
        .list_event_sources(list("nowhere", None))
        .await
        .expect("listed")
        .into_inner();
    assert!(none.items.is_empty());
    let error = server
        .list_event_sources(list("ci", bad_selector()))
        .await
        .expect_err("bad selector");
    assert_eq!(error.code(), Code::InvalidArgument);
}

#[tokio::test]
async fn event_sources_logs_end_at_once_and_check_the_request() {
    let server = event_sources().await;
    let logs = |namespace: &str, name: &str| {
        Request::new(EventSourcesLogsRequest {
            namespace: namespace.into(),
            name: name.into(),
            ..Default::default()
        })
    };
    let stream = server
        .event_sources_logs(logs("ci", "webhook"))
        .await
        .expect("stream")
        .into_inner();
    assert_eq!(stream.count().await, 0, "no event-source pods run here");
    let missing = server
        .event_sources_logs(logs("ci", "nope"))
        .await
        .err()
        .expect("missing");
    assert_eq!(missing.code(), Code::NotFound);
    let unscoped = server
        .event_sources_logs(logs("", ""))
        .await
        .err()
        .expect("no namespace");
    assert_eq!(unscoped.code(), Code::InvalidArgument);
}

#[tokio::test]
async fn watch_event_sources_starts_with_what_exists() {
    let server = event_sources().await;
    let mut changes = server
        .watch_event_sources(Request::new(ListEventSourcesRequest {
            namespace: "ci".into(),
            list_options: None,
        }))
        .await
        .expect("watching")
        .into_inner();
    let first = changes.next().await.expect("an event").expect("ok");
    assert_eq!(first.r#type, "ADDED");
    let name = first.object.and_then(|o| o.metadata).and_then(|m| m.name);
    assert_eq!(name.as_deref(), Some("webhook"));
    let error = server
        .watch_event_sources(Request::new(ListEventSourcesRequest {
            namespace: "ci".into(),
            list_options: bad_selector(),
        }))
        .await
        .err()
        .expect("bad selector");
    assert_eq!(error.code(), Code::InvalidArgument);
    let watch_missing = server
        .watch_event_sources(Request::new(ListEventSourcesRequest {
            namespace: "nowhere".into(),
            list_options: None,
        }))
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
        .create_sensor(Request::new(CreateSensorRequest {
            namespace: "ci".into(),
            sensor: Some(message("push-sensor.json")),
            create_options: None,
        }))
        .await
        .expect_err("duplicate");
    assert_eq!(again.code(), Code::AlreadyExists);
    let empty = server
        .create_sensor(Request::new(CreateSensorRequest {
            namespace: "ci".into(),
            sensor: None,
            create_options: None,
        }))
        .await
        .expect_err("no body");
    assert_eq!(empty.code(), Code::InvalidArgument);
}

#[tokio::test]
async fn get_sensor_found_not_found_and_nameless() {
    let server = sensors().await;
    let found = server
        .get_sensor(Request::new(GetSensorRequest {
            name: "on-push".into(),
            namespace: "ci".into(),
            get_options: None,
        }))
        .await
        .expect("found")
        .into_inner();
    assert_eq!(found.spec.expect("spec").dependencies.len(), 1);
    let missing = server
        .get_sensor(Request::new(GetSensorRequest {
            name: "nope".into(),
            namespace: "ci".into(),
            get_options: None,
        }))
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
    let mut changed: argo_proto::events::Sensor = message("push-sensor.json");
    if let Some(metadata) = changed.metadata.as_mut() {
        metadata.labels.insert("team".into(), "platform".into());
    }
    let updated = server
        .update_sensor(Request::new(UpdateSensorRequest {
            namespace: "ci".into(),
            name: "on-push".into(),
            sensor: Some(changed.clone()),
        }))
        .await
        .expect("updated")
        .into_inner();
    let labels = updated.metadata.expect("metadata").labels;
    assert_eq!(labels.get("team").map(String::as_str), Some("platform"));
    let renamed = server
        .update_sensor(Request::new(UpdateSensorRequest {
            namespace: "ci".into(),
            name: "other".into(),
            sensor: Some(changed),
        }))
        .await
        .expect_err("name mismatch");
    assert_eq!(renamed.code(), Code::InvalidArgument);
    let mut ghost: argo_proto::events::Sensor = message("push-sensor.json");
    if let Some(metadata) = ghost.metadata.as_mut() {
        metadata.name = Some("ghost".into());
    }
    let missing = server
        .update_sensor(Request::new(UpdateSensorRequest {
            namespace: "ci".into(),
            name: "ghost".into(),
            sensor: Some(ghost),
        }))
        .await
        .expect_err("missing");
    assert_eq!(missing.code(), Code::NotFound);
}

#[tokio::test]
async fn delete_sensor_then_it_is_not_found() {
    let server = sensors().await;
    let request = || {
        Request::new(DeleteSensorRequest {
            name: "on-push".into(),
            namespace: "ci".into(),
            delete_options: None,
        })
    };
    server.delete_sensor(request()).await.expect("deleted");
    let again = server.delete_sensor(request()).await.expect_err("gone");
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
    let list = |namespace: &str, list_options: Option<ListOptions>| {
        Request::new(ListSensorsRequest {
            namespace: namespace.into(),
            list_options,
        })
    };
    let found = server
        .list_sensors(list("ci", None))
        .await
        .expect("listed")
        .into_inner();
    assert_eq!(found.items.len(), 1);
    let none = server
        .list_sensors(list("nowhere", None))
        .await
        .expect("listed")
        .into_inner();
    assert!(none.items.is_empty());
    let error = server
        .list_sensors(list("ci", bad_selector()))
        .await
        .expect_err("bad selector");
    assert_eq!(error.code(), Code::InvalidArgument);
}

#[tokio::test]
async fn sensors_logs_end_at_once_and_check_the_request() {
    let server = sensors().await;
    let logs = |namespace: &str, name: &str| {
        Request::new(SensorsLogsRequest {
            namespace: namespace.into(),
            name: name.into(),
            ..Default::default()
        })
    };
    let stream = server
        .sensors_logs(logs("ci", "on-push"))
        .await
        .expect("stream")
        .into_inner();
    assert_eq!(stream.count().await, 0, "no sensor pods run here");
    let missing = server
        .sensors_logs(logs("ci", "nope"))
        .await
        .err()
        .expect("missing");
    assert_eq!(missing.code(), Code::NotFound);
    let unscoped = server
        .sensors_logs(logs("", ""))
        .await
        .err()
        .expect("no namespace");
    assert_eq!(unscoped.code(), Code::InvalidArgument);
}

#[tokio::test]
async fn watch_sensors_reports_changes_after_the_snapshot() {
    let server = sensors().await;
    let mut changes = server
        .watch_sensors(Request::new(ListSensorsRequest {
            namespace: "ci".into(),
            list_options: None,
        }))
        .await
        .expect("watching")
        .into_inner();
    let first = changes.next().await.expect("an event").expect("ok");
    assert_eq!(first.r#type, "ADDED");
    server
        .delete_sensor(Request::new(DeleteSensorRequest {
            name: "on-push".into(),
            namespace: "ci".into(),
            delete_options: None,
        }))
        .await
        .expect("deleted");
    let second = changes.next().await.expect("an event").expect("ok");
    assert_eq!(second.r#type, "DELETED");
    let error = server
        .watch_sensors(Request::new(ListSensorsRequest {
            namespace: "ci".into(),
            list_options: bad_selector(),
        }))
        .await
        .err()
        .expect("bad selector");
    assert_eq!(error.code(), Code::InvalidArgument);
}
