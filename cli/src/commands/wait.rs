//! `argo wait`: blocks until each workflow finishes, printing `NAME PHASE at TIME`; exits 1
//! when any failed or errored. Shared with `submit --wait`, `retry --wait`, `resubmit --wait`.
//! Must not: poll; it follows the server's watch stream.

use std::process::ExitCode;

use futures::StreamExt as _;
use jiff::Timestamp;
use serde_json::Value as Json;

use super::get::watch_request;
use super::{Out, Session};
use crate::client::ClientArgs;

/// waits for workflows to complete
#[derive(Debug, clap::Args)]
pub struct WaitArgs {
    /// workflow names (`@latest` for the newest)
    #[arg(required = true, value_name = "WORKFLOW")]
    pub workflows: Vec<String>,
    /// Ignore the wait if the workflow is not found
    #[arg(long)]
    pub ignore_not_found: bool,
    #[command(flatten)]
    pub client: ClientArgs,
}

pub async fn run(args: &WaitArgs, out: Out<'_>) -> anyhow::Result<ExitCode> {
    let session = Session::connect(&args.client).await?;
    let mut names = Vec::new();
    for name in &args.workflows {
        names.push(session.resolve_name(name).await?);
    }
    let ok = wait_all(&session, out, &names, args.ignore_not_found, false).await?;
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Waits for every workflow; true when all succeeded. `quiet` skips the lines.
pub async fn wait_all(
    session: &Session,
    out: Out<'_>,
    names: &[String],
    ignore_not_found: bool,
    quiet: bool,
) -> anyhow::Result<bool> {
    let waits = names
        .iter()
        .map(|name| wait_one(session, name, ignore_not_found));
    let results = futures::future::join_all(waits).await;
    let mut all_ok = true;
    for (name, result) in names.iter().zip(results) {
        match result? {
            Finished::Gone => {}
            Finished::Done { phase, at } => {
                if !quiet {
                    let at = at.to_zoned(session.zone.clone());
                    writeln!(
                        out,
                        "{name} {phase} at {}",
                        at.strftime("%Y-%m-%d %H:%M:%S %z %Z")
                    )?;
                }
                if phase == "Failed" || phase == "Error" {
                    all_ok = false;
                }
            }
        }
    }
    Ok(all_ok)
}

enum Finished {
    Gone,
    Done { phase: String, at: Timestamp },
}

async fn wait_one(
    session: &Session,
    name: &str,
    ignore_not_found: bool,
) -> anyhow::Result<Finished> {
    if ignore_not_found && let Err(error) = session.get_workflow(name).await {
        if error
            .downcast_ref::<crate::client::ClientError>()
            .is_some_and(crate::client::ClientError::is_not_found)
        {
            return Ok(Finished::Gone);
        }
        return Err(error);
    }
    let request = watch_request(session.namespace(), name);
    loop {
        let mut events = session
            .client
            .stream("workflow.WorkflowService.WatchWorkflows", request.clone())
            .await?;
        while let Some(event) = events.next().await {
            let event = event?;
            let Some(finished) = event
                .pointer("/object/status/finishedAt")
                .and_then(Json::as_str)
            else {
                continue;
            };
            let at: Timestamp = finished.parse()?;
            let phase = event
                .pointer("/object/status/phase")
                .and_then(Json::as_str)
                .unwrap_or_default()
                .to_owned();
            return Ok(Finished::Done { phase, at });
        }
    }
}
