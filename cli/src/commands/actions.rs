//! The commands that steer running workflows: `retry`, `resubmit`, `suspend`, `resume`,
//! `stop`, `terminate` and `node set`. Each picks workflows by name and/or selectors and
//! calls one WorkflowService method per workflow.
//! Must not: change workflows locally; the server applies each operation.

use std::collections::BTreeMap;
use std::process::ExitCode;

use anyhow::bail;
use serde_json::{Value as Json, json};

use super::get::{ViewArgs, WORKFLOW_OUTPUTS, print_workflow};
use super::list::{Selection, select};
use super::submit::{Follow, follow_after_submit};
use super::{Out, Session, check_output, objects_name};
use crate::client::ClientArgs;

/// Label and field selectors picking workflows besides the named ones.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct Selectors {
    /// Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2)
    #[arg(short = 'l', long)]
    pub selector: Option<String>,
    /// Selector (field query) to filter on, supports '=', '==', and '!='.
    #[arg(long)]
    pub field_selector: Option<String>,
}

impl Selectors {
    fn any(&self) -> bool {
        self.selector.is_some() || self.field_selector.is_some()
    }
}

/// The selected workflows' names, then the named ones, without repeats.
async fn targets(
    session: &Session,
    names: &[String],
    selectors: &Selectors,
) -> anyhow::Result<Vec<String>> {
    let mut found = Vec::new();
    if selectors.any() {
        let selection = Selection {
            selector: selectors.selector.clone(),
            field_selector: selectors.field_selector.clone(),
            ..Selection::default()
        };
        for workflow in select(session, session.namespace(), &selection, false, None, 0).await? {
            found.push(objects_name(&workflow));
        }
    }
    for name in names {
        found.push(session.resolve_name(name).await?);
    }
    let mut seen = std::collections::HashSet::new();
    found.retain(|name| seen.insert(name.clone()));
    Ok(found)
}

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

/// perform action on a node in a workflow
#[derive(Debug, clap::Args)]
pub struct NodeArgs {
    /// the action (only `set`)
    #[arg(value_name = "ACTION")]
    pub action: String,
    /// the workflow
    #[arg(value_name = "WORKFLOW")]
    pub workflow: String,
    /// Selector of node to set, eg: --node-field-selector inputs.parameters.myparam.value=abc
    #[arg(long, default_value = "")]
    pub node_field_selector: String,
    /// Phase to set the node to, eg: --phase Succeeded
    #[arg(long, default_value = "")]
    pub phase: String,
    /// Set a "supplied" output parameter of node, eg: --output-parameter parameter-name="Hello, world!"
    #[arg(short = 'p', long = "output-parameter")]
    pub output_parameters: Vec<String>,
    /// Set the message of a node, eg: --message "Hello, world!"
    #[arg(short, long, default_value = "")]
    pub message: String,
    #[command(flatten)]
    pub client: ClientArgs,
}

/// The `outputParameters` JSON object of `node set` (`""` when none), values unquoted.
pub fn output_parameters_json(pairs: &[String]) -> anyhow::Result<String> {
    if pairs.is_empty() {
        return Ok(String::new());
    }
    let mut values = BTreeMap::new();
    for pair in pairs {
        let (name, value) = super::manifest::split_pair(pair, "parameter")?;
        let value = serde_json::from_str::<String>(value)
            .ok()
            .filter(|_| value.starts_with('"'))
            .unwrap_or_else(|| value.to_owned());
        values.insert(name.to_owned(), value);
    }
    Ok(serde_json::to_string(&values)?)
}

pub async fn node(args: &NodeArgs, out: Out<'_>) -> anyhow::Result<ExitCode> {
    if args.action != "set" {
        bail!("unknown action '{}'", args.action);
    }
    let output_parameters = output_parameters_json(&args.output_parameters)?;
    let session = Session::connect(&args.client).await?;
    let name = session.resolve_name(&args.workflow).await?;
    session
        .call(
            "workflow.WorkflowService.SetWorkflow",
            json!({
                "name": name,
                "namespace": session.namespace(),
                "nodeFieldSelector": args.node_field_selector,
                "message": args.message,
                "phase": args.phase,
                "outputParameters": output_parameters,
            }),
        )
        .await?;
    writeln!(out, "workflow values set")?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_set_output_parameters_unquote_values() {
        let json =
            output_parameters_json(&["a=\"Hello, world!\"".into(), "b=plain".into()]).unwrap();
        assert_eq!(json, r#"{"a":"Hello, world!","b":"plain"}"#);
        assert_eq!(output_parameters_json(&[]).unwrap(), "");
        assert!(output_parameters_json(&["nope".into()]).is_err());
    }
}
