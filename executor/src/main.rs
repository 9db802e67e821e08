//! The `argoexec` binary: parses the subcommand and calls the library.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;
use argo_artifact::LocalRepository;
use argo_artifact::location::DefaultRepository;
use clap::{Parser, Subcommand};
use executor::{ExecutorConfig, emissary, inputs, report, wait};

#[derive(Parser)]
#[command(name = "argoexec", about = "Argo's in-pod executor")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Stage the template, script and input artifacts (init container).
    Init,
    /// Wait for main, collect its outputs and report them (wait container).
    Wait,
    /// Run a command as the main container.
    Emissary {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, required = true)]
        args: Vec<String>,
    },
}

fn repository(config: &ExecutorConfig) -> Option<DefaultRepository> {
    let root = config.artifacts.root.clone()?;
    Some(DefaultRepository {
        repository: Arc::new(LocalRepository::new(root)),
        bucket: config.artifacts.bucket.clone(),
        key_format: config.artifacts.key_format.clone(),
        archive_logs: config.artifacts.archive_logs,
    })
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Init => {
            let config = ExecutorConfig::from_env()?;
            let binary = std::env::current_exe().context("locating argoexec")?;
            inputs::init(&config, repository(&config).as_ref(), &binary).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Wait => {
            let config = ExecutorConfig::from_env()?;
            let store = report::open_store(config.store_url.as_deref()).await?;
            let reporter = report::Reporter::new(store, &config);
            let outcome = wait::wait(&config, Some(&reporter), repository(&config).as_ref()).await;
            if outcome.errors.is_empty() {
                return Ok(ExitCode::SUCCESS);
            }
            anyhow::bail!(outcome.errors.join("; "))
        }
        Command::Emissary { args } => {
            let args: Vec<String> = match args.first().map(String::as_str) {
                Some("--") => args[1..].to_vec(),
                _ => args,
            };
            let var_run = std::env::var("ARGO_VAR_RUN")
                .ok()
                .filter(|v| !v.is_empty())
                .map_or_else(executor::VarRunArgo::default, executor::VarRunArgo::new);
            let container = std::env::var("ARGO_CONTAINER_NAME")
                .ok()
                .filter(|c| !c.is_empty())
                .unwrap_or_else(|| "main".to_owned());
            let template =
                executor::config::read_template(&var_run, std::env::var("ARGO_TEMPLATE").ok()).ok();
            let code = emissary::run(&var_run, &container, template.as_ref(), &args).await?;
            Ok(ExitCode::from(
                u8::try_from(code.clamp(0, 255)).unwrap_or(1),
            ))
        }
    }
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("ARGO_LOG")
                .unwrap_or_else(|_| "info".into()),
        )
        .init();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("argoexec: starting the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("argoexec: {error:#}");
            ExitCode::FAILURE
        }
    }
}
