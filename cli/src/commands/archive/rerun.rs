//! `argo archive retry` and `argo archive resubmit`: rerun archived workflows by UID or
//! name, print each, and follow a single one as `submit` does.
//! Must not: copy the archived spec locally; the server creates the new workflow.

use std::process::ExitCode;

use anyhow::bail;
use serde_json::{Value as Json, json};

use super::lookup::resolve_uid;
use super::{Identity, ResubmitArgs, RetryArgs};
use crate::client::ClientArgs;
use crate::commands::actions::RerunArgs;
use crate::commands::get::{ViewArgs, print_workflow};
use crate::commands::submit::{Follow, follow_after_submit};
use crate::commands::{Out, Session, check_output, objects_name};

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

pub(super) async fn retry(args: &RetryArgs, out: Out<'_>) -> anyhow::Result<ExitCode> {
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

pub(super) async fn resubmit(args: &ResubmitArgs, out: Out<'_>) -> anyhow::Result<ExitCode> {
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
