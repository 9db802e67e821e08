//! The `argo` command line, with Argo's verbs and flags.
//!
//! Role: parse arguments (clap), dispatch to one module per command, map failures to exit codes
//! (usage errors print a usage line and exit 1, as cobra does).
//! Must not: hold domain logic; commands call the library crates (validation, engine, API clients).

mod client;
mod commands;
mod lint;
#[doc(hidden)]
pub mod output;
mod run;
mod server;
mod version;

use std::io::Write;
use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::{Parser, Subcommand};

use commands::template::{self, CLUSTER_WORKFLOW_TEMPLATE, TemplateCommand, WORKFLOW_TEMPLATE};
use commands::{actions, archive, auth, completion, cron, delete, get, list, logs, submit, wait};

/// argo is the command line interface to Argo
#[derive(Debug, Parser)]
#[command(name = "argo", disable_version_flag = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// manage the workflow archive
    Archive {
        #[command(subcommand)]
        command: archive::ArchiveCommand,
    },
    /// manage authentication settings
    Auth {
        #[command(subcommand)]
        command: auth::AuthCommand,
    },
    /// manipulate cluster workflow templates
    ClusterTemplate {
        #[command(subcommand)]
        command: TemplateCommand,
    },
    /// output shell completion code for the specified shell (bash, zsh or fish)
    Completion(completion::CompletionArgs),
    /// manage cron workflows
    Cron {
        #[command(subcommand)]
        command: cron::CronCommand,
    },
    /// delete workflows
    Delete(delete::DeleteArgs),
    /// display details about a workflow
    Get(get::GetArgs),
    /// validate files or directories of manifests
    Lint(lint::LintArgs),
    /// list workflows
    List(list::ListArgs),
    /// view logs of a pod or workflow
    Logs(logs::LogsArgs),
    /// perform action on a node in a workflow
    Node(actions::NodeArgs),
    /// resubmit one or more workflows
    Resubmit(actions::ResubmitArgs),
    /// resume zero or more workflows (opposite of suspend)
    Resume(actions::ResumeArgs),
    /// retry zero or more workflows
    Retry(actions::RetryArgs),
    /// run a workflow to completion locally
    Run(run::RunArgs),
    /// start the Argo Server (local mode: gateway, services and controller in one process)
    Server(server::ServerArgs),
    /// stop zero or more workflows allowing all exit handlers to run
    Stop(actions::StopArgs),
    /// submit a workflow
    Submit(submit::SubmitArgs),
    /// suspend zero or more workflows (opposite of resume)
    Suspend(actions::SuspendArgs),
    /// manipulate workflow templates
    Template {
        #[command(subcommand)]
        command: TemplateCommand,
    },
    /// terminate zero or more workflows immediately
    Terminate(actions::TerminateArgs),
    /// print version information
    Version(version::VersionArgs),
    /// waits for workflows to complete
    Wait(wait::WaitArgs),
    /// watch a workflow until it completes
    Watch(get::WatchArgs),
}

/// Debug builds decode deeply nested workflow messages recursively; the client commands run
/// on a thread with room for that.
const CLIENT_STACK_BYTES: usize = 64 * 1024 * 1024;

/// Runs the CLI with the process arguments and returns the exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return usage_error(&error),
    };
    let result = match cli.command {
        Command::Run(args) => run::run(&args, &mut std::io::stdout().lock()),
        Command::Server(args) => server::run(&args),
        command => run_client_command(command),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            let _ = std::io::stdout().flush();
            eprintln!("Error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// Help and version requests exit 0; every other parse failure prints clap's message (with a
/// usage line) and exits 1.
fn usage_error(error: &clap::Error) -> ExitCode {
    let _ = error.print();
    match error.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => ExitCode::SUCCESS,
        _ => ExitCode::FAILURE,
    }
}

fn run_client_command(command: Command) -> anyhow::Result<ExitCode> {
    let worker = std::thread::Builder::new()
        .name("argo-cli".into())
        .stack_size(CLIENT_STACK_BYTES)
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            let result = runtime.block_on(dispatch(command, &mut out));
            out.flush()?;
            result
        })?;
    worker
        .join()
        .unwrap_or_else(|_| Err(anyhow::anyhow!("the command panicked")))
}

async fn dispatch(command: Command, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    match command {
        Command::Archive { command } => archive::run(&command, out).await,
        Command::Auth { command } => auth::run(&command, out),
        Command::ClusterTemplate { command } => {
            template::run(CLUSTER_WORKFLOW_TEMPLATE, &command, out).await
        }
        Command::Completion(args) => completion::run(&args, out),
        Command::Cron { command } => cron::run(&command, out).await,
        Command::Delete(args) => delete::run(&args, out).await,
        Command::Get(args) => get::get(&args, out).await,
        Command::Lint(args) => lint::run_async(&args, out).await,
        Command::List(args) => list::run(&args, out).await,
        Command::Logs(args) => logs::run(&args, out).await,
        Command::Node(args) => actions::node(&args, out).await,
        Command::Resubmit(args) => actions::resubmit(&args, out).await,
        Command::Resume(args) => actions::resume(&args, out).await,
        Command::Retry(args) => actions::retry(&args, out).await,
        Command::Stop(args) => actions::stop(&args, out).await,
        Command::Submit(args) => submit::run(&args, out).await,
        Command::Suspend(args) => actions::suspend(&args, out).await,
        Command::Template { command } => template::run(WORKFLOW_TEMPLATE, &command, out).await,
        Command::Terminate(args) => actions::terminate(&args, out).await,
        Command::Version(args) => version::run_async(&args, out).await,
        Command::Wait(args) => wait::run(&args, out).await,
        Command::Watch(args) => get::watch(&args, out).await,
        Command::Run(_) | Command::Server(_) => {
            anyhow::bail!("run and server manage their own runtime")
        }
    }
}
