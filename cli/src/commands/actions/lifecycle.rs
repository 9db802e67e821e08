//! `argo suspend`, `resume`, `stop` and `terminate`: one WorkflowService call per picked
//! workflow, with Argo's confirmation lines and `--dry-run` where Argo has it.
//! Must not: wait for the workflow to react; the commands return once the server accepts.

use std::process::ExitCode;

use anyhow::bail;
use serde_json::json;

use super::{Selectors, targets};
use crate::client::ClientArgs;
use crate::commands::{Out, Session};

/// suspend zero or more workflows (opposite of resume)
#[derive(Debug, clap::Args)]
pub struct SuspendArgs {
    #[arg(required = true, value_name = "WORKFLOW")]
    pub workflows: Vec<String>,
    #[command(flatten)]
    pub client: ClientArgs,
}

pub async fn suspend(args: &SuspendArgs, out: Out<'_>) -> anyhow::Result<ExitCode> {
    let session = Session::connect(&args.client).await?;
    for name in &args.workflows {
        let name = session.resolve_name(name).await?;
        session
            .call(
                "workflow.WorkflowService.SuspendWorkflow",
                json!({"name": name, "namespace": session.namespace()}),
            )
            .await
            .map_err(|e| e.context(format!("failed to suspend {name}")))?;
        writeln!(out, "workflow {name} suspended")?;
    }
    Ok(ExitCode::SUCCESS)
}

/// resume zero or more workflows (opposite of suspend)
#[derive(Debug, clap::Args)]
pub struct ResumeArgs {
    #[arg(value_name = "WORKFLOW")]
    pub workflows: Vec<String>,
    /// selector of node to resume, eg: --node-field-selector inputs.parameters.myparam.value=abc
    #[arg(long, default_value = "")]
    pub node_field_selector: String,
    #[command(flatten)]
    pub client: ClientArgs,
}

pub async fn resume(args: &ResumeArgs, out: Out<'_>) -> anyhow::Result<ExitCode> {
    if args.workflows.is_empty() {
        bail!("requires either node field selector or workflow");
    }
    let session = Session::connect(&args.client).await?;
    for name in &args.workflows {
        let name = session.resolve_name(name).await?;
        session
            .call(
                "workflow.WorkflowService.ResumeWorkflow",
                json!({"name": name, "namespace": session.namespace(),
                       "nodeFieldSelector": args.node_field_selector}),
            )
            .await
            .map_err(|e| e.context(format!("failed to resume {name}")))?;
        writeln!(out, "workflow {name} resumed")?;
    }
    Ok(ExitCode::SUCCESS)
}

/// stop zero or more workflows allowing all exit handlers to run
#[derive(Debug, clap::Args)]
pub struct StopArgs {
    #[arg(value_name = "WORKFLOW")]
    pub workflows: Vec<String>,
    /// Message to add to previously running nodes
    #[arg(long, default_value = "")]
    pub message: String,
    /// selector of node to stop, eg: --node-field-selector inputs.parameters.myparam.value=abc
    #[arg(long, default_value = "")]
    pub node_field_selector: String,
    /// If true, only print the workflows that would be stopped, without stopping them.
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub selectors: Selectors,
    #[command(flatten)]
    pub client: ClientArgs,
}

pub async fn stop(args: &StopArgs, out: Out<'_>) -> anyhow::Result<ExitCode> {
    if args.workflows.is_empty() && !args.selectors.any() {
        bail!("requires either selector or workflow");
    }
    let session = Session::connect(&args.client).await?;
    for name in targets(&session, &args.workflows, &args.selectors).await? {
        if args.dry_run {
            writeln!(out, "workflow {name} stopped (dry-run)")?;
            continue;
        }
        session
            .call(
                "workflow.WorkflowService.StopWorkflow",
                json!({"name": name, "namespace": session.namespace(),
                       "nodeFieldSelector": args.node_field_selector, "message": args.message}),
            )
            .await?;
        writeln!(out, "workflow {name} stopped")?;
    }
    Ok(ExitCode::SUCCESS)
}

/// terminate zero or more workflows immediately
#[derive(Debug, clap::Args)]
pub struct TerminateArgs {
    #[arg(value_name = "WORKFLOW")]
    pub workflows: Vec<String>,
    /// Do not terminate the workflow, only print what would happen
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub selectors: Selectors,
    #[command(flatten)]
    pub client: ClientArgs,
}

pub async fn terminate(args: &TerminateArgs, out: Out<'_>) -> anyhow::Result<ExitCode> {
    if args.workflows.is_empty() && !args.selectors.any() {
        bail!("requires either selector or workflow");
    }
    let session = Session::connect(&args.client).await?;
    for name in targets(&session, &args.workflows, &args.selectors).await? {
        if args.dry_run {
            writeln!(out, "workflow {name} terminated (dry-run)")?;
            continue;
        }
        session
            .call(
                "workflow.WorkflowService.TerminateWorkflow",
                json!({"name": name, "namespace": session.namespace()}),
            )
            .await?;
        writeln!(out, "workflow {name} terminated")?;
    }
    Ok(ExitCode::SUCCESS)
}
