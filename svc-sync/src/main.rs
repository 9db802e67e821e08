//! `svc-sync`: the sync-limit service alone over a store, with gRPC health and reflection.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::{Context, bail};
use argo_store::{Environment, MemoryStore, ResourceStore, SqliteConfig, SqliteStore};
use clap::Parser;

/// Serve sync.SyncService.
#[derive(Debug, Parser)]
#[command(name = "svc-sync", version)]
struct Args {
    /// Address to listen on.
    #[arg(long, env = "SVC_SYNC_LISTEN", default_value = "127.0.0.1:2752")]
    listen: SocketAddr,
    /// `memory`, or `sqlite:///path/to/db` (created when missing).
    #[arg(long, env = "SVC_SYNC_STORE", default_value = "memory")]
    store: String,
    /// Refuse DATABASE limits, as Argo does without `synchronization.enableAPI`.
    #[arg(long, env = "SVC_SYNC_NO_DATABASE_LIMITS")]
    no_database_limits: bool,
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

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .init();
    let args = Args::parse();
    let store = open_store(&args.store).await?;
    let config = svc_sync::Config {
        database_limits: !args.no_database_limits,
    };
    let router = argo_service::base_router(&[svc_sync::SERVICE_NAME]).await?;
    tracing::info!(listen = %args.listen, store = %args.store, "serving sync.SyncService");
    router
        .add_service(svc_sync::service(store, config))
        .serve(args.listen)
        .await?;
    Ok(())
}
