//! `argo retry`: re-run the failed parts of a finished workflow. Failed leaf nodes (and, with
//! `restartSuccessful`, nodes matching the selector), their descendants and exit-handler
//! nodes are removed; their failed or affected ancestors are reopened (Running, no
//! finishedAt, no message); Omitted and Skipped DAG tasks under a reopened DAG or a removed
//! task are removed too, so their conditions are judged again against the re-run results;
//! the workflow goes back to Running with new parameters applied.
//!
//! Must not: delete pods. The removed nodes' pods and task results are returned and recorded
//! on the retried workflow ([`RetryLeftovers`]) for the controller to delete.

use std::collections::{BTreeSet, HashMap};

use argo_core::{NodePhase, NodeType, Workflow, WorkflowPhase};

use super::{NodeSelector, RetryLeftovers};
use crate::error::{Error, Result};
use crate::reconcile::{LABEL_COMPLETED, LABEL_PHASE};

/// Options of a retry.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RetryOptions {
    /// Also re-run succeeded nodes matching `node_selector`.
    pub restart_successful: bool,
    pub node_selector: NodeSelector,
    /// `NAME=VALUE` overrides of workflow parameters.
    pub parameters: Vec<String>,
}

/// A retried workflow and the pods to delete (also recorded on the workflow's
/// [`RetryLeftovers`] annotation, with the removed pod nodes' task results).
#[derive(Debug, Clone, PartialEq)]
pub struct Retried {
    pub workflow: Workflow,
    pub pods_to_delete: Vec<String>,
}

fn is_execution_node(node_type: &NodeType) -> bool {
    matches!(
        node_type,
        NodeType::Pod | NodeType::Container | NodeType::Suspend | NodeType::Http | NodeType::Plugin
    )
}

