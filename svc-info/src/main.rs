//! `svc-info`: the InfoService alone, with gRPC health and reflection.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use clap::Parser;

/// Serve info.InfoService.
#[derive(Debug, Parser)]
#[command(name = "svc-info", version)]
struct Args {
    /// Address to listen on.
    #[arg(long, env = "SVC_INFO_LISTEN", default_value = "127.0.0.1:2747")]
    listen: SocketAddr,
    /// JSON file with GetInfo's settings (managedNamespace, links, columns, navColor, modals).
    #[arg(long, env = "SVC_INFO_CONFIG")]
    config: Option<PathBuf>,
    /// The namespace the server manages (overrides the file).
    #[arg(long, env = "ARGO_MANAGED_NAMESPACE")]
    managed_namespace: Option<String>,
}

fn main() -> anyhow::Result<()> {
    tokio::runtime::Builder::new_multi_thread()
        .thread_stack_size(8 * 1024 * 1024)
        .enable_all()
        .build()?
        .block_on(run())
}

async fn run() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .init();
    let args = Args::parse();
    let mut config = match &args.config {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?
        }
        None => svc_info::InfoConfig::default(),
    };
    if let Some(namespace) = args.managed_namespace {
        config.managed_namespace = namespace;
    }
    let service = svc_info::service(config, svc_info::Identity::default());
    let router = argo_service::base_router(&["info.InfoService"]).await?;
    tracing::info!(listen = %args.listen, "serving info.InfoService");
    router.add_service(service).serve(args.listen).await?;
    Ok(())
}
