//! The `argo` command line, with Argo's verbs and flags.
//!
//! Role: parse arguments (clap), dispatch to one module per command, map failures to exit codes.
//! Must not: hold domain logic; commands call the library crates (validation, engine, API clients).

mod lint;
mod run;
mod version;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// argo is the command line interface to Argo
#[derive(Debug, Parser)]
#[command(name = "argo", disable_version_flag = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// validate files or directories of manifests
    Lint(lint::LintArgs),
    /// run a workflow to completion locally
    Run(run::RunArgs),
    /// print version information
    Version(version::VersionArgs),
}

/// Runs the CLI with the process arguments and returns the exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut stdout = std::io::stdout().lock();
    let result = match cli.command {
        Command::Lint(args) => lint::run(&args, &mut stdout),
        Command::Run(args) => run::run(&args, &mut stdout),
        Command::Version(args) => version::run(&args, &mut stdout),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("Error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
