//! Request builders for the EventSource and Sensor tests: each RPC's request in one call,
//! in namespace `ci` unless given, so the tests only say what differs.

use argo_proto::events::{EventSource, Sensor};
use argo_proto::eventsource::event_source_service_server::EventSourceService;
use argo_proto::eventsource::{
    CreateEventSourceRequest, DeleteEventSourceRequest, EventSourcesLogsRequest,
    GetEventSourceRequest, ListEventSourcesRequest, UpdateEventSourceRequest,
};
use argo_proto::k8s_meta::{ListOptions, ObjectMeta};
use argo_proto::sensor::sensor_service_server::SensorService;
use argo_proto::sensor::{
    CreateSensorRequest, DeleteSensorRequest, GetSensorRequest, ListSensorsRequest,
    SensorsLogsRequest, UpdateSensorRequest,
};
use tonic::Request;

use svc_events::{EventSourceServer, SensorServer};

use super::{message, store};

pub fn bad_selector() -> Option<ListOptions> {
    Some(ListOptions {
        label_selector: Some("team in (".into()),
        ..ListOptions::default()
    })
}

/// Adds `team=platform` to a fixture's labels.
pub fn relabel(metadata: Option<&mut ObjectMeta>) {
    if let Some(metadata) = metadata {
        metadata.labels.insert("team".into(), "platform".into());
    }
}

/// Renames a fixture to `ghost`, a name the store does not hold.
pub fn rename_to_ghost(metadata: Option<&mut ObjectMeta>) {
    if let Some(metadata) = metadata {
        metadata.name = Some("ghost".into());
    }
}

pub fn source() -> EventSource {
    message("webhook-source.json")
}

pub fn sensor() -> Sensor {
    message("push-sensor.json")
}

pub fn create_source(
    namespace: &str,
    event_source: Option<EventSource>,
) -> Request<CreateEventSourceRequest> {
    let namespace = namespace.into();
    Request::new(CreateEventSourceRequest {
        namespace,
        event_source,
    })
}

pub fn get_source(name: &str) -> Request<GetEventSourceRequest> {
    let (name, namespace) = (name.into(), "ci".into());
    Request::new(GetEventSourceRequest { name, namespace })
}

pub fn update_source(name: &str, event_source: EventSource) -> Request<UpdateEventSourceRequest> {
    let (name, namespace, event_source) = (name.into(), "ci".into(), Some(event_source));
    Request::new(UpdateEventSourceRequest {
        name,
        namespace,
        event_source,
    })
}

pub fn list_sources(
    namespace: &str,
    list_options: Option<ListOptions>,
) -> Request<ListEventSourcesRequest> {
    let namespace = namespace.into();
    Request::new(ListEventSourcesRequest {
        namespace,
        list_options,
    })
}

pub fn source_logs(namespace: &str, name: &str) -> Request<EventSourcesLogsRequest> {
    let (namespace, name) = (namespace.into(), name.into());
    Request::new(EventSourcesLogsRequest {
        namespace,
        name,
        ..Default::default()
    })
}

pub fn create_sensor(sensor: Option<Sensor>) -> Request<CreateSensorRequest> {
    let namespace = "ci".into();
    Request::new(CreateSensorRequest {
        namespace,
        sensor,
        create_options: None,
    })
}

pub fn get_sensor(name: &str) -> Request<GetSensorRequest> {
    let (name, namespace) = (name.into(), "ci".into());
    Request::new(GetSensorRequest {
        name,
        namespace,
        get_options: None,
    })
}

pub fn update_sensor(name: &str, sensor: Sensor) -> Request<UpdateSensorRequest> {
    let (name, namespace, sensor) = (name.into(), "ci".into(), Some(sensor));
    Request::new(UpdateSensorRequest {
        namespace,
        name,
        sensor,
    })
}

pub fn delete_sensor(name: &str) -> Request<DeleteSensorRequest> {
    let (name, namespace) = (name.into(), "ci".into());
    Request::new(DeleteSensorRequest {
        name,
        namespace,
        delete_options: None,
    })
}

pub fn delete_source(name: &str) -> Request<DeleteEventSourceRequest> {
    let (name, namespace) = (name.into(), "ci".into());
    Request::new(DeleteEventSourceRequest {
        name,
        namespace,
        delete_options: None,
    })
}

/// An EventSourceServer holding the `webhook` source in `ci`.
pub async fn event_sources() -> EventSourceServer {
    let server = EventSourceServer::new(store());
    let created = server
        .create_event_source(create_source("ci", Some(source())))
        .await;
    created.expect("created");
    server
}

/// A SensorServer holding the `on-push` sensor in `ci`.
pub async fn sensors() -> SensorServer {
    let server = SensorServer::new(store());
    server
        .create_sensor(create_sensor(Some(sensor())))
        .await
        .expect("created");
    server
}

pub fn list_sensors(
    namespace: &str,
    list_options: Option<ListOptions>,
) -> Request<ListSensorsRequest> {
    let namespace = namespace.into();
    Request::new(ListSensorsRequest {
        namespace,
        list_options,
    })
}

pub fn sensor_logs(namespace: &str, name: &str) -> Request<SensorsLogsRequest> {
    let (namespace, name) = (namespace.into(), name.into());
    Request::new(SensorsLogsRequest {
        namespace,
        name,
        ..Default::default()
    })
}
