//! `argo node set`: give the selected suspend nodes output parameter values, a phase and a
//! message.
//!
//! Must not: target anything but active suspend nodes (as Argo).

use argo_core::{NodePhase, Workflow};
use jiff::Timestamp;

use super::{NodeSelector, NodeUpdate, update_suspended_nodes};
use crate::error::{Error, Result};

/// What `set` writes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SetValues {
    pub phase: Option<NodePhase>,
    pub message: Option<String>,
    pub output_parameters: Vec<(String, String)>,
}

/// Sets values on the suspend nodes matching `selector`.
pub fn set(
    wf: &Workflow,
    selector: &NodeSelector,
    values: &SetValues,
    now: Timestamp,
) -> Result<Workflow> {
    if selector.is_empty() {
        return Err(Error::msg(
            "'set' currently only targets suspend nodes, use a node field selector to target them",
        ));
    }
    let update = NodeUpdate {
        phase: values.phase.clone(),
        message: values.message.clone(),
        output_parameters: values.output_parameters.clone(),
    };
    update_suspended_nodes(wf, selector, &update, now)
}
