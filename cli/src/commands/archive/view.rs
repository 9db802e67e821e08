//! `argo archive list` and `argo archive get`: archived workflows as Argo's table (with
//! namespace and UID columns), `-o name|json|yaml`, or the `get` header block.
//! Must not: print the node tree; Argo's `archive get` shows the header only.

use std::process::ExitCode;

use serde_json::{Value as Json, json};

use super::lookup::resolve_uid;
use super::{GetArgs, ListArgs};
use crate::commands::{Out, Session, check_output, items, objects_name, workflow_model};
use crate::output::humanize;
use crate::output::objects;
use crate::output::workflow::{ListOptions, exec_spec, list_table};

pub(super) async fn list(args: &ListArgs, out: Out<'_>) -> anyhow::Result<ExitCode> {
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

pub(super) async fn get(args: &GetArgs, out: Out<'_>) -> anyhow::Result<ExitCode> {
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
