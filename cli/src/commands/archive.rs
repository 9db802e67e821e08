//! `argo archive ...`: list, get, delete, retry and resubmit archived workflows (by UID, or
//! by name resolved to a UID), and list their label keys and values.
//! Must not: read the archive database itself; everything goes through the API.

use std::process::ExitCode;

use anyhow::bail;
use clap::Subcommand;
use serde_json::{Value as Json, json};

use super::actions::RerunArgs;
use super::get::{ViewArgs, print_workflow};
use super::submit::{Follow, follow_after_submit};
use super::{Out, Session, check_output, items, objects_name, workflow_model};
use crate::client::ClientArgs;
use crate::output::humanize;
use crate::output::objects;
use crate::output::workflow::{ListOptions, exec_spec, list_table};

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
        ArchiveCommand::List(args) => list(args, out).await,
        ArchiveCommand::Get(args) => get(args, out).await,
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
        ArchiveCommand::Retry(args) => retry(args, out).await,
        ArchiveCommand::Resubmit(args) => resubmit(args, out).await,
    }
}

fn print_strings(out: Out<'_>, list: &Json) -> anyhow::Result<ExitCode> {
    for item in items(list) {
        writeln!(out, "{}", item.as_str().unwrap_or_default())?;
    }
    Ok(ExitCode::SUCCESS)
}

fn looks_like_uid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups.iter().all(|g| {
            g.chars()
                .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
        })
}

/// The UID an argument names: itself when it is (or is forced to be) a UID, else the UID of
/// the one archived workflow with that exact name.
async fn resolve_uid(
    session: &Session,
    identifier: &str,
    identity: &Identity,
) -> anyhow::Result<String> {
    if identity.uid || (!identity.name && looks_like_uid(identifier)) {
        return Ok(identifier.to_owned());
    }
    let list = session
        .call(
            "workflowarchive.ArchivedWorkflowService.ListArchivedWorkflows",
            json!({"namespace": session.namespace(), "namePrefix": identifier, "nameFilter": "Exact"}),
        )
        .await
        .map_err(|e| e.context("list archived workflows"))?;
    let matches = items(&list);
    match matches.as_slice() {
        [] => bail!("resolve UID: archived workflow '{identifier}' not found"),
        [one] => Ok(one
            .pointer("/metadata/uid")
            .and_then(Json::as_str)
            .unwrap_or_default()
            .to_owned()),
        many => {
            let mut message = format!(
                "resolve UID: Multiple archived workflows found with name '{identifier}':\n"
            );
            for workflow in many {
                let uid = workflow
                    .pointer("/metadata/uid")
                    .and_then(Json::as_str)
                    .unwrap_or("");
                message.push_str(&format!("  {uid}\n"));
            }
            message.push_str("Please specify the UID.");
            bail!(message)
        }
    }
}

