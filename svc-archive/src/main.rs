//! `svc-archive`: the ArchivedWorkflowService alone, with gRPC health and reflection, over a
//! live store and an archive (both in memory, or both in one SQLite file).

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::{Context, bail};
use argo_store::{
    ArchiveStore, Environment, MemoryArchive, MemoryStore, ResourceStore, SqliteArchive,
    SqliteConfig, SqliteStore,
};
use clap::Parser;

/// Serve workflowarchive.ArchivedWorkflowService.
#[derive(Debug, Parser)]
#[command(name = "svc-archive", version)]
struct Args {
    /// Address to listen on.
    #[arg(long, env = "SVC_ARCHIVE_LISTEN", default_value = "127.0.0.1:2750")]
    listen: SocketAddr,
    /// `memory`, or `sqlite:///path/to/db` (created when missing).
    #[arg(long, env = "SVC_ARCHIVE_STORE", default_value = "memory")]
    store: String,
    /// Label keys whose values are never listed (a regular expression).
    #[arg(
        long,
        env = "DISABLE_VALUE_LIST_RETRIEVAL_KEY_PATTERN",
        default_value = ""
    )]
    skip_values_for_keys: String,
}

type Stores = (Arc<dyn ArchiveStore>, Arc<dyn ResourceStore>);

async fn open_stores(location: &str) -> anyhow::Result<Stores> {
    if location == "memory" {
        return Ok((
            Arc::new(MemoryArchive::default()),
            Arc::new(MemoryStore::default()),
        ));
    }
    let Some(path) = location.strip_prefix("sqlite://") else {
        bail!("unknown store {location:?}: use memory or sqlite:///path");
    };
    let store = SqliteStore::open(&SqliteConfig::file(path), Environment::default())
        .await
        .with_context(|| format!("opening {path}"))?;
    Ok((Arc::new(SqliteArchive::new(&store)), Arc::new(store)))
}

/// Deep workflows make deep protobuf conversions: run on large worker stacks.
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
    let config = svc_archive::ArchiveConfig::default()
        .with_skipped_value_keys(&args.skip_values_for_keys)?;
    let (archive, store) = open_stores(&args.store).await?;
    let service = svc_archive::service(archive, store, config);
    let name = "workflowarchive.ArchivedWorkflowService";
    let router = argo_service::base_router(&[name]).await?;
    tracing::info!(listen = %args.listen, store = %args.store, "serving {name}");
    router.add_service(service).serve(args.listen).await?;
    Ok(())
}
