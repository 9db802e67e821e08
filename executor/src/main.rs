//! The `argoexec` binary: parses the subcommand and calls the library.

use std::process::ExitCode;

use anyhow::Context as _;
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
    /// Apply a resource template's action to the store (main of resource templates).
    Resource {
        action: String,
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        log_options: Vec<String>,
    },
    /// Run a data template given as JSON (main of data templates).
    Data {
        spec: String,
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        log_options: Vec<String>,
    },
    /// Run a command as the main container.
    Emissary {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, required = true)]
        args: Vec<String>,
    },
}

async fn run(cli: Cli) -> anyhow::Result<u8> {
    match cli.command {
        Command::Init => {
            let config = ExecutorConfig::from_env()?;
            let binary = std::env::current_exe().context("locating argoexec")?;
            inputs::init(&config, config.repository().as_ref(), &binary).await?;
            Ok(0)
        }
        Command::Wait => {
            let config = ExecutorConfig::from_env()?;
            let store = report::open_store(config.store_url.as_deref()).await?;
            let reporter = report::Reporter::new(store, &config);
            let repository = config.repository();
            let stop = wait::terminated();
            let outcome = wait::wait(&config, Some(&reporter), repository.as_ref(), stop).await;
            if outcome.errors.is_empty() {
                return Ok(0);
            }
            anyhow::bail!(outcome.errors.join("; "))
        }
        Command::Resource { action, .. } => {
            let config = ExecutorConfig::from_env()?;
            let store = report::open_store(config.store_url.as_deref()).await?;
            let reporter = report::Reporter::new(store.clone(), &config);
            let interval = executor::resource::DEFAULT_CHECK_INTERVAL;
            let result = executor::resource::run(&action, &config, store, interval).await;
            finish_self_reported(&reporter, &result).await
        }
        Command::Data { spec, .. } => {
            let config = ExecutorConfig::from_env()?;
            let store = report::open_store(config.store_url.as_deref()).await?;
            let reporter = report::Reporter::new(store, &config);
            let result = executor::data::run(&spec, config.repository().as_ref()).await;
            if let Some(result) = result.outputs.as_ref().and_then(|o| o.result.as_ref()) {
                println!("{result}");
            }
            finish_self_reported(&reporter, &result).await
        }
        Command::Emissary { args } => {
            let mut args: Vec<String> = match args.first().map(String::as_str) {
                Some("--") => args[1..].to_vec(),
                _ => args,
            };
            // Resource and data pods run `argoexec <subcommand>` as main: this program.
            if args.first().map(String::as_str) == Some("argoexec") {
                args[0] = std::env::current_exe()
                    .context("locating argoexec")?
                    .to_string_lossy()
                    .into_owned();
            }
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
            Ok(u8::try_from(code.clamp(0, 255)).unwrap_or(1))
        }
    }
}

/// Reports the result of a subcommand that is its pod's `main` (no wait container reports
/// for it) and turns a failure into the exit status and message Argo's pod shows.
async fn finish_self_reported(
    reporter: &report::Reporter,
    result: &argo_core::NodeResult,
) -> anyhow::Result<u8> {
    reporter.report(result, true).await?;
    if result.phase == argo_core::NodePhase::Succeeded {
        return Ok(0);
    }
    anyhow::bail!("{}", result.message)
}

/// The subcommand that makes this program the local runtime's zygote (see
/// `argo_runtime::zygote`): containers whose command is `argoexec` then run it in a fork.
const LOCAL_ZYGOTE: &str = "local-zygote";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some(LOCAL_ZYGOTE) {
        return argo_runtime::zygote::serve(Some(main_with_args));
    }
    ExitCode::from(main_with_args(args))
}

/// The whole program for one argument vector (the program name first); the exit code.
fn main_with_args(args: Vec<String>) -> u8 {
    // Without `ARGO_LOG` (the usual case) a plain level: parsing a filter costs more than the
    // rest of the emissary's start-up, on every step.
    let subscriber = tracing_subscriber::fmt().with_writer(std::io::stderr);
    let _ = match tracing_subscriber::EnvFilter::try_from_env("ARGO_LOG") {
        Ok(filter) => subscriber.with_env_filter(filter).try_init(),
        Err(_) => subscriber.with_max_level(tracing::Level::INFO).try_init(),
    };
    let cli = Cli::parse_from(args);
    // One thread: each pod starts argoexec two or three times, and every subcommand waits on
    // one thing at a time (its tasks are I/O, not CPU), so worker threads would only add their
    // start-up and teardown to every pod.
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("argoexec: starting the async runtime: {error}");
            return 1;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("argoexec: {error:#}");
            1
        }
    }
}
