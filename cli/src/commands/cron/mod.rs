//! `argo cron ...`: the subcommands and their flags, the dispatch, and the commands that
//! act by name (`get`, `list`, `delete`, `suspend`, `resume`). Creating and updating from
//! manifests is in `save`, the printed views in `display`, `backfill` in its own module.
//! Must not: schedule anything (the server's cron controller does).

mod backfill;
mod display;
mod save;
mod time_layout;

use std::process::ExitCode;

use anyhow::bail;
use clap::Subcommand;
use serde_json::{Value as Json, json};

use super::{Out, Session, check_output, items, objects_name};
use crate::client::ClientArgs;
pub use backfill::BackfillArgs;
use display::{list_table, print_cron};

#[derive(Debug, Subcommand)]
pub enum CronCommand {
    /// create a cron workflow
    Create(CreateArgs),
    /// display details about a cron workflow
    Get(GetArgs),
    /// list cron workflows
    List(ListArgs),
    /// update a cron workflow
    Update(CreateArgs),
    /// delete a cron workflow
    Delete(NamesArgs),
    /// suspend zero or more cron workflows
    Suspend(NamesArgs),
    /// resume zero or more cron workflows
    Resume(NamesArgs),
    /// validate files or directories of cron workflow manifests
    Lint(crate::lint::LintArgs),
    /// create a cron backfill(new alpha feature)
    Backfill(BackfillArgs),
}

#[derive(Debug, clap::Args)]
pub struct CreateArgs {
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<String>,
    /// override cron workflow schedule
    #[arg(long)]
    pub schedule: Option<String>,
    /// override entrypoint
    #[arg(long)]
    pub entrypoint: Option<String>,
    /// override metadata.generateName
    #[arg(long)]
    pub generate_name: Option<String>,
    /// override metadata.name
    #[arg(long)]
    pub name: Option<String>,
    /// run all pods in the workflow using specified serviceaccount
    #[arg(long = "serviceaccount")]
    pub service_account: Option<String>,
    /// Comma separated labels to apply to the workflow. Will override previous values.
    #[arg(short = 'l', long)]
    pub labels: Option<String>,
    /// pass an input parameter
    #[arg(short = 'p', long = "parameter")]
    pub parameters: Vec<String>,
    /// pass a file containing all input parameters
    #[arg(short = 'f', long)]
    pub parameter_file: Option<String>,
    /// Output format. One of: name|json|yaml|wide
    #[arg(short, long, default_value = "")]
    pub output: String,
    /// perform strict workflow validation
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set, num_args = 0..=1, default_missing_value = "true")]
    pub strict: bool,
    #[command(flatten)]
    pub client: ClientArgs,
}

#[derive(Debug, clap::Args)]
pub struct GetArgs {
    #[arg(required = true, value_name = "NAME")]
    pub names: Vec<String>,
    /// Output format. One of: name|json|yaml|wide
    #[arg(short, long, default_value = "")]
    pub output: String,
    #[command(flatten)]
    pub client: ClientArgs,
}

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Show cron workflows from all namespaces
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,
    /// Output format. One of: name|wide
    #[arg(short, long, default_value = "")]
    pub output: String,
    /// Selector (label query) to filter on, supports '=', '==', and '!='.
    #[arg(short = 'l', long)]
    pub selector: Option<String>,
    #[command(flatten)]
    pub client: ClientArgs,
}

#[derive(Debug, clap::Args)]
pub struct NamesArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    /// all cron workflows (delete only)
    #[arg(long)]
    pub all: bool,
    #[command(flatten)]
    pub client: ClientArgs,
}

pub async fn run(command: &CronCommand, out: Out<'_>) -> anyhow::Result<ExitCode> {
    match command {
        CronCommand::Create(args) => save::save(args, true, out).await,
        CronCommand::Update(args) => save::save(args, false, out).await,
        CronCommand::Get(args) => get(args, out).await,
        CronCommand::List(args) => list(args, out).await,
        CronCommand::Delete(args) => names_action(args, "Delete", None, out).await,
        CronCommand::Suspend(args) => names_action(args, "Suspend", Some("suspended"), out).await,
        CronCommand::Resume(args) => names_action(args, "Resume", Some("resumed"), out).await,
        CronCommand::Backfill(args) => backfill::run(args, out).await,
        CronCommand::Lint(args) => {
            let mut args = args.clone();
            if args.kinds == ["all"] {
                args.kinds = vec!["cronworkflows".to_owned()];
            }
            crate::lint::run_async(&args, out).await
        }
    }
}

async fn get(args: &GetArgs, out: Out<'_>) -> anyhow::Result<ExitCode> {
    check_output(&args.output, &["", "name", "json", "yaml", "wide"])?;
    let session = Session::connect(&args.client).await?;
    for name in &args.names {
        let cron = session
            .call(
                "cronworkflow.CronWorkflowService.GetCronWorkflow",
                json!({"namespace": session.namespace(), "name": name}),
            )
            .await?;
        print_cron(&session, out, &cron, &args.output)?;
    }
    Ok(ExitCode::SUCCESS)
}

async fn list_all(
    session: &Session,
    namespace: &str,
    selector: Option<&str>,
) -> anyhow::Result<Vec<Json>> {
    let list = session
        .call(
            "cronworkflow.CronWorkflowService.ListCronWorkflows",
            json!({"namespace": namespace, "listOptions": {"labelSelector": selector.unwrap_or("")}}),
        )
        .await?;
    Ok(items(&list))
}

async fn list(args: &ListArgs, out: Out<'_>) -> anyhow::Result<ExitCode> {
    check_output(&args.output, &["", "name", "wide"])?;
    let session = Session::connect(&args.client).await?;
    let namespace = if args.all_namespaces {
        ""
    } else {
        session.namespace()
    };
    let crons = list_all(&session, namespace, args.selector.as_deref()).await?;
    if args.output == "name" {
        for cron in &crons {
            writeln!(out, "{}", objects_name(cron))?;
        }
    } else {
        out.write_all(list_table(&crons, args.all_namespaces, session.now()).as_bytes())?;
    }
    Ok(ExitCode::SUCCESS)
}

async fn names_action(
    args: &NamesArgs,
    verb: &str,
    done: Option<&str>,
    out: Out<'_>,
) -> anyhow::Result<ExitCode> {
    let session = Session::connect(&args.client).await?;
    let mut names = args.names.clone();
    if args.all && verb == "Delete" {
        let crons = list_all(&session, session.namespace(), None).await?;
        names.extend(crons.iter().map(objects_name));
    }
    if names.is_empty() {
        bail!("requires at least one cron workflow name");
    }
    for name in names {
        session
            .call(
                &format!("cronworkflow.CronWorkflowService.{verb}CronWorkflow"),
                json!({"namespace": session.namespace(), "name": name}),
            )
            .await?;
        if let Some(done) = done {
            writeln!(out, "CronWorkflow '{name}' {done}")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
