//! EventSourceService and SensorService: Argo Events' kinds as stored resources, through
//! [`Resources`]. Logs streams are empty (no event-source or sensor pods run here).
//!
//! Must not: hold logic beyond request plumbing.

use std::sync::Arc;

use argo_proto::events;
use argo_proto::eventsource::event_source_service_server::EventSourceService;
use argo_proto::eventsource::{
    CreateEventSourceRequest, DeleteEventSourceRequest, EventSourceDeletedResponse,
    EventSourceWatchEvent, EventSourcesLogsRequest, GetEventSourceRequest, ListEventSourcesRequest,
    LogEntry as EventSourceLogEntry, UpdateEventSourceRequest,
};
use argo_proto::k8s_meta::{DeleteOptions, ListOptions};
use argo_proto::sensor::sensor_service_server::SensorService;
use argo_proto::sensor::{
    CreateSensorRequest, DeleteSensorRequest, DeleteSensorResponse, GetSensorRequest,
    ListSensorsRequest, LogEntry as SensorLogEntry, SensorWatchEvent, SensorsLogsRequest,
    UpdateSensorRequest,
};
use argo_store::ResourceStore;
use futures::stream::{BoxStream, StreamExt};
use serde_json::json;
use tonic::{Request, Response, Status};

use crate::Result;
use crate::conversion::{event_source_kind, json_message, message_json, sensor_kind};
use crate::resources::Resources;

type Streamed<T> = BoxStream<'static, Result<T, Status>>;
type Answer<T> = Result<Response<T>, Status>;

fn answer<T>(result: Result<T>) -> Answer<T> {
    result.map(Response::new).map_err(Status::from)
}

fn stream<T: Send + 'static>(result: Result<BoxStream<'static, Result<T>>>) -> Answer<Streamed<T>> {
    let items = result.map_err(Status::from)?;
    Ok(Response::new(
        items.map(|item| item.map_err(Status::from)).boxed(),
    ))
}

/// The request plumbing both services share: each RPC of either service is one call here,
/// so the two only differ in their message types.
#[derive(Clone)]
struct KindRpcs {
    resources: Resources,
}

impl KindRpcs {
    async fn create<B, M>(&self, namespace: &str, body: Option<&B>) -> Answer<M>
    where
        B: prost::Message + prost::Name,
        M: prost::Message + prost::Name + Default,
    {
        answer(
            async {
                let manifest = body.map(message_json).transpose()?;
                json_message(&self.resources.create(namespace, manifest).await?)
            }
            .await,
        )
    }

    async fn get<M>(&self, namespace: &str, name: &str) -> Answer<M>
    where
        M: prost::Message + prost::Name + Default,
    {
        answer(async { json_message(&self.resources.get(namespace, name).await?) }.await)
    }

    async fn update<B, M>(&self, namespace: &str, name: &str, body: Option<&B>) -> Answer<M>
    where
        B: prost::Message + prost::Name,
        M: prost::Message + prost::Name + Default,
    {
        answer(
            async {
                let manifest = body.map(message_json).transpose()?;
                json_message(&self.resources.update(namespace, name, manifest).await?)
            }
            .await,
        )
    }

    async fn delete<R>(
        &self,
        namespace: &str,
        name: &str,
        options: Option<&DeleteOptions>,
        deleted: R,
    ) -> Answer<R> {
        answer(
            self.resources
                .delete(namespace, name, options)
                .await
                .map(|()| deleted),
        )
    }

    async fn list<M>(&self, namespace: &str, options: Option<ListOptions>) -> Answer<M>
    where
        M: prost::Message + prost::Name + Default,
    {
        let options = options.unwrap_or_default();
        answer(async { json_message(&self.resources.list(namespace, &options).await?) }.await)
    }

    async fn logs<T: Send + 'static>(&self, namespace: &str, name: &str) -> Answer<Streamed<T>> {
        stream(self.resources.no_logs(namespace, name).await)
    }

    /// Watch changes as `{type, object}` messages.
    async fn watch<M>(&self, namespace: &str, options: Option<ListOptions>) -> Answer<Streamed<M>>
    where
        M: prost::Message + prost::Name + Default + Send + 'static,
    {
        let changes = self
            .resources
            .watch(namespace, &options.unwrap_or_default())
            .await;
        stream(changes.map(|changes| {
            changes
                .map(|change| {
                    let (event_type, object) = change?;
                    json_message::<M>(&json!({"type": event_type, "object": object}))
                })
                .boxed()
        }))
    }
}

/// EventSourceService over the store.
#[derive(Clone)]
pub struct EventSourceServer {
    rpcs: KindRpcs,
}

impl std::fmt::Debug for EventSourceServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventSourceServer").finish_non_exhaustive()
    }
}