/// Formulates the retry of a failed (or, selectively, succeeded) workflow.
pub fn retry(wf: &Workflow, options: &RetryOptions) -> Result<Retried> {
    match wf.status.phase {
        WorkflowPhase::Failed | WorkflowPhase::Error => {}
        WorkflowPhase::Succeeded => {
            if !options.restart_successful || options.node_selector.is_empty() {
                return Err(Error::msg(
                    "To retry a succeeded workflow, set the options restartSuccessful and nodeFieldSelector",
                ));
            }
        }
        ref other => {
            return Err(Error::msg(format!(
                "Cannot retry a workflow in phase {}",
                other.as_str()
            )));
        }
    }
    let mut next = wf.clone();
    apply_parameters(&mut next, &options.parameters)?;
    let nodes = &wf.status.nodes;
    let parents: HashMap<&str, Vec<&str>> = {
        let mut map: HashMap<&str, Vec<&str>> = HashMap::new();
        for node in nodes.values() {
            for child in &node.children {
                map.entry(child.as_str())
                    .or_default()
                    .push(node.id.as_str());
            }
        }
        map
    };
    let mut to_delete: BTreeSet<String> = BTreeSet::new();
    for node in nodes.values() {
        let failed_leaf = node.is_failed_or_error() && is_execution_node(&node.node_type);
        let selected = options.restart_successful
            && !options.node_selector.is_empty()
            && options.node_selector.matches(node);
        let exit_handler = node.name.ends_with(".onExit") || node.name.contains(".onExit.");
        let errored_skip = node.node_type == NodeType::Skipped && node.is_failed_or_error();
        if failed_leaf || selected || exit_handler || errored_skip {
            to_delete.insert(node.id.clone());
        }
    }
    // Descendants through the same boundary go too (a removed subtree is re-run).
    let mut stack: Vec<String> = to_delete.iter().cloned().collect();
    while let Some(id) = stack.pop() {
        let Some(node) = nodes.get(&id) else { continue };
        if !is_execution_node(&node.node_type) || node.node_type == NodeType::Pod {
            for child in &node.children {
                let child_is_inside = nodes
                    .get(child)
                    .is_some_and(|c| c.boundary_id == id || c.name.starts_with(&node.name));
                if child_is_inside && to_delete.insert(child.clone()) {
                    stack.push(child.clone());
                }
            }
        }
    }
    // Every ancestor of a removed node is reopened.
    let mut reopen: BTreeSet<String> = BTreeSet::new();
    let mut stack: Vec<String> = to_delete.iter().cloned().collect();
    while let Some(id) = stack.pop() {
        if let Some(node) = nodes.get(&id)
            && !node.boundary_id.is_empty()
            && !to_delete.contains(&node.boundary_id)
            && reopen.insert(node.boundary_id.clone())
        {
            stack.push(node.boundary_id.clone());
        }
        for parent in parents.get(id.as_str()).into_iter().flatten() {
            if !to_delete.contains(*parent) && reopen.insert((*parent).to_owned()) {
                stack.push((*parent).to_owned());
            }
        }
    }
    // DAG tasks not run (Omitted) or skipped that hang off a removed task or a reopened DAG
    // are judged again: their dependencies or `when` may come out differently once the
    // failed parts re-run. A DAG task's parents are the tasks it depends on, so this follows
    // chains of Omitted tasks. Skipped steps stay: their group is not run again.
    loop {
        let judged_again: Vec<String> = nodes
            .values()
            .filter(|node| matches!(node.phase, NodePhase::Omitted | NodePhase::Skipped))
            .filter(|node| !to_delete.contains(&node.id))
            .filter(|node| {
                let reopened_dag = nodes.get(&node.boundary_id).is_some_and(|scope| {
                    scope.node_type == NodeType::Dag && reopen.contains(&scope.id)
                });
                parents
                    .get(node.id.as_str())
                    .into_iter()
                    .flatten()
                    .any(|parent| {
                        to_delete.contains(*parent) || (reopened_dag && *parent == node.boundary_id)
                    })
            })
            .map(|node| node.id.clone())
            .collect();
        if judged_again.is_empty() {
            break;
        }
        to_delete.extend(judged_again);
    }
    let mut pods_to_delete = Vec::new();
    let mut leftovers = RetryLeftovers::default();
    for id in &to_delete {
        if let Some(node) = nodes.get(id)
            && node.node_type == NodeType::Pod
        {
            leftovers.task_results.insert(node.id.clone());
            let template = node
                .template_ref
                .as_ref()
                .map(|r| r.template.clone())
                .unwrap_or_else(|| node.template_name.clone());
            pods_to_delete.push(crate::node_id::pod_name(wf.name(), &node.name, &template));
        }
        next.status.nodes.remove(id);
    }
    for node in next.status.nodes.values_mut() {
        node.children.retain(|c| !to_delete.contains(c));
        node.outbound_nodes.retain(|c| !to_delete.contains(c));
        let reopen_node = reopen.contains(&node.id) && !is_execution_node(&node.node_type);
        if reopen_node && (node.is_failed_or_error() || node.phase == NodePhase::Succeeded) {
            node.phase = NodePhase::Running;
            node.finished_at = None;
            node.message.clear();
            if node.node_type != NodeType::Retry {
                node.outputs = None;
            }
        }
    }
    next.status.phase = WorkflowPhase::Running;
    next.status.message.clear();
    next.status.finished_at = None;
    next.status
        .conditions
        .retain(|c| c.condition_type != Some(argo_core::ConditionType::Completed));
    next.spec.shutdown = None;
    next.spec.suspend = None;
    let labels = next.metadata.labels.get_or_insert_with(Default::default);
    labels.insert(LABEL_COMPLETED.to_owned(), "false".to_owned());
    labels.insert(LABEL_PHASE.to_owned(), "Running".to_owned());
    pods_to_delete.sort();
    leftovers.pods.extend(pods_to_delete.iter().cloned());
    leftovers.record_on(&mut next);
    Ok(Retried {
        workflow: next,
        pods_to_delete,
    })
}

/// Applies `NAME=VALUE` parameter overrides to the spec (and the stored template spec).
pub(crate) fn apply_parameters(wf: &mut Workflow, parameters: &[String]) -> Result<()> {
    for text in parameters {
        let Some((name, value)) = text.split_once('=') else {
            return Err(Error::msg(format!(
                "expected parameter of the form: NAME=VALUE. Received: {text}"
            )));
        };
        let specs = std::iter::once(&mut wf.spec)
            .chain(wf.status.stored_workflow_template_spec.as_deref_mut());
        for spec in specs {
            match spec
                .arguments
                .parameters
                .iter_mut()
                .find(|p| p.name == name)
            {
                Some(param) => param.value = Some(value.to_owned().into()),
                None => spec
                    .arguments
                    .parameters
                    .push(argo_core::Parameter::with_value(name, value)),
            }
        }
    }
    Ok(())
}
