//! `svc-events`: three services over one store.
//! - `event.EventService`: `ReceiveEvent` evaluates every WorkflowEventBinding of the namespace
//!   against the event (`payload`, `metadata` = the `x-` request headers, `discriminator`,
//!   `namespace`) and creates a Workflow from the bound template for each that matches, with
//!   arguments from `valueFrom.event` expressions; `ListWorkflowEventBindings`.
//! - `eventsource.EventSourceService` and `sensor.SensorService`: create, get, list, update,
//!   delete and watch Argo Events' EventSources and Sensors as stored resources; their logs
//!   streams end at once (no event-source or sensor pods run here).
//!
//! Must not: run workflows, or depend on another `svc-*` crate (workflows are created in the
//! store directly, as the workflow service would store them).

mod conversion;
mod dispatch;
mod events;
mod resources;
mod sources;

pub use argo_service::{Error, Result};
pub use events::{EventConfig, EventServer};
pub use sources::{EventSourceServer, SensorServer};

use std::sync::Arc;

use argo_proto::event::event_service_server::EventServiceServer;
use argo_proto::eventsource::event_source_service_server::EventSourceServiceServer;
use argo_proto::sensor::sensor_service_server::SensorServiceServer;
use argo_store::ResourceStore;

/// EventService for in-process mounting (`argo server`) or the standalone binary.
pub fn event_service(
    store: Arc<dyn ResourceStore>,
    config: EventConfig,
) -> EventServiceServer<EventServer> {
    EventServiceServer::new(EventServer::new(store, config))
}

/// EventSourceService over the store's EventSources.
pub fn event_source_service(
    store: Arc<dyn ResourceStore>,
) -> EventSourceServiceServer<EventSourceServer> {
    EventSourceServiceServer::new(EventSourceServer::new(store))
}

/// SensorService over the store's Sensors.
pub fn sensor_service(store: Arc<dyn ResourceStore>) -> SensorServiceServer<SensorServer> {
    SensorServiceServer::new(SensorServer::new(store))
}
