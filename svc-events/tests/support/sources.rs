//! Request builders for the EventSource and Sensor tests: each RPC's request in one call,
//! in namespace `ci` unless given, so the tests only say what differs.

use argo_proto::events::{EventSource, Sensor};
use argo_proto::eventsource::{
    CreateEventSourceRequest, EventSourcesLogsRequest, GetEventSourceRequest,
    ListEventSourcesRequest, UpdateEventSourceRequest,
};
use argo_proto::k8s_meta::{ListOptions, ObjectMeta};
use argo_proto::sensor::{
    CreateSensorRequest, DeleteSensorRequest, GetSensorRequest, ListSensorsRequest,
    SensorsLogsRequest, UpdateSensorRequest,
};
use tonic::Request;

use super::message;

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

pub fn delete_sensor() -> Request<DeleteSensorRequest> {
    let (name, namespace) = ("on-push".into(), "ci".into());
    Request::new(DeleteSensorRequest {
        name,
        namespace,
        delete_options: None,
    })
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
