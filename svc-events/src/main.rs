//! `svc-events`: EventService, EventSourceService and SensorService over one store, with gRPC
//! health and reflection.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::{Context, bail};
use argo_store::{Environment, MemoryStore, ResourceStore, SqliteConfig, SqliteStore};
use clap::Parser;

/// Serve event.EventService, eventsource.EventSourceService and sensor.SensorService.
#[derive(Debug, Parser)]
#[command(name = "svc-events", version)]
struct Args {
    /// Address to listen on.
    #[arg(long, env = "SVC_EVENTS_LISTEN", default_value = "127.0.0.1:2751")]
    listen: SocketAddr,
    /// `memory`, or `sqlite:///path/to/db` (created when missing).
    #[arg(long, env = "SVC_EVENTS_STORE", default_value = "memory")]
    store: String,
    /// The controller instance id bindings and created workflows are labelled with.
    #[arg(long, env = "ARGO_INSTANCE_ID", default_value = "")]
    instance_id: String,
}

async fn open_store(location: &str) -> anyhow::Result<Arc<dyn ResourceStore>> {
    if location == "memory" {
        return Ok(Arc::new(MemoryStore::default()));
    }
    let Some(path) = location.strip_prefix("sqlite://") else {
        bail!("unknown store {location:?}: use memory or sqlite:///path");
    };
    let store = SqliteStore::open(&SqliteConfig::file(path), Environment::default())
        .await
        .with_context(|| format!("opening {path}"))?;
    Ok(Arc::new(store))
}

/// Deep resources make deep protobuf conversions: run on large worker stacks.
const WORKER_STACK_BYTES: usize = 16 * 1024 * 1024;

fn main() -> anyhow::Result<()> {
    tokio::runtime::Builder::new_multi_thread()
        .thread_stack_size(WORKER_STACK_BYTES)
        .enable_all()
        .build()?
        .block_on(run())
}

async fn run() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .init();
    let args = Args::parse();
    let store = open_store(&args.store).await?;
    let config = svc_events::EventConfig {
        instance_id: args.instance_id.clone(),
    };
    let names = [
        "event.EventService",
        "eventsource.EventSourceService",
        "sensor.SensorService",
    ];
    let router = argo_service::base_router(&names).await?;
    tracing::info!(listen = %args.listen, store = %args.store, "serving {}", names.join(", "));
    router
        .add_service(svc_events::event_service(store.clone(), config))
        .add_service(svc_events::event_source_service(store.clone()))
        .add_service(svc_events::sensor_service(store))
        .serve(args.listen)
        .await?;
    Ok(())
}
