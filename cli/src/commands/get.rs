//! `argo get` (a workflow's header and node tree, or `-o json|yaml|name`) and `argo watch`
//! (the same view, redrawn in place on a terminal and printed once per change when piped).
//! Must not: lay out text itself (that is `output::workflow`).

use std::io::IsTerminal as _;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::bail;
use argo_engine::operations::NodeSelector;
use futures::StreamExt as _;
use serde_json::{Value as Json, json};

use super::{Out, Session, check_output, print_object, workflow_model};
use crate::client::ClientArgs;
use crate::output::style::Style;
use crate::output::tree::{TreeColumns, TreeOptions};
use crate::output::workflow::describe;

/// How `get`, `watch` and `submit --watch` show a workflow.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ViewArgs {
    /// Disable colorized output
    #[arg(long)]
    pub no_color: bool,
    /// Use plain 7-bits ascii characters
    #[arg(long)]
    pub no_utf8: bool,
    /// Filter by status (Pending, Running, Succeeded, Skipped, Failed, Error)
    #[arg(long)]
    pub status: Option<String>,
    /// selector of node to display, eg: --node-field-selector phase=abc
    #[arg(long)]
    pub node_field_selector: Option<String>,
}

impl ViewArgs {
    /// The tree options for `output` (``, `wide` or `short`).
    pub fn tree_options(&self, output: &str, session: &Session) -> anyhow::Result<TreeOptions> {
        let selector = match (&self.status, &self.node_field_selector) {
            (Some(_), Some(_)) => bail!("cannot use both --status and --node-field-selector"),
            (Some(status), None) => Some(format!("phase={status}")),
            (None, selector) => selector.clone(),
        };
        let selector = selector
            .map(|text| NodeSelector::parse(&text))
            .transpose()
            .map_err(|e| anyhow::anyhow!("selector is invalid: {e}"))?;
        Ok(TreeOptions {
            columns: match output {
                "wide" => TreeColumns::Wide,
                "short" => TreeColumns::Short,
                _ => TreeColumns::Default,
            },
            selector,
            style: Style::detect(self.no_color, self.no_utf8),
            now: session.now(),
        })
    }
}

/// display details about a workflow
#[derive(Debug, clap::Args)]
pub struct GetArgs {
    /// workflow names (`@latest` for the newest)
    #[arg(required = true, value_name = "WORKFLOW")]
    pub workflows: Vec<String>,
    /// Output format. One of: name|json|yaml|short|wide
    #[arg(short, long, default_value = "")]
    pub output: String,
    #[command(flatten)]
    pub view: ViewArgs,
    #[command(flatten)]
    pub client: ClientArgs,
}

pub const WORKFLOW_OUTPUTS: [&str; 6] = ["", "name", "json", "yaml", "short", "wide"];

pub async fn get(args: &GetArgs, out: Out<'_>) -> anyhow::Result<ExitCode> {
    check_output(&args.output, &WORKFLOW_OUTPUTS)?;
    let session = Session::connect(&args.client).await?;
    for name in &args.workflows {
        let workflow = session.get_workflow(name).await?;
        print_workflow(&session, out, &workflow, &args.output, &args.view)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints one workflow the way `get` (and `submit`, `retry`...) do.
pub fn print_workflow(
    session: &Session,
    out: Out<'_>,
    workflow: &Json,
    output: &str,
    view: &ViewArgs,
) -> anyhow::Result<()> {
    if print_object(out, workflow, output)? {
        return Ok(());
    }
    let model = workflow_model(workflow)?;
    let tree = view.tree_options(output, session)?;
    out.write_all(describe(&model, &tree, &session.zone).as_bytes())?;
    Ok(())
}

/// watch a workflow until it completes
#[derive(Debug, clap::Args)]
pub struct WatchArgs {
    /// the workflow (`@latest` for the newest)
    #[arg(value_name = "WORKFLOW")]
    pub workflow: String,
    #[command(flatten)]
    pub view: ViewArgs,
    #[command(flatten)]
    pub client: ClientArgs,
}

pub async fn watch(args: &WatchArgs, out: Out<'_>) -> anyhow::Result<ExitCode> {
    let session = Session::connect(&args.client).await?;
    let name = session.resolve_name(&args.workflow).await?;
    watch_workflow(&session, out, &name, &args.view).await?;
    Ok(ExitCode::SUCCESS)
}

/// The watch request for one workflow by name.
pub fn watch_request(namespace: &str, name: &str) -> Json {
    json!({
        "namespace": namespace,
        "listOptions": {"fieldSelector": format!("metadata.name={name}"), "resourceVersion": "0"}
    })
}

/// Shows the workflow until it finishes: on a terminal the screen is redrawn every second and
/// on each change; otherwise the view is printed once per change.
pub async fn watch_workflow(
    session: &Session,
    out: Out<'_>,
    name: &str,
    view: &ViewArgs,
) -> anyhow::Result<()> {
    let terminal = std::io::stdout().is_terminal();
    let request = watch_request(session.namespace(), name);
    let mut events = session
        .client
        .stream("workflow.WorkflowService.WatchWorkflows", request.clone())
        .await?;
    let mut latest: Option<Json> = None;
    let mut ticker = tokio::time::interval(Duration::from_secs(1));
    loop {
        let changed = tokio::select! {
            event = events.next() => match event {
                Some(event) => {
                    let event = event?;
                    match event.get("object") {
                        Some(object) if !object.is_null() => {
                            latest = Some(object.clone());
                            true
                        }
                        _ => false,
                    }
                }
                None => {
                    events = session
                        .client
                        .stream("workflow.WorkflowService.WatchWorkflows", request.clone())
                        .await?;
                    false
                }
            },
            _ = ticker.tick(), if terminal => true,
        };
        let Some(workflow) = &latest else {
            continue;
        };
        if changed {
            if terminal {
                out.write_all(b"\x1b[H\x1b[2J\x1b[0;0H")?;
            }
            let model = workflow_model(workflow)?;
            let tree = view.tree_options("", session)?;
            out.write_all(describe(&model, &tree, &session.zone).as_bytes())?;
            if !terminal {
                out.write_all(b"\n")?;
            }
            out.flush()?;
        }
        if workflow
            .pointer("/status/finishedAt")
            .is_some_and(|f| !f.is_null())
        {
            return Ok(());
        }
    }
}