async fn list(args: &ListArgs, out: Out<'_>) -> anyhow::Result<ExitCode> {
    check_output(&args.output, &["", "name", "json", "yaml", "wide"])?;
    let session = Session::connect(&args.client).await?;
    let mut workflows = Vec::new();
    let mut continue_token = String::new();
    loop {
        let list = session
            .call(
                "workflowarchive.ArchivedWorkflowService.ListArchivedWorkflows",
                json!({"namespace": session.namespace(), "listOptions": {
                    "labelSelector": args.selector, "limit": args.chunk_size,
                    "continue": continue_token}}),
            )
            .await?;
        workflows.extend(items(&list));
        continue_token = list
            .pointer("/metadata/continue")
            .and_then(Json::as_str)
            .unwrap_or_default()
            .to_owned();
        if continue_token.is_empty() {
            break;
        }
    }
    match args.output.as_str() {
        "name" => {
            for workflow in &workflows {
                writeln!(out, "{}", objects_name(workflow))?;
            }
        }
        "json" | "yaml" if workflows.is_empty() => writeln!(out, "[]")?,
        "json" => out.write_all(objects::json_text(&Json::Array(workflows), 2).as_bytes())?,
        "yaml" => out.write_all(objects::yaml_text(&Json::Array(workflows)).as_bytes())?,
        _ => {
            let models = workflows
                .iter()
                .map(workflow_model)
                .collect::<anyhow::Result<Vec<_>>>()?;
            let options = ListOptions {
                namespace: true,
                uid: true,
                wide: args.output == "wide",
                no_headers: false,
            };
            out.write_all(list_table(&models, &options, session.now()).as_bytes())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn get(args: &GetArgs, out: Out<'_>) -> anyhow::Result<ExitCode> {
    check_output(&args.output, &["", "json", "yaml", "wide", "name"])?;
    let session = Session::connect(&args.client).await?;
    let uid = resolve_uid(&session, &args.workflow, &args.identity).await?;
    let workflow = session
        .call(
            "workflowarchive.ArchivedWorkflowService.GetArchivedWorkflow",
            json!({"uid": uid, "namespace": session.namespace()}),
        )
        .await?;
    match args.output.as_str() {
        "json" => writeln!(out, "{workflow}")?,
        "yaml" => writeln!(out, "{}", objects::yaml_text(&workflow))?,
        "name" => writeln!(out, "{}", objects_name(&workflow))?,
        _ => out.write_all(summary(&session, &workflow)?.as_bytes())?,
    }
    Ok(ExitCode::SUCCESS)
}

/// The header lines `argo archive get` prints.
fn summary(session: &Session, workflow: &Json) -> anyhow::Result<String> {
    let model = workflow_model(workflow)?;
    let now = session.now();
    let zone = &session.zone;
    let mut out = String::new();
    let mut row = |label: &str, value: &str| out.push_str(&format!("{label:<20} {value}\n"));
    row("Name:", model.name());
    row("Namespace:", model.namespace());
    let account = match exec_spec(&model).service_account_name.as_str() {
        "" => "unset (will run with the default ServiceAccount)",
        account => account,
    };
    row("ServiceAccount:", account);
    row("Status:", model.status.phase.as_str());
    if !model.status.message.is_empty() {
        row("Message:", &model.status.message);
    }
    let created = model.metadata.creation_timestamp.as_ref().map(|t| t.0);
    row(
        "Created:",
        &created
            .map(|t| humanize::timestamp(t, now, zone))
            .unwrap_or_default(),
    );
    let started = model.status.started_at.as_ref().map(|t| t.0);
    let finished = model.status.finished_at.as_ref().map(|t| t.0);
    if let Some(started) = started {
        row("Started:", &humanize::timestamp(started, now, zone));
    }
    if let Some(finished) = finished {
        row("Finished:", &humanize::timestamp(finished, now, zone));
    }
    if started.is_some() {
        row("Duration:", &humanize::long_between(started, finished, now));
    }
    Ok(out)
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

async fn rerun_archived(
    client: &ClientArgs,
    out: Out<'_>,
    workflows: &[String],
    identity: &Identity,
    rerun: &RerunArgs,
    method: &str,
    request: &dyn Fn(&str, &str) -> Json,
) -> anyhow::Result<ExitCode> {
    check_output(&rerun.output, &["", "name", "json", "yaml", "wide"])?;
    if workflows.is_empty() {
        bail!("requires at least one workflow name or UID");
    }
    let session = Session::connect(client).await?;
    let view = ViewArgs::default();
    let mut last = None;
    for identifier in workflows {
        let uid = resolve_uid(&session, identifier, identity).await?;
        let workflow = session
            .call(method, request(&uid, session.namespace()))
            .await?;
        print_workflow(&session, out, &workflow, &rerun.output, &view)?;
        last = Some(objects_name(&workflow));
    }
    match last {
        Some(name) if workflows.len() == 1 => {
            let follow = Follow {
                log: rerun.log,
                wait: rerun.wait,
                watch: rerun.watch,
                quiet: !rerun.output.is_empty() && rerun.output != "wide",
            };
            follow_after_submit(&session, out, &[name], follow, &view).await
        }
        _ => Ok(ExitCode::SUCCESS),
    }
}

async fn retry(args: &RetryArgs, out: Out<'_>) -> anyhow::Result<ExitCode> {
    let request = |uid: &str, namespace: &str| {
        json!({"uid": uid, "namespace": namespace,
               "restartSuccessful": args.restart_successful,
               "nodeFieldSelector": args.node_field_selector,
               "parameters": args.rerun.parameters})
    };
    rerun_archived(
        &args.client,
        out,
        &args.workflows,
        &args.identity,
        &args.rerun,
        "workflowarchive.ArchivedWorkflowService.RetryArchivedWorkflow",
        &request,
    )
    .await
}

async fn resubmit(args: &ResubmitArgs, out: Out<'_>) -> anyhow::Result<ExitCode> {
    let request = |uid: &str, namespace: &str| {
        let mut request = json!({"uid": uid, "namespace": namespace,
               "memoized": args.memoized, "parameters": args.rerun.parameters});
        if let Some(priority) = args.priority {
            request["priority"] = Json::from(priority);
        }
        request
    };
    rerun_archived(
        &args.client,
        out,
        &args.workflows,
        &args.identity,
        &args.rerun,
        "workflowarchive.ArchivedWorkflowService.ResubmitArchivedWorkflow",
        &request,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uids_are_recognised_by_shape() {
        assert!(looks_like_uid("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
        assert!(!looks_like_uid("my-workflow"));
        assert!(!looks_like_uid("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11"));
    }
}
