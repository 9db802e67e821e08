//! One outcome per test for the EventSourceService and SensorService RPCs whose outcomes
//! `sources.rs` checks together, so `argo_service::rpc_coverage` finds each by name.

mod support;

use argo_proto::eventsource::event_source_service_server::EventSourceService;
use argo_proto::sensor::sensor_service_server::SensorService;
use support::sources::*;
use support::store;
use svc_events::{EventSourceServer, SensorServer};
use tonic::{Code, Status};

fn assert_code<T>(answer: Result<T, Status>, code: Code) {
    match answer {
        Ok(_) => panic!("expected {code:?}, the call succeeded"),
        Err(status) => assert_eq!(status.code(), code, "{status:?}"),
    }
}

#[tokio::test]
async fn create_event_source_without_a_body_is_invalid_argument() {
    let server = EventSourceServer::new(store());
    let answer = server.create_event_source(create_source("ci", None)).await;
    assert_code(answer, Code::InvalidArgument);
}

#[tokio::test]
async fn get_event_source_answers_the_stored_source() {
    let server = event_sources().await;
    let found = server
        .get_event_source(get_source("webhook"))
        .await
        .expect("found")
        .into_inner();
    assert_eq!(
        found.metadata.and_then(|metadata| metadata.name).as_deref(),
        Some("webhook")
    );
}

#[tokio::test]
async fn get_event_source_without_a_name_is_invalid_argument() {
    let server = event_sources().await;
    let answer = server.get_event_source(get_source("")).await;
    assert_code(answer, Code::InvalidArgument);
}

#[tokio::test]
async fn update_event_source_not_found_is_not_found() {
    let server = EventSourceServer::new(store());
    let answer = server
        .update_event_source(update_source("webhook", source()))
        .await;
    assert_code(answer, Code::NotFound);
}

#[tokio::test]
async fn update_event_source_under_another_name_is_invalid_argument() {
    let server = event_sources().await;
    let answer = server
        .update_event_source(update_source("other", source()))
        .await;
    assert_code(answer, Code::InvalidArgument);
}

#[tokio::test]
async fn delete_event_source_removes_it() {
    let server = event_sources().await;
    server
        .delete_event_source(delete_source("webhook"))
        .await
        .expect("deleted");
    let answer = server.get_event_source(get_source("webhook")).await;
    assert_code(answer, Code::NotFound);
}

#[tokio::test]
async fn delete_event_source_without_a_name_is_invalid_argument() {
    let server = event_sources().await;
    assert_code(
        server.delete_event_source(delete_source("")).await,
        Code::InvalidArgument,
    );
}

#[tokio::test]
async fn event_sources_logs_of_a_source_not_found_is_not_found() {
    let server = event_sources().await;
    assert_code(
        server.event_sources_logs(source_logs("ci", "nope")).await,
        Code::NotFound,
    );
}

#[tokio::test]
async fn event_sources_logs_without_a_namespace_is_invalid_argument() {
    let server = event_sources().await;
    assert_code(
        server.event_sources_logs(source_logs("", "")).await,
        Code::InvalidArgument,
    );
}

#[tokio::test]
async fn create_sensor_without_a_body_is_invalid_argument() {
    let server = SensorServer::new(store());
    let answer = server.create_sensor(create_sensor(None)).await;
    assert_code(answer, Code::InvalidArgument);
}

#[tokio::test]
async fn get_sensor_answers_the_stored_sensor() {
    let server = sensors().await;
    let found = server
        .get_sensor(get_sensor("on-push"))
        .await
        .expect("found");
    let name = found
        .into_inner()
        .metadata
        .and_then(|metadata| metadata.name);
    assert_eq!(name.as_deref(), Some("on-push"));
}

#[tokio::test]
async fn get_sensor_without_a_name_is_invalid_argument() {
    let server = sensors().await;
    assert_code(
        server.get_sensor(get_sensor("")).await,
        Code::InvalidArgument,
    );
}

#[tokio::test]
async fn update_sensor_not_found_is_not_found() {
    let server = SensorServer::new(store());
    let answer = server
        .update_sensor(update_sensor("on-push", sensor()))
        .await;
    assert_code(answer, Code::NotFound);
}

#[tokio::test]
async fn update_sensor_under_another_name_is_invalid_argument() {
    let server = sensors().await;
    let answer = server.update_sensor(update_sensor("other", sensor())).await;
    assert_code(answer, Code::InvalidArgument);
}

#[tokio::test]
async fn delete_sensor_removes_it() {
    let server = sensors().await;
    server
        .delete_sensor(delete_sensor("on-push"))
        .await
        .expect("deleted");
    assert_code(
        server.get_sensor(get_sensor("on-push")).await,
        Code::NotFound,
    );
}

#[tokio::test]
async fn delete_sensor_without_a_name_is_invalid_argument() {
    let server = sensors().await;
    assert_code(
        server.delete_sensor(delete_sensor("")).await,
        Code::InvalidArgument,
    );
}

#[tokio::test]
async fn sensors_logs_of_a_sensor_not_found_is_not_found() {
    let server = sensors().await;
    assert_code(
        server.sensors_logs(sensor_logs("ci", "nope")).await,
        Code::NotFound,
    );
}

#[tokio::test]
async fn sensors_logs_without_a_namespace_is_invalid_argument() {
    let server = sensors().await;
    assert_code(
        server.sensors_logs(sensor_logs("", "")).await,
        Code::InvalidArgument,
    );
}
