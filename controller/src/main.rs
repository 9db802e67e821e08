//! `workflow-controller`: runs the controller over the embedded store and local runtime of a
//! data directory until interrupted.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use clap::Parser;
use controller::{Controller, ControllerConfig, EmbeddedOptions, LoopSettings};

#[derive(Debug, Parser)]
#[command(
    name = "workflow-controller",
    about = "Argo's workflow controller, local mode"
)]
struct Flags {
    /// Directory of the store file, the pods' state and the artifact repository.
    #[arg(long, env = "ARGO_DATA_DIR", default_value = ".argo")]
    data_dir: PathBuf,
    /// Argo's workflow-controller-configmap `data` as a YAML file.
    #[arg(long, env = "ARGO_CONTROLLER_CONFIG")]
    configmap: Option<PathBuf>,
    /// Only this namespace (all when unset).
    #[arg(long)]
    namespace: Option<String>,
    /// Workflows reconciled at once.
    #[arg(long, default_value_t = 4)]
    workers: usize,
    /// `namespaces` (needs root) or `none` (plain processes, trusted work only).
    #[arg(long, default_value = "namespaces", value_parser = ["namespaces", "none"])]
    sandbox: String,
}

fn main() -> anyhow::Result<()> {
    controller::limit_arenas();
    tokio::runtime::Runtime::new()
        .context("starting the async runtime")?
        .block_on(run())
}

async fn run() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .init();
    let flags = Flags::parse();
    let config = match &flags.configmap {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            ControllerConfig::from_yaml(&text)?
        }
        None => ControllerConfig::default(),
    };
    let sandbox = if flags.sandbox == "none" {
        argo_runtime::Sandbox::None
    } else {
        argo_runtime::Sandbox::Namespaces
    };
    let embedded = controller::embedded::open(&EmbeddedOptions {
        data_dir: flags.data_dir,
        sandbox,
        argoexec: None,
    })
    .await?;
    let settings = LoopSettings {
        workers: flags.workers,
        resync: Duration::from_secs(2),
        namespace: flags.namespace,
        ..LoopSettings::default()
    };
    let controller = Arc::new(
        Controller::new(embedded.cluster.clone(), config, settings)
            .with_pod_rewriter(Arc::new(embedded.pods.clone())),
    );
    controller
        .run(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
