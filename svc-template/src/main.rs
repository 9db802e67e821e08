//! `svc-template`: the WorkflowTemplate and ClusterWorkflowTemplate services alone over a
//! store, with gRPC health and reflection.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::{Context, bail};
use argo_store::{Environment, MemoryStore, ResourceStore, SqliteConfig, SqliteStore};
use clap::Parser;

/// Serve workflowtemplate.WorkflowTemplateService and
/// clusterworkflowtemplate.ClusterWorkflowTemplateService.
#[derive(Debug, Parser)]
#[command(name = "svc-template", version)]
struct Args {
    /// Address to listen on.
    #[arg(long, env = "SVC_TEMPLATE_LISTEN", default_value = "127.0.0.1:2750")]
    listen: SocketAddr,
    /// `memory`, or `sqlite:///path/to/db` (created when missing).
    #[arg(long, env = "SVC_TEMPLATE_STORE", default_value = "memory")]
    store: String,
    /// Argo's controller instance ID: only templates labelled with it are served.
    #[arg(long, env = "ARGO_INSTANCEID")]
    instanceid: Option<String>,
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

fn main() -> anyhow::Result<()> {
    tokio::runtime::Builder::new_multi_thread()
        .thread_stack_size(svc_template::WORKER_STACK_BYTES)
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
    let config = svc_template::Config {
        instance_id: args.instanceid.filter(|id| !id.is_empty()),
    };
    let services = svc_template::service(store, config);
    let router = argo_service::base_router(&svc_template::SERVICE_NAMES).await?;
    tracing::info!(listen = %args.listen, store = %args.store, "serving template services");
    router
        .add_service(services.workflow_templates)
        .add_service(services.cluster_workflow_templates)
        .serve(args.listen)
        .await?;
    Ok(())
}
