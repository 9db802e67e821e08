//! Operations users run on a workflow, as pure functions from a Workflow (and the time) to a
//! new Workflow: suspend, resume, stop, terminate, retry, resubmit and set. The API layer
//! persists the result; the next reconcile acts on it.
//!
//! Must not: do I/O or create pods (retry returns the pods to delete and records them on the
//! workflow; the controller deletes them).

mod leftovers;
mod resubmit;
mod resume;
mod retry;
mod selector;
mod set;
mod stop;
mod suspend;
mod terminate;

pub use leftovers::{ANNOTATION_RETRY_LEFTOVERS, RetryLeftovers};
pub use resubmit::resubmit;
pub use resume::resume;
pub use retry::{Retried, RetryOptions, retry};
pub use selector::NodeSelector;
pub use set::{SetValues, set};
pub use stop::stop;
pub use suspend::suspend;
pub use terminate::terminate;

use argo_core::k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use argo_core::{NodePhase, NodeStatus, Workflow};
use jiff::Timestamp;

use crate::error::{Error, Result};
use crate::outputs::override_outputs_with_default;

/// Values a suspend node gets when it is resumed, stopped or set.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct NodeUpdate {
    pub phase: Option<NodePhase>,
    pub message: Option<String>,
    pub output_parameters: Vec<(String, String)>,
}

/// Applies an update to every active suspend node matching `selector` (Argo's
/// `updateSuspendedNode`); errors when none matched.
pub(crate) fn update_suspended_nodes(
    wf: &Workflow,
    selector: &NodeSelector,
    update: &NodeUpdate,
    now: Timestamp,
) -> Result<Workflow> {
    let mut next = wf.clone();
    let mut matched = false;
    for node in next.status.nodes.values_mut() {
        if !node.is_active_suspend_node() || !selector.matches(node) {
            continue;
        }
        matched = true;
        if !update.output_parameters.is_empty() {
            set_output_parameters(node, &update.output_parameters)?;
        }
        if let Some(phase) = &update.phase {
            if *phase == NodePhase::Succeeded {
                fill_supplied_defaults(node)?;
            }
            node.phase = phase.clone();
            if phase.is_fulfilled(None) {
                node.finished_at = Some(Time(now));
            }
        }
        if let Some(message) = &update.message
            && !message.is_empty()
        {
            node.message = message.clone();
        }
    }
    if !matched {
        return Err(Error::msg(format!(
            "currently, set only targets suspend nodes: no suspend nodes matching nodeFieldSelector: {selector}"
        )));
    }
    Ok(next)
}

fn set_output_parameters(node: &mut NodeStatus, values: &[(String, String)]) -> Result<()> {
    let Some(outputs) = node.outputs.as_mut() else {
        return Err(Error::msg(
            "cannot set output parameters because node is not expecting any raw parameters",
        ));
    };
    for (name, value) in values {
        let Some(param) = outputs.parameters.iter_mut().find(|p| p.name == *name) else {
            return Err(Error::msg(format!(
                "node is not expecting output parameter '{name}'"
            )));
        };
        if param
            .value_from
            .as_ref()
            .is_none_or(|v| v.supplied.is_none())
        {
            return Err(Error::msg(format!(
                "cannot set output parameter '{name}' because it does not use valueFrom.raw or it was already set"
            )));
        }
        param.value = Some(value.clone().into());
        param.value_from = None;
    }
    Ok(())
}

/// A resumed suspend node's supplied outputs take their defaults; one without a default
/// and without a value is an error.
fn fill_supplied_defaults(node: &mut NodeStatus) -> Result<()> {
    if let Some(outputs) = &node.outputs {
        for param in &outputs.parameters {
            let supplied = param
                .value_from
                .as_ref()
                .is_some_and(|v| v.supplied.is_some());
            let has_default = param
                .value_from
                .as_ref()
                .is_some_and(|v| v.default.is_some());
            if supplied && param.value.is_none() && !has_default {
                return Err(Error::msg(format!(
                    "raw output parameter '{}' has not been set and does not have a default value",
                    param.name
                )));
            }
        }
    }
    override_outputs_with_default(&mut node.outputs);
    if let Some(outputs) = node.outputs.as_mut() {
        for param in &mut outputs.parameters {
            if param.value.is_some() {
                param.value_from = None;
            }
        }
    }
    Ok(())
}

/// Refuses operations on completed workflows.
pub(crate) fn ensure_not_completed(wf: &Workflow, message: &str) -> Result<()> {
    if wf.status.phase.is_completed() {
        return Err(Error::msg(message.to_owned()));
    }
    Ok(())
}
