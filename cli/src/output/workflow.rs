//! A workflow as `argo get` prints it (the header block, then the node tree) and workflows as
//! `argo list` prints them (an aligned table).
//! Must not: fetch anything or read the clock (`now` and the zone are passed in).

use argo_core::{NodePhase, NodeType, Workflow, WorkflowPhase, WorkflowSpec};
use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::humanize;
use super::table::TabWriter;
use super::tree::{TreeColumns, TreeOptions, render_tree, resources_duration};

/// The spec a workflow runs with: its stored template spec when it has one.
pub fn exec_spec(workflow: &Workflow) -> &WorkflowSpec {
    workflow
        .status
        .stored_workflow_template_spec
        .as_deref()
        .unwrap_or(&workflow.spec)
}

/// Suspended by `spec.suspend` or waiting at a suspend node.
pub fn is_suspended(workflow: &Workflow) -> bool {
    workflow.spec.suspend == Some(true)
        || workflow
            .status
            .nodes
            .values()
            .any(|node| node.is_active_suspend_node())
}

/// The status word Argo shows: the phase, refined for suspended, terminated and new workflows.
pub fn workflow_status(workflow: &Workflow) -> String {
    match &workflow.status.phase {
        WorkflowPhase::Running if is_suspended(workflow) => "Running (Suspended)".to_owned(),
        WorkflowPhase::Failed if workflow.spec.shutdown.is_some() => {
            "Failed (Terminated)".to_owned()
        }
        WorkflowPhase::Unknown | WorkflowPhase::Pending => {
            if workflow.metadata.creation_timestamp.is_some() {
                "Pending".to_owned()
            } else {
                "Unknown".to_owned()
            }
        }
        phase => phase.as_str().to_owned(),
    }
}

fn start(workflow: &Workflow) -> Option<Timestamp> {
    workflow.status.started_at.as_ref().map(|t| t.0)
}

fn finish(workflow: &Workflow) -> Option<Timestamp> {
    workflow.status.finished_at.as_ref().map(|t| t.0)
}

/// The `argo get` text: header, then (unless there are no nodes) the tree.
pub fn describe(workflow: &Workflow, tree: &TreeOptions, zone: &TimeZone) -> String {
    let now = tree.now;
    let mut out = String::new();
    let mut row = |label: &str, value: &str| out.push_str(&format!("{label:<20} {value}\n"));
    row("Name:", workflow.name());
    row("Namespace:", workflow.namespace());
    let spec = exec_spec(workflow);
    let service_account = if !spec.service_account_name.is_empty() {
        spec.service_account_name.clone()
    } else if workflow.spec.workflow_template_ref.is_some() {
        "unset".to_owned()
    } else {
        "unset (will run with the default ServiceAccount)".to_owned()
    };
    row("ServiceAccount:", &service_account);
    row("Status:", &workflow_status(workflow));
    if !workflow.status.message.is_empty() {
        row("Message:", &workflow.status.message);
    }
    if !workflow.status.conditions.is_empty() {
        row("Conditions:", "");
        for condition in &workflow.status.conditions {
            let kind = condition
                .condition_type
                .as_ref()
                .map(|t| t.as_str().to_owned())
                .unwrap_or_default();
            let message = if condition.message.is_empty() {
                condition
                    .status
                    .as_ref()
                    .map(|s| s.as_str().to_owned())
                    .unwrap_or_default()
            } else {
                condition.message.clone()
            };
            let icon = tree.style.condition_icon(condition.condition_type.as_ref());
            row(&format!("{icon} {kind}"), &message);
        }
    }
    if let Some(created) = &workflow.metadata.creation_timestamp {
        row("Created:", &humanize::timestamp(created.0, now, zone));
    }
    if let Some(started) = start(workflow) {
        row("Started:", &humanize::timestamp(started, now, zone));
    }
    if let Some(finished) = finish(workflow) {
        row("Finished:", &humanize::timestamp(finished, now, zone));
    }
    if start(workflow).is_some() {
        row(
            "Duration:",
            &humanize::long_between(start(workflow), finish(workflow), now),
        );
    }
    if workflow.status.phase == WorkflowPhase::Running && workflow.status.estimated_duration > 0 {
        row(
            "EstimatedDuration:",
            &humanize::long(workflow.status.estimated_duration),
        );
    }
    row("Progress:", &workflow.status.progress.to_string());
    if !workflow.status.resources_duration.is_empty() {
        row(
            "ResourcesDuration:",
            &resources_duration(&workflow.status.resources_duration),
        );
    }
    let parameters: Vec<_> = spec
        .arguments
        .parameters
        .iter()
        .filter(|p| p.value.is_some())
        .collect();
    if !spec.arguments.parameters.is_empty() {
        row("Parameters:", "");
        for parameter in parameters {
            let value = parameter
                .value
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default();
            row(&format!("  {}:", parameter.name), &value);
        }
    }
    if let Some(outputs) = &workflow.status.outputs {
        if !outputs.parameters.is_empty() {
            row("Output Parameters:", "");
            for parameter in &outputs.parameters {
                if let Some(value) = &parameter.value {
                    row(&format!("  {}:", parameter.name), &value.to_string());
                }
            }
        }
        if !outputs.artifacts.is_empty() {
            row("Output Artifacts:", "");
            for artifact in &outputs.artifacts {
                let location = serde_json::to_value(&artifact.location)
                    .ok()
                    .and_then(|v| v.as_object().and_then(|m| m.keys().next().cloned()))
                    .unwrap_or_default();
                row(&format!("  {}:", artifact.name), &location);
            }
        }
    }
    if let Some(text) = render_tree(workflow, tree) {
        if tree.columns == TreeColumns::Short {
            return text;
        }
        out.push('\n');
        out.push_str(&text);
    }
    out
}