impl EventSourceServer {
    pub fn new(store: Arc<dyn ResourceStore>) -> Self {
        let resources = Resources::new(store, event_source_kind());
        Self {
            rpcs: KindRpcs { resources },
        }
    }
}

#[tonic::async_trait]
impl EventSourceService for EventSourceServer {
    type EventSourcesLogsStream = Streamed<EventSourceLogEntry>;
    type WatchEventSourcesStream = Streamed<EventSourceWatchEvent>;

    async fn create_event_source(
        &self,
        request: Request<CreateEventSourceRequest>,
    ) -> Answer<events::EventSource> {
        let request = request.into_inner();
        let body = request.event_source.as_ref();
        self.rpcs.create(&request.namespace, body).await
    }

    async fn get_event_source(
        &self,
        request: Request<GetEventSourceRequest>,
    ) -> Answer<events::EventSource> {
        let request = request.into_inner();
        self.rpcs.get(&request.namespace, &request.name).await
    }

    async fn delete_event_source(
        &self,
        request: Request<DeleteEventSourceRequest>,
    ) -> Answer<EventSourceDeletedResponse> {
        let r = request.into_inner();
        let options = r.delete_options.as_ref();
        let deleted = EventSourceDeletedResponse {};
        self.rpcs
            .delete(&r.namespace, &r.name, options, deleted)
            .await
    }

    async fn update_event_source(
        &self,
        request: Request<UpdateEventSourceRequest>,
    ) -> Answer<events::EventSource> {
        let r = request.into_inner();
        let body = r.event_source.as_ref();
        self.rpcs.update(&r.namespace, &r.name, body).await
    }

    async fn list_event_sources(
        &self,
        request: Request<ListEventSourcesRequest>,
    ) -> Answer<events::EventSourceList> {
        let request = request.into_inner();
        self.rpcs
            .list(&request.namespace, request.list_options)
            .await
    }

    async fn event_sources_logs(
        &self,
        request: Request<EventSourcesLogsRequest>,
    ) -> Answer<Self::EventSourcesLogsStream> {
        let request = request.into_inner();
        self.rpcs.logs(&request.namespace, &request.name).await
    }

    async fn watch_event_sources(
        &self,
        request: Request<ListEventSourcesRequest>,
    ) -> Answer<Self::WatchEventSourcesStream> {
        let request = request.into_inner();
        self.rpcs
            .watch(&request.namespace, request.list_options)
            .await
    }
}

/// SensorService over the store.
#[derive(Clone)]
pub struct SensorServer {
    rpcs: KindRpcs,
}

impl std::fmt::Debug for SensorServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SensorServer").finish_non_exhaustive()
    }
}

impl SensorServer {
    pub fn new(store: Arc<dyn ResourceStore>) -> Self {
        let resources = Resources::new(store, sensor_kind());
        Self {
            rpcs: KindRpcs { resources },
        }
    }
}

#[tonic::async_trait]
impl SensorService for SensorServer {
    type SensorsLogsStream = Streamed<SensorLogEntry>;
    type WatchSensorsStream = Streamed<SensorWatchEvent>;

    async fn list_sensors(
        &self,
        request: Request<ListSensorsRequest>,
    ) -> Answer<events::SensorList> {
        let request = request.into_inner();
        self.rpcs
            .list(&request.namespace, request.list_options)
            .await
    }

    async fn sensors_logs(
        &self,
        request: Request<SensorsLogsRequest>,
    ) -> Answer<Self::SensorsLogsStream> {
        let request = request.into_inner();
        self.rpcs.logs(&request.namespace, &request.name).await
    }

    async fn watch_sensors(
        &self,
        request: Request<ListSensorsRequest>,
    ) -> Answer<Self::WatchSensorsStream> {
        let request = request.into_inner();
        self.rpcs
            .watch(&request.namespace, request.list_options)
            .await
    }

    async fn create_sensor(&self, request: Request<CreateSensorRequest>) -> Answer<events::Sensor> {
        let request = request.into_inner();
        self.rpcs
            .create(&request.namespace, request.sensor.as_ref())
            .await
    }

    async fn update_sensor(&self, request: Request<UpdateSensorRequest>) -> Answer<events::Sensor> {
        let r = request.into_inner();
        self.rpcs
            .update(&r.namespace, &r.name, r.sensor.as_ref())
            .await
    }

    async fn delete_sensor(
        &self,
        request: Request<DeleteSensorRequest>,
    ) -> Answer<DeleteSensorResponse> {
        let r = request.into_inner();
        let options = r.delete_options.as_ref();
        let deleted = DeleteSensorResponse {};
        self.rpcs
            .delete(&r.namespace, &r.name, options, deleted)
            .await
    }

    async fn get_sensor(&self, request: Request<GetSensorRequest>) -> Answer<events::Sensor> {
        let request = request.into_inner();
        self.rpcs.get(&request.namespace, &request.name).await
    }
}
