//! `argo archive ...`: the subcommands and their flags, the dispatch, `delete` and the label
//! key/value listings. Listing and printing archived workflows is in `view`, finding a UID
//! from a name in `lookup`, retry and resubmit in `rerun`.
//! Must not: read the archive database itself; everything goes through the API.

mod lookup;
mod rerun;
mod view;

use std::process::ExitCode;

use clap::Subcommand;
use serde_json::{Value as Json, json};

use super::actions::RerunArgs;
use super::{Out, Session, items};
use crate::client::ClientArgs;
use lookup::resolve_uid;

#[derive(Debug, Subcommand)]
pub enum ArchiveCommand {
    /// list workflows in the archive
    List(ListArgs),
    /// get a workflow in the archive
    Get(GetArgs),
    /// delete a workflow in the archive
    Delete(DeleteArgs),
    /// list workflows label keys in the archive
    ListLabelKeys(PlainArgs),
    /// get workflow label values in the archive
    ListLabelValues(LabelValuesArgs),
    /// retry zero or more workflows
    Retry(RetryArgs),
    /// resubmit one or more workflows
    Resubmit(ResubmitArgs),
}

/// `--name` / `--uid`: how to read the argument.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct Identity {
    /// force the argument to be treated as a name
    #[arg(long, conflicts_with = "uid")]
    pub name: bool,
    /// force the argument to be treated as a UID
    #[arg(long)]
    pub uid: bool,
}

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Output format. One of: name|json|yaml|wide
    #[arg(short, long, default_value = "")]
    pub output: String,
    /// Selector (label query) to filter on
    #[arg(short = 'l', long, default_value = "")]
    pub selector: String,
    /// Return large lists in chunks rather than all at once. Pass 0 to disable.
    #[arg(long, default_value_t = 0)]
    pub chunk_size: i64,
    #[command(flatten)]
    pub client: ClientArgs,
}

#[derive(Debug, clap::Args)]
pub struct GetArgs {
    #[arg(value_name = "WORKFLOW")]
    pub workflow: String,
    /// Output format. One of: json|yaml|wide
    #[arg(short, long, default_value = "")]
    pub output: String,
    #[command(flatten)]
    pub identity: Identity,
    #[command(flatten)]
    pub client: ClientArgs,
}

#[derive(Debug, clap::Args)]
pub struct DeleteArgs {
    #[arg(required = true, value_name = "WORKFLOW")]
    pub workflows: Vec<String>,
    #[command(flatten)]
    pub identity: Identity,
    #[command(flatten)]
    pub client: ClientArgs,
}

#[derive(Debug, clap::Args)]
pub struct PlainArgs {
    #[command(flatten)]
    pub client: ClientArgs,
}

#[derive(Debug, clap::Args)]
pub struct LabelValuesArgs {
    /// Selector (label query) to query on, allows 1 value (e.g. -l key1)
    #[arg(short = 'l', long, required = true)]
    pub selector: String,
    #[command(flatten)]
    pub client: ClientArgs,
}

#[derive(Debug, clap::Args)]
pub struct RetryArgs {
    #[arg(value_name = "WORKFLOW")]
    pub workflows: Vec<String>,
    /// indicates to restart successful nodes matching the --node-field-selector
    #[arg(long)]
    pub restart_successful: bool,
    /// selector of nodes to reset
    #[arg(long, default_value = "")]
    pub node_field_selector: String,
    #[command(flatten)]
    pub rerun: RerunArgs,
    #[command(flatten)]
    pub identity: Identity,
    #[command(flatten)]
    pub client: ClientArgs,
}

#[derive(Debug, clap::Args)]
pub struct ResubmitArgs {
    #[arg(value_name = "WORKFLOW")]
    pub workflows: Vec<String>,
    /// re-use successful steps & outputs from the previous run
    #[arg(long)]
    pub memoized: bool,
    /// workflow priority
    #[arg(long, allow_negative_numbers = true)]
    pub priority: Option<i32>,
    #[command(flatten)]
    pub rerun: RerunArgs,
    #[command(flatten)]
    pub identity: Identity,
    #[command(flatten)]
    pub client: ClientArgs,
}

pub async fn run(command: &ArchiveCommand, out: Out<'_>) -> anyhow::Result<ExitCode> {
    match command {
        ArchiveCommand::List(args) => view::list(args, out).await,
        ArchiveCommand::Get(args) => view::get(args, out).await,
        ArchiveCommand::Delete(args) => delete(args, out).await,
        ArchiveCommand::ListLabelKeys(args) => {
            let session = Session::connect(&args.client).await?;
            let keys = session
                .call(
                    "workflowarchive.ArchivedWorkflowService.ListArchivedWorkflowLabelKeys",
                    json!({"namespace": session.namespace()}),
                )
                .await?;
            print_strings(out, &keys)
        }
        ArchiveCommand::ListLabelValues(args) => {
            let session = Session::connect(&args.client).await?;
            let values = session
                .call(
                    "workflowarchive.ArchivedWorkflowService.ListArchivedWorkflowLabelValues",
                    json!({"namespace": session.namespace(),
                           "listOptions": {"labelSelector": args.selector}}),
                )
                .await?;
            print_strings(out, &values)
        }
        ArchiveCommand::Retry(args) => rerun::retry(args, out).await,
        ArchiveCommand::Resubmit(args) => rerun::resubmit(args, out).await,
    }
}

fn print_strings(out: Out<'_>, list: &Json) -> anyhow::Result<ExitCode> {
    for item in items(list) {
        writeln!(out, "{}", item.as_str().unwrap_or_default())?;
    }
    Ok(ExitCode::SUCCESS)
}

async fn delete(args: &DeleteArgs, out: Out<'_>) -> anyhow::Result<ExitCode> {
    let session = Session::connect(&args.client).await?;
    for identifier in &args.workflows {
        let uid = resolve_uid(&session, identifier, &args.identity).await?;
        session
            .call(
                "workflowarchive.ArchivedWorkflowService.DeleteArchivedWorkflow",
                json!({"uid": uid, "namespace": session.namespace()}),
            )
            .await?;
        writeln!(out, "Archived workflow '{identifier}' deleted")?;
    }
    Ok(ExitCode::SUCCESS)
}
