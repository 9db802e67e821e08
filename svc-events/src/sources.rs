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
use argo_proto::sensor::sensor_service_server::SensorService;
use argo_proto::sensor::{
    CreateSensorRequest, DeleteSensorRequest, DeleteSensorResponse, GetSensorRequest,
    ListSensorsRequest, LogEntry as SensorLogEntry, SensorWatchEvent, SensorsLogsRequest,
    UpdateSensorRequest,
};
use argo_store::ResourceStore;
use futures::stream::{BoxStream, StreamExt};
use serde_json::{Value, json};
use tonic::{Request, Response, Status};

use crate::Result;
use crate::conversion::{event_source_kind, json_message, message_json, sensor_kind};
use crate::resources::Resources;

type Streamed<T> = BoxStream<'static, Result<T, Status>>;

fn answer<T>(result: Result<T>) -> Result<Response<T>, Status> {
    result.map(Response::new).map_err(Status::from)
}

fn stream<T: Send + 'static>(
    result: Result<BoxStream<'static, Result<T>>>,
) -> Result<Response<Streamed<T>>, Status> {
    let items = result.map_err(Status::from)?;
    Ok(Response::new(
        items.map(|item| item.map_err(Status::from)).boxed(),
    ))
}

fn body<M: prost::Message + prost::Name>(message: Option<&M>) -> Result<Option<Value>> {
    message.map(message_json).transpose()
}

/// Watch changes as `{type, object}` messages.
async fn watch_events<M>(
    resources: &Resources,
    namespace: &str,
    options: Option<argo_proto::k8s_meta::ListOptions>,
) -> Result<BoxStream<'static, Result<M>>>
where
    M: prost::Message + prost::Name + Default + Send + 'static,
{
    let changes = resources
        .watch(namespace, &options.unwrap_or_default())
        .await?;
    Ok(changes
        .map(|change| {
            let (event_type, object) = change?;
            json_message::<M>(&json!({"type": event_type, "object": object}))
        })
        .boxed())
}

/// EventSourceService over the store.
#[derive(Clone)]
pub struct EventSourceServer {
    resources: Resources,
}

impl std::fmt::Debug for EventSourceServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventSourceServer").finish_non_exhaustive()
    }
}

impl EventSourceServer {
    pub fn new(store: Arc<dyn ResourceStore>) -> Self {
        Self {
            resources: Resources::new(store, event_source_kind()),
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
    ) -> Result<Response<events::EventSource>, Status> {
        let request = request.into_inner();
        answer(
            async {
                let manifest = body(request.event_source.as_ref())?;
                json_message(&self.resources.create(&request.namespace, manifest).await?)
            }
            .await,
        )
    }

    async fn get_event_source(
        &self,
        request: Request<GetEventSourceRequest>,
    ) -> Result<Response<events::EventSource>, Status> {
        let request = request.into_inner();
        answer(
            async {
                json_message(
                    &self
                        .resources
                        .get(&request.namespace, &request.name)
                        .await?,
                )
            }
            .await,
        )
    }

    async fn delete_event_source(
        &self,
        request: Request<DeleteEventSourceRequest>,
    ) -> Result<Response<EventSourceDeletedResponse>, Status> {
        let request = request.into_inner();
        answer(
            self.resources
                .delete(
                    &request.namespace,
                    &request.name,
                    request.delete_options.as_ref(),
                )
                .await
                .map(|()| EventSourceDeletedResponse {}),
        )
    }

    async fn update_event_source(
        &self,
        request: Request<UpdateEventSourceRequest>,
    ) -> Result<Response<events::EventSource>, Status> {
        let request = request.into_inner();
        answer(
            async {
                let manifest = body(request.event_source.as_ref())?;
                json_message(
                    &self
                        .resources
                        .update(&request.namespace, &request.name, manifest)
                        .await?,
                )
            }
            .await,
        )
    }

    async fn list_event_sources(
        &self,
        request: Request<ListEventSourcesRequest>,
    ) -> Result<Response<events::EventSourceList>, Status> {
        let request = request.into_inner();
        let options = request.list_options.unwrap_or_default();
        answer(
            async { json_message(&self.resources.list(&request.namespace, &options).await?) }.await,
        )
    }

    async fn event_sources_logs(
        &self,
        request: Request<EventSourcesLogsRequest>,
    ) -> Result<Response<Self::EventSourcesLogsStream>, Status> {
        let request = request.into_inner();
        stream(
            self.resources
                .no_logs(&request.namespace, &request.name)
                .await,
        )
    }

    async fn watch_event_sources(
        &self,
        request: Request<ListEventSourcesRequest>,
    ) -> Result<Response<Self::WatchEventSourcesStream>, Status> {
        let request = request.into_inner();
        stream(watch_events(&self.resources, &request.namespace, request.list_options).await)
    }
}

/// SensorService over the store.
#[derive(Clone)]
pub struct SensorServer {
    resources: Resources,
}

impl std::fmt::Debug for SensorServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SensorServer").finish_non_exhaustive()
    }
}

impl SensorServer {
    pub fn new(store: Arc<dyn ResourceStore>) -> Self {
        Self {
            resources: Resources::new(store, sensor_kind()),
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
    ) -> Result<Response<events::SensorList>, Status> {
        let request = request.into_inner();
        let options = request.list_options.unwrap_or_default();
        answer(
            async { json_message(&self.resources.list(&request.namespace, &options).await?) }.await,
        )
    }

    async fn sensors_logs(
        &self,
        request: Request<SensorsLogsRequest>,
    ) -> Result<Response<Self::SensorsLogsStream>, Status> {
        let request = request.into_inner();
        stream(
            self.resources
                .no_logs(&request.namespace, &request.name)
                .await,
        )
    }

    async fn watch_sensors(
        &self,
        request: Request<ListSensorsRequest>,
    ) -> Result<Response<Self::WatchSensorsStream>, Status> {
        let request = request.into_inner();
        stream(watch_events(&self.resources, &request.namespace, request.list_options).await)
    }

    async fn create_sensor(
        &self,
        request: Request<CreateSensorRequest>,
    ) -> Result<Response<events::Sensor>, Status> {
        let request = request.into_inner();
        answer(
            async {
                let manifest = body(request.sensor.as_ref())?;
                json_message(&self.resources.create(&request.namespace, manifest).await?)
            }
            .await,
        )
    }

    async fn update_sensor(
        &self,
        request: Request<UpdateSensorRequest>,
    ) -> Result<Response<events::Sensor>, Status> {
        let request = request.into_inner();
        answer(
            async {
                let manifest = body(request.sensor.as_ref())?;
                json_message(
                    &self
                        .resources
                        .update(&request.namespace, &request.name, manifest)
                        .await?,
                )
            }
            .await,
        )
    }

    async fn delete_sensor(
        &self,
        request: Request<DeleteSensorRequest>,
    ) -> Result<Response<DeleteSensorResponse>, Status> {
        let request = request.into_inner();
        answer(
            self.resources
                .delete(
                    &request.namespace,
                    &request.name,
                    request.delete_options.as_ref(),
                )
                .await
                .map(|()| DeleteSensorResponse {}),
        )
    }

    async fn get_sensor(
        &self,
        request: Request<GetSensorRequest>,
    ) -> Result<Response<events::Sensor>, Status> {
        let request = request.into_inner();
        answer(
            async {
                json_message(
                    &self
                        .resources
                        .get(&request.namespace, &request.name)
                        .await?,
                )
            }
            .await,
        )
    }
}
