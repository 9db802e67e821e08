//! `argo resubmit`: a new workflow from an old one's spec, optionally memoized (succeeded
//! nodes carried over under the new name so they are not run again).
//!
//! Must not: pick names randomly; the caller passes the new workflow's name.

use argo_core::{NodeStatus, NodeType, Workflow, WorkflowPhase, WorkflowStatus};

use super::retry::apply_parameters;
use crate::error::{Error, Result};
use crate::node_id;

/// Label on a resubmitted workflow naming its origin.
pub const LABEL_RESUBMITTED_FROM: &str = "workflows.argoproj.io/resubmitted-from-workflow";

/// Formulates a resubmitted workflow named `new_name`.
pub fn resubmit(
    wf: &Workflow,
    new_name: &str,
    memoized: bool,
    parameters: &[String],
) -> Result<Workflow> {
    if memoized
        && !matches!(
            wf.status.phase,
            WorkflowPhase::Failed | WorkflowPhase::Error
        )
    {
        return Err(Error::msg(
            "workflow must be Failed/Error to resubmit in memoized mode",
        ));
    }
    let mut next = Workflow {
        metadata: Default::default(),
        spec: wf.spec.clone(),
        status: WorkflowStatus::default(),
    };
    next.metadata.name = Some(new_name.to_owned());
    next.metadata.namespace = wf.metadata.namespace.clone();
    next.metadata.annotations = wf.metadata.annotations.clone();
    let mut labels = wf.metadata.labels.clone().unwrap_or_default();
    labels.retain(|k, _| {
        k != crate::reconcile::LABEL_COMPLETED
            && k != crate::reconcile::LABEL_PHASE
            && k != "workflows.argoproj.io/workflow-archiving-status"
    });
    labels.insert(LABEL_RESUBMITTED_FROM.to_owned(), wf.name().to_owned());
    next.metadata.labels = Some(labels);
    next.spec.shutdown = None;
    next.spec.suspend = None;
    apply_parameters(&mut next, parameters)?;
    if !memoized {
        return Ok(next);
    }
    let old_name = wf.name();
    let convert_id = |id: &str| -> Option<String> {
        let node = wf.status.nodes.get(id)?;
        Some(node_id::node_id(
            new_name,
            &rename(&node.name, old_name, new_name),
        ))
    };
    for node in wf.status.nodes.values() {
        if node.name.contains(".onExit") {
            continue;
        }
        let failed_pod = node.is_failed_or_error() && node.node_type == NodeType::Pod;
        if failed_pod {
            continue;
        }
        let mut copy: NodeStatus = node.clone();
        copy.name = rename(&node.name, old_name, new_name);
        copy.id = node_id::node_id(new_name, &copy.name);
        copy.boundary_id = if node.boundary_id.is_empty() {
            String::new()
        } else {
            convert_id(&node.boundary_id).unwrap_or_default()
        };
        copy.children = node
            .children
            .iter()
            .filter(|c| keeps(wf, c))
            .filter_map(|c| convert_id(c))
            .collect();
        copy.outbound_nodes = node
            .outbound_nodes
            .iter()
            .filter(|c| keeps(wf, c))
            .filter_map(|c| convert_id(c))
            .collect();
        if copy.id == new_name {
            copy.display_name = new_name.to_owned();
        }
        if copy.is_failed_or_error() {
            copy.phase = argo_core::NodePhase::Running;
            copy.message.clear();
            copy.finished_at = None;
        }
        next.status.nodes.insert(copy.id.clone(), copy);
    }
    next.status.stored_templates = wf.status.stored_templates.clone();
    next.status.stored_workflow_template_spec = wf.status.stored_workflow_template_spec.clone();
    Ok(next)
}

fn keeps(wf: &Workflow, id: &str) -> bool {
    wf.status.nodes.get(id).is_some_and(|n| {
        !(n.name.contains(".onExit") || (n.is_failed_or_error() && n.node_type == NodeType::Pod))
    })
}

fn rename(name: &str, old: &str, new: &str) -> String {
    match name.strip_prefix(old) {
        Some(rest) => format!("{new}{rest}"),
        None => name.to_owned(),
    }
}
