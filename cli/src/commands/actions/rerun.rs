//! `argo retry` and `argo resubmit`: rerun workflows picked by name or selectors, print
//! each, and (for a single workflow) log, wait or watch it as `submit` does.
//! Must not: rebuild the workflow locally; the server resets nodes or copies the spec.

use std::process::ExitCode;

use anyhow::bail;
use serde_json::{Value as Json, json};

use super::{Selectors, targets};
use crate::client::ClientArgs;
use crate::commands::get::{ViewArgs, WORKFLOW_OUTPUTS, print_workflow};
use crate::commands::submit::{Follow, follow_after_submit};
use crate::commands::{Out, Session, check_output, objects_name};

/// Options shared by `retry` and `resubmit`.
#[derive(Debug, Clone, clap::Args)]
pub struct RerunArgs {
    /// input parameter to override on the original workflow spec
    #[arg(short = 'p', long = "parameter")]
    pub parameters: Vec<String>,
    /// Output format. One of: name|json|yaml|wide
    #[arg(short, long, default_value = "")]
    pub output: String,
    /// wait for the workflow to complete, only works when a single workflow is rerun
    #[arg(short, long)]
    pub wait: bool,
    /// watch the workflow until it completes, only works when a single workflow is rerun
    #[arg(long)]
    pub watch: bool,
    /// log the workflow until it completes
    #[arg(long)]
    pub log: bool,
}

/// retry zero or more workflows
#[derive(Debug, clap::Args)]
pub struct RetryArgs {
    #[arg(value_name = "WORKFLOW")]
    pub workflows: Vec<String>,
    /// indicates to restart successful nodes matching the --node-field-selector
    #[arg(long)]
    pub restart_successful: bool,
    /// selector of nodes to reset, eg: --node-field-selector inputs.parameters.myparam.value=abc
    #[arg(long, default_value = "")]
    pub node_field_selector: String,
    #[command(flatten)]
    pub rerun: RerunArgs,
    #[command(flatten)]
    pub selectors: Selectors,
    #[command(flatten)]
    pub client: ClientArgs,
}

/// resubmit one or more workflows
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
    pub selectors: Selectors,
    #[command(flatten)]
    pub client: ClientArgs,
}

pub async fn retry(args: &RetryArgs, out: Out<'_>) -> anyhow::Result<ExitCode> {
    if args.workflows.is_empty() && !args.selectors.any() {
        bail!("requires either node field selector or workflow");
    }
    let request = |name: &str, namespace: &str| {
        json!({
            "name": name,
            "namespace": namespace,
            "restartSuccessful": args.restart_successful,
            "nodeFieldSelector": args.node_field_selector,
            "parameters": args.rerun.parameters,
        })
    };
    rerun(
        &args.client,
        out,
        &args.workflows,
        &args.selectors,
        &args.rerun,
        "workflow.WorkflowService.RetryWorkflow",
        &request,
    )
    .await
}

pub async fn resubmit(args: &ResubmitArgs, out: Out<'_>) -> anyhow::Result<ExitCode> {
    if args.workflows.is_empty() && !args.selectors.any() {
        bail!("requires either selector or workflow");
    }
    let request = |name: &str, namespace: &str| {
        let mut request = json!({
            "name": name,
            "namespace": namespace,
            "memoized": args.memoized,
            "parameters": args.rerun.parameters,
        });
        if let Some(priority) = args.priority {
            request["priority"] = Json::from(priority);
        }
        request
    };
    rerun(
        &args.client,
        out,
        &args.workflows,
        &args.selectors,
        &args.rerun,
        "workflow.WorkflowService.ResubmitWorkflow",
        &request,
    )
    .await
}

async fn rerun(
    client: &ClientArgs,
    out: Out<'_>,
    names: &[String],
    selectors: &Selectors,
    rerun: &RerunArgs,
    method: &str,
    request: &dyn Fn(&str, &str) -> Json,
) -> anyhow::Result<ExitCode> {
    check_output(&rerun.output, &WORKFLOW_OUTPUTS)?;
    let session = Session::connect(client).await?;
    let names = targets(&session, names, selectors).await?;
    let view = ViewArgs::default();
    let mut last = None;
    for name in &names {
        let workflow = session
            .call(method, request(name, session.namespace()))
            .await?;
        print_workflow(&session, out, &workflow, &rerun.output, &view)?;
        last = Some(objects_name(&workflow));
    }
    match last {
        Some(name) if names.len() == 1 => {
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