/// Options of the `argo list` table.
#[derive(Debug, Clone, Default)]
pub struct ListOptions {
    pub no_headers: bool,
    pub namespace: bool,
    pub wide: bool,
    pub uid: bool,
}

/// The `argo list` table (or `No workflows found`).
pub fn list_table(workflows: &[Workflow], options: &ListOptions, now: Timestamp) -> String {
    if workflows.is_empty() {
        return "No workflows found\n".to_owned();
    }
    let mut w = TabWriter::new(3);
    if !options.no_headers {
        if options.namespace {
            w.write("NAMESPACE\t");
        }
        w.write("NAME\tSTATUS\tAGE\tDURATION\tPRIORITY\tMESSAGE");
        if options.wide {
            w.write("\tP/R/C\tPARAMETERS");
        }
        if options.uid {
            w.write("\tUID");
        }
        w.write("\n");
    }
    for workflow in workflows {
        if options.namespace {
            w.write(&format!("{}\t", workflow.namespace()));
        }
        let age = humanize::short_between(
            workflow.metadata.creation_timestamp.as_ref().map(|t| t.0),
            Some(now),
            now,
        );
        let duration = humanize::short_between(start(workflow), finish(workflow), now);
        let priority = workflow.spec.priority.unwrap_or(0);
        w.write(&format!(
            "{}\t{}\t{age}\t{duration}\t{priority}\t{}",
            workflow.name(),
            workflow_status(workflow),
            workflow.status.message
        ));
        if options.wide {
            let (pending, running, completed) = pod_counts(workflow);
            w.write(&format!("\t{pending}/{running}/{completed}"));
            w.write(&format!("\t{}", parameter_summary(workflow)));
        }
        if options.uid {
            w.write(&format!(
                "\t{}",
                workflow.metadata.uid.as_deref().unwrap_or_default()
            ));
        }
        w.write("\n");
    }
    let mut out = w.finish();
    let completed = workflows
        .iter()
        .filter(|w| w.status.phase.is_completed())
        .count();
    let incomplete = workflows.len() - completed;
    if completed > 100 || incomplete > 100 {
        out.push_str("\nYou have at least ");
        if incomplete > 100 {
            out.push_str(&format!("{incomplete} incomplete "));
        }
        if incomplete > 100 && completed > 100 {
            out.push_str("and ");
        }
        if completed > 100 {
            out.push_str(&format!("{completed} completed "));
        }
        out.push_str(
            "workflows. Reducing the total number of workflows will reduce your costs.\n\
             Learn more at https://argo-workflows.readthedocs.io/en/latest/cost-optimisation/\n",
        );
    }
    out
}

fn pod_counts(workflow: &Workflow) -> (usize, usize, usize) {
    let (mut pending, mut running, mut completed) = (0, 0, 0);
    for node in workflow.status.nodes.values() {
        if node.node_type != NodeType::Pod {
            continue;
        }
        if node.phase.is_fulfilled(None) {
            completed += 1;
        } else if node.phase == NodePhase::Running {
            running += 1;
        } else {
            pending += 1;
        }
    }
    (pending, running, completed)
}

fn parameter_summary(workflow: &Workflow) -> String {
    workflow
        .spec
        .arguments
        .parameters
        .iter()
        .filter_map(|p| {
            let value = p.value.as_ref()?.to_string();
            let value = if value.len() > 50 && value.is_char_boundary(32) {
                let tail = value.len() - 15;
                let tail = (tail..value.len())
                    .find(|i| value.is_char_boundary(*i))
                    .unwrap_or(value.len());
                format!("{}...{}", &value[..32], &value[tail..])
            } else {
                value
            };
            Some(format!("{}={value}", p.name))
        })
        .collect::<Vec<_>>()
        .join(",")
}
