//! `argo list`: workflows filtered by labels, fields, phase, prefix and age, as a table or
//! `-o name|json|yaml|wide`. The selection logic is shared with `argo delete`.
//! Must not: print trees (that is `get`).

use std::process::ExitCode;

use anyhow::bail;
use jiff::Timestamp;
use serde_json::{Map, Value as Json, json};

use super::{Out, Session, check_output, items, objects_name, since, workflow_model};
use crate::client::ClientArgs;
use crate::output::objects;
use crate::output::workflow::{ListOptions, list_table};

/// Which workflows `list` and `delete` select.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct Selection {
    /// Filter workflows by prefix
    #[arg(long)]
    pub prefix: Option<String>,
    /// List completed workflows finished before the specified duration (e.g. 10m, 3h, 1d)
    #[arg(long)]
    pub older: Option<String>,
    /// Filter by status (comma separated)
    #[arg(long, value_delimiter = ',')]
    pub status: Vec<String>,
    /// Show completed workflows. Mutually exclusive with --running.
    #[arg(long)]
    pub completed: bool,
    /// Show resubmitted workflows
    #[arg(long)]
    pub resubmitted: bool,
    /// Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2)
    #[arg(short = 'l', long)]
    pub selector: Option<String>,
    /// Selector (field query) to filter on, supports '=', '==', and '!='.
    #[arg(long)]
    pub field_selector: Option<String>,
}

/// list workflows
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Show workflows from all namespaces
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,
    /// Show running workflows. Mutually exclusive with --completed.
    #[arg(long)]
    pub running: bool,
    /// Show only workflows created after than a relative duration
    #[arg(long)]
    pub since: Option<String>,
    /// Return large lists in chunks rather than all at once. Pass 0 to disable.
    #[arg(long, default_value_t = 0)]
    pub chunk_size: i64,
    /// Don't print headers (default print headers).
    #[arg(long)]
    pub no_headers: bool,
    /// Output format. One of: name|json|yaml|wide
    #[arg(short, long, default_value = "")]
    pub output: String,
    #[command(flatten)]
    pub selection: Selection,
    #[command(flatten)]
    pub client: ClientArgs,
}

/// The label selector the filters add up to.
pub fn label_selector(selection: &Selection, running: bool) -> anyhow::Result<String> {
    if selection.completed && running {
        bail!("--completed and --running cannot be used together");
    }
    let mut terms: Vec<String> = selection
        .selector
        .iter()
        .flat_map(|s| s.split(','))
        .filter(|t| !t.trim().is_empty())
        .map(|t| t.trim().to_owned())
        .collect();
    if !selection.status.is_empty() {
        let mut statuses = selection.status.clone();
        statuses.sort();
        terms.push(format!(
            "workflows.argoproj.io/phase in ({})",
            statuses.join(",")
        ));
    }
    if selection.completed {
        terms.push("workflows.argoproj.io/completed=true".into());
    }
    if running {
        terms.push("workflows.argoproj.io/completed!=true".into());
    }
    if selection.resubmitted {
        terms.push("workflows.argoproj.io/resubmitted-from-workflow".into());
    }
    Ok(terms.join(","))
}

/// Fetches every selected workflow (following `continue` tokens), then filters by prefix and
/// age and sorts them as Argo does: running first (newest start first), then by finish time.
pub async fn select(
    session: &Session,
    namespace: &str,
    selection: &Selection,
    running: bool,
    created_since: Option<&str>,
    chunk_size: i64,
) -> anyhow::Result<Vec<Json>> {
    let label_selector = label_selector(selection, running)?;
    let now = session.now();
    let created_after = created_since.map(|s| since(s, now)).transpose()?;
    let finished_before = selection
        .older
        .as_deref()
        .map(|s| since(s, now))
        .transpose()?;
    let mut workflows = Vec::new();
    let mut continue_token = String::new();
    loop {
        let mut list_options = Map::new();
        if !label_selector.is_empty() {
            list_options.insert("labelSelector".into(), Json::from(label_selector.as_str()));
        }
        if let Some(fields) = &selection.field_selector {
            list_options.insert("fieldSelector".into(), Json::from(fields.as_str()));
        }
        if chunk_size > 0 {
            list_options.insert("limit".into(), Json::from(chunk_size));
        }
        if !continue_token.is_empty() {
            list_options.insert("continue".into(), Json::from(continue_token.as_str()));
        }
        let list = session
            .call(
                "workflow.WorkflowService.ListWorkflows",
                json!({"namespace": namespace, "listOptions": list_options}),
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
    let prefix = selection.prefix.as_deref().unwrap_or("");
    workflows.retain(|w| objects::name_of(w).starts_with(prefix));
    workflows.retain(|w| {
        let created = time_at(w, "/metadata/creationTimestamp");
        let finished = time_at(w, "/status/finishedAt");
        let created_ok = created_after.is_none_or(|after| created.is_some_and(|c| c > after));
        let finished_ok = finished_before.is_none_or(|before| finished.is_some_and(|f| f < before));
        created_ok && finished_ok
    });
    workflows.sort_by_key(|w| std::cmp::Reverse(order_key(w)));
    Ok(workflows)
}

fn time_at(workflow: &Json, pointer: &str) -> Option<Timestamp> {
    workflow.pointer(pointer)?.as_str()?.parse().ok()
}

/// Larger sorts first: unfinished before finished; then later start / later finish.
fn order_key(workflow: &Json) -> (bool, Option<Timestamp>, Option<Timestamp>) {
    let finished = time_at(workflow, "/status/finishedAt");
    let started = time_at(workflow, "/status/startedAt")
        .or_else(|| time_at(workflow, "/metadata/creationTimestamp"));
    match finished {
        None => (true, started, None),
        Some(finished) => (false, Some(finished), started),
    }
}

pub async fn run(args: &ListArgs, out: Out<'_>) -> anyhow::Result<ExitCode> {
    check_output(&args.output, &["", "name", "json", "yaml", "wide"])?;
    let session = Session::connect(&args.client).await?;
    let namespace = if args.all_namespaces {
        String::new()
    } else {
        session.namespace().to_owned()
    };
    let workflows = select(
        &session,
        &namespace,
        &args.selection,
        args.running,
        args.since.as_deref(),
        args.chunk_size,
    )
    .await?;
    match args.output.as_str() {
        "name" => {
            for workflow in &workflows {
                writeln!(out, "{}", objects_name(workflow))?;
            }
            if workflows.is_empty() {
                writeln!(out, "No workflows found")?;
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
                no_headers: args.no_headers,
                namespace: args.all_namespaces,
                wide: args.output == "wide",
                uid: false,
            };
            out.write_all(list_table(&models, &options, session.now()).as_bytes())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_add_up_to_one_label_selector() {
        let selection = Selection {
            selector: Some("team=a".into()),
            status: vec!["Running".into(), "Failed".into()],
            resubmitted: true,
            ..Selection::default()
        };
        assert_eq!(
            label_selector(&selection, true).unwrap(),
            "team=a,workflows.argoproj.io/phase in (Failed,Running),\
             workflows.argoproj.io/completed!=true,workflows.argoproj.io/resubmitted-from-workflow"
        );
        let both = Selection {
            completed: true,
            ..Selection::default()
        };
        assert!(label_selector(&both, true).is_err());
    }
}
