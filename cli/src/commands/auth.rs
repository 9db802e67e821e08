//! `argo auth token`: prints the token the client sends (`--token` / `ARGO_TOKEN`), as
//! Argo's does. Must not: contact the server or invent a token.

use std::process::ExitCode;

use anyhow::bail;
use clap::Subcommand;

use super::Out;
use crate::client::ClientArgs;

#[derive(Debug, Subcommand)]
pub enum AuthCommand {
    /// Print the auth token
    Token(TokenArgs),
}

#[derive(Debug, clap::Args)]
pub struct TokenArgs {
    #[command(flatten)]
    pub client: ClientArgs,
}

pub fn run(command: &AuthCommand, out: Out<'_>) -> anyhow::Result<ExitCode> {
    match command {
        AuthCommand::Token(args) => {
            let settings = args.client.settings()?;
            let Some(token) = settings.token else {
                bail!("no auth token: set ARGO_TOKEN or pass --token");
            };
            writeln!(out, "{token}")?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
