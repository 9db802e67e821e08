//! `argo delete`: named workflows and/or those a filter selects (`--all`, `--completed`,
//! `--older`, `--prefix`, `--resubmitted`, `--status`, selectors), with `--dry-run`.
//! Must not: delete anything when `--dry-run` is given.

use std::process::ExitCode;

use anyhow::bail;
use serde_json::{Value as Json, json};

use super::list::{Selection, select};
use super::{Out, Session};
use crate::client::ClientArgs;
use crate::output::objects;

/// delete workflows
#[derive(Debug, clap::Args)]
pub struct DeleteArgs {
    /// workflow names (`@latest` for the newest)
    #[arg(value_name = "WORKFLOW")]
    pub workflows: Vec<String>,
    /// Delete workflows from all namespaces
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,
    /// Delete all workflows
    #[arg(long)]
    pub all: bool,
    /// Run the list query in chunks (deletes will still be executed individually)
    #[arg(long, default_value_t = 0)]
    pub query_chunk_size: i64,
    /// Do not delete the workflow, only print what would happen
    #[arg(long)]
    pub dry_run: bool,
    /// Force delete workflows by removing finalizers
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub selection: Selection,
    #[command(flatten)]
    pub client: ClientArgs,
}

impl DeleteArgs {
    fn has_filter(&self) -> bool {
        let s = &self.selection;
        self.all
            || s.completed
            || s.resubmitted
            || s.prefix.is_some()
            || s.selector.is_some()
            || s.field_selector.is_some()
            || s.older.is_some()
            || !s.status.is_empty()
    }
}

pub async fn run(args: &DeleteArgs, out: Out<'_>) -> anyhow::Result<ExitCode> {
    if args.workflows.is_empty() && !args.has_filter() {
        bail!("requires either a workflow or other argument");
    }
    let session = Session::connect(&args.client).await?;
    let namespace = if args.all_namespaces {
        String::new()
    } else {
        session.namespace().to_owned()
    };
    let mut targets: Vec<(String, String)> = Vec::new();
    for name in &args.workflows {
        targets.push((session.resolve_name(name).await?, namespace.clone()));
    }
    if args.has_filter() {
        let listed = select(
            &session,
            &namespace,
            &args.selection,
            false,
            None,
            args.query_chunk_size,
        )
        .await?;
        for workflow in listed {
            let namespace = workflow
                .pointer("/metadata/namespace")
                .and_then(Json::as_str)
                .unwrap_or_default()
                .to_owned();
            targets.push((objects::name_of(&workflow).to_owned(), namespace));
        }
    }
    if targets.is_empty() {
        writeln!(out, "No resources found")?;
        return Ok(ExitCode::SUCCESS);
    }
    for (name, namespace) in targets {
        if args.dry_run {
            writeln!(out, "Workflow '{name}' deleted (dry-run)")?;
            continue;
        }
        let namespace = if namespace.is_empty() {
            session.namespace().to_owned()
        } else {
            namespace
        };
        let result = session
            .client
            .call(
                "workflow.WorkflowService.DeleteWorkflow",
                json!({"name": name, "namespace": namespace, "force": args.force}),
            )
            .await;
        match result {
            Ok(_) => writeln!(out, "Workflow '{name}' deleted")?,
            Err(error) if error.is_not_found() => writeln!(out, "Workflow '{name}' not found")?,
            Err(error) => return Err(anyhow::Error::from(error)),
        }
    }
    Ok(ExitCode::SUCCESS)
}
