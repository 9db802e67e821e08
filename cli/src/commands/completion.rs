//! `argo completion bash|zsh|fish`: the shell completion script for this command line,
//! generated from the clap definition so it always matches the flags.
//! Must not: install anything; it only prints.

use std::process::ExitCode;

use clap::CommandFactory as _;
use clap_complete::Shell;

use super::Out;

/// output shell completion code for the specified shell (bash, zsh or fish)
#[derive(Debug, clap::Args)]
pub struct CompletionArgs {
    /// the shell
    #[arg(value_name = "SHELL", value_parser = ["bash", "zsh", "fish"])]
    pub shell: String,
}

pub fn run(args: &CompletionArgs, out: Out<'_>) -> anyhow::Result<ExitCode> {
    let shell = match args.shell.as_str() {
        "zsh" => Shell::Zsh,
        "fish" => Shell::Fish,
        _ => Shell::Bash,
    };
    let mut command = crate::Cli::command();
    clap_complete::generate(shell, &mut command, "argo", out);
    Ok(ExitCode::SUCCESS)
}
