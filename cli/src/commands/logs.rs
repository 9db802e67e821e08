//! `argo logs WORKFLOW [POD]`: the pods' log lines as `POD: LINE`, each pod in its own colour
//! on a terminal; `-f` follows until the workflow ends. Also used by `submit --log`.
//! Must not: filter lines itself (`--grep` and `--tail` are the server's).

use std::collections::HashMap;
use std::process::ExitCode;

use anyhow::bail;
use futures::StreamExt as _;
use serde_json::{Map, Value as Json, json};

use super::{Out, Session};
use crate::client::ClientArgs;
use crate::output::style::Style;

/// view logs of a pod or workflow
#[derive(Debug, clap::Args)]
pub struct LogsArgs {
    /// the workflow (`@latest` for the newest)
    #[arg(value_name = "WORKFLOW")]
    pub workflow: String,
    /// only this pod
    #[arg(value_name = "POD")]
    pub pod: Option<String>,
    /// Print the logs of this container
    #[arg(short, long, default_value = "main")]
    pub container: String,
    /// Specify if the logs should be streamed.
    #[arg(short, long)]
    pub follow: bool,
    /// Specify if the previously terminated container logs should be returned.
    #[arg(short, long)]
    pub previous: bool,
    /// Only return logs newer than a relative duration like 5s, 2m, or 3h.
    #[arg(long)]
    pub since: Option<String>,
    /// Only return logs after a specific date (RFC3339).
    #[arg(long)]
    pub since_time: Option<String>,
    /// If set, the number of lines from the end of the logs to show.
    #[arg(long, default_value_t = -1, allow_negative_numbers = true)]
    pub tail: i64,
    /// grep for lines
    #[arg(long)]
    pub grep: Option<String>,
    /// log selector for some pod
    #[arg(short = 'l', long)]
    pub selector: Option<String>,
    /// Include timestamps on each line in the log output
    #[arg(long)]
    pub timestamps: bool,
    /// Disable colorized output
    #[arg(long)]
    pub no_color: bool,
    #[command(flatten)]
    pub client: ClientArgs,
}

/// The log request's `logOptions`.
pub fn log_options(args: &LogsArgs) -> anyhow::Result<Json> {
    let mut options = Map::new();
    options.insert("container".into(), Json::from(args.container.as_str()));
    if args.follow {
        options.insert("follow".into(), Json::Bool(true));
    }
    if args.previous {
        options.insert("previous".into(), Json::Bool(true));
    }
    if args.timestamps {
        options.insert("timestamps".into(), Json::Bool(true));
    }
    if args.since.is_some() && args.since_time.is_some() {
        bail!("--since-time and --since cannot be used together");
    }
    if let Some(since) = &args.since {
        let seconds = argo_core::parse_duration_or_seconds(since)
            .map_err(|_| anyhow::anyhow!("invalid argument {since:?} for \"--since\" flag"))?
            .as_secs();
        if seconds > 0 {
            options.insert("sinceSeconds".into(), Json::from(seconds));
        }
    }
    if let Some(since_time) = &args.since_time {
        let parsed: jiff::Timestamp = since_time
            .parse()
            .map_err(|e| anyhow::anyhow!("--since-time {since_time:?}: {e}"))?;
        options.insert("sinceTime".into(), Json::from(parsed.to_string()));
    }
    if args.tail >= 0 {
        options.insert("tailLines".into(), Json::from(args.tail));
    }
    Ok(Json::Object(options))
}

pub async fn run(args: &LogsArgs, out: Out<'_>) -> anyhow::Result<ExitCode> {
    let options = log_options(args)?;
    let session = Session::connect(&args.client).await?;
    let name = session.resolve_name(&args.workflow).await?;
    let mut request = json!({
        "namespace": session.namespace(),
        "name": name,
        "logOptions": options,
    });
    if let Some(pod) = &args.pod {
        request["podName"] = Json::from(pod.as_str());
    }
    if let Some(grep) = &args.grep {
        request["grep"] = Json::from(grep.as_str());
    }
    if let Some(selector) = &args.selector {
        request["selector"] = Json::from(selector.as_str());
    }
    print_logs(&session, out, request, Style::detect(args.no_color, false)).await?;
    Ok(ExitCode::SUCCESS)
}

/// Streams `WorkflowLogs` for `request` and prints each entry.
pub async fn print_logs(
    session: &Session,
    out: Out<'_>,
    request: Json,
    style: Style,
) -> anyhow::Result<()> {
    let mut entries = session
        .client
        .stream("workflow.WorkflowService.WorkflowLogs", request)
        .await?;
    while let Some(entry) = entries.next().await {
        let entry = entry?;
        let pod = entry.get("podName").and_then(Json::as_str).unwrap_or("");
        let content = entry.get("content").and_then(Json::as_str).unwrap_or("");
        let line = format!("{pod}: {content}");
        writeln!(out, "{}", style.paint(&line, Style::name_color(pod)))?;
        out.flush()?;
    }
    Ok(())
}

/// Follows every pod's main container of one workflow until it finishes (`submit --log`).
///
/// The server's follow stream ends when no pod is running (before the first pod starts, or
/// between steps), so the stream is reopened after each change of the workflow; lines
/// already printed for a pod are skipped on the next pass.
pub async fn follow_workflow(session: &Session, out: Out<'_>, name: &str) -> anyhow::Result<()> {
    let request = json!({
        "namespace": session.namespace(),
        "name": name,
        "logOptions": {"container": "main", "follow": true},
    });
    let style = Style::detect(false, false);
    let mut printed: HashMap<String, usize> = HashMap::new();
    loop {
        let version = resource_version(session, name).await?;
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut entries = session
            .client
            .stream("workflow.WorkflowService.WorkflowLogs", request.clone())
            .await?;
        while let Some(entry) = entries.next().await {
            let entry = entry?;
            let pod = entry.get("podName").and_then(Json::as_str).unwrap_or("");
            let index = seen.entry(pod.to_owned()).or_default();
            *index += 1;
            let done = printed.entry(pod.to_owned()).or_default();
            if *index <= *done {
                continue;
            }
            *done += 1;
            let content = entry.get("content").and_then(Json::as_str).unwrap_or("");
            let line = format!("{pod}: {content}");
            writeln!(out, "{}", style.paint(&line, Style::name_color(pod)))?;
            out.flush()?;
        }
        match version {
            Progress::Finished => return Ok(()),
            Progress::Running(version) => wait_for_change(session, name, &version).await?,
        }
    }
}

enum Progress {
    Finished,
    Running(String),
}

async fn resource_version(session: &Session, name: &str) -> anyhow::Result<Progress> {
    let workflow = session.get_workflow(name).await?;
    if workflow
        .pointer("/status/finishedAt")
        .is_some_and(|f| !f.is_null())
    {
        return Ok(Progress::Finished);
    }
    let version = workflow
        .pointer("/metadata/resourceVersion")
        .and_then(Json::as_str)
        .unwrap_or_default()
        .to_owned();
    Ok(Progress::Running(version))
}

/// Returns once the workflow's resource version differs from `version` (or it is gone).
async fn wait_for_change(session: &Session, name: &str, version: &str) -> anyhow::Result<()> {
    let request = super::get::watch_request(session.namespace(), name);
    let mut events = session
        .client
        .stream("workflow.WorkflowService.WatchWorkflows", request)
        .await?;
    while let Some(event) = events.next().await {
        let event = event?;
        let current = event
            .pointer("/object/metadata/resourceVersion")
            .and_then(Json::as_str)
            .unwrap_or_default();
        if current != version {
            return Ok(());
        }
    }
    Ok(())
}
