//! Node phase transitions, in one exhaustive match.
//!
//! Invariant: a fulfilled node (Succeeded, Failed, Error, Skipped, Omitted) only changes phase
//! through the operations module (retry resets nodes explicitly); `finishedAt` is stamped
//! exactly when a node becomes fulfilled and cleared when it is reopened.
//! Must not: decide *why* a node changes phase (executors do) or touch other nodes.

use argo_core::k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use argo_core::{NodePhase, NodeStatus};

/// What a requested transition does to a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    /// The node takes the new phase.
    Apply,
    /// The node keeps its phase (the request is a no-op or refused).
    Keep,
    /// A fulfilled node is reopened (Running/Pending again); only used by explicit operations.
    Reopen,
}

/// Decides a transition from `from` to `to`.
pub fn decide(from: &NodePhase, to: &NodePhase) -> Transition {
    use NodePhase::*;
    match (from, to) {
        (a, b) if a == b => Transition::Keep,
        // Not yet started or in flight: anything goes.
        (Unknown | Pending | Running, _) => Transition::Apply,
        // Fulfilled nodes never go back on their own; failures may still be refined into
        // errors (e.g. a failed outputs save) and successes into failures (daemon checks).
        (Succeeded, Failed | Error) => Transition::Apply,
        (Failed, Error) | (Error, Failed) => Transition::Apply,
        (Succeeded | Failed | Error | Skipped | Omitted, Pending | Running) => Transition::Reopen,
        (
            Succeeded | Failed | Error | Skipped | Omitted,
            Succeeded | Failed | Error | Skipped | Omitted,
        ) => Transition::Keep,
        (_, Unknown) => Transition::Keep,
        (Other(_), _) | (_, Other(_)) => Transition::Apply,
    }
}

/// Applies a phase change requested by the engine (Argo's `markNodePhase`).
pub fn transition(node: &mut NodeStatus, to: NodePhase, message: Option<&str>, now: Time) {
    match decide(&node.phase, &to) {
        Transition::Apply => {
            if !node.phase.is_running_like()
                && to.is_failed_or_error()
                && node.task_result_synced.is_some()
            {
                node.task_result_synced = Some(true);
            }
            node.phase = to;
        }
        Transition::Reopen => {
            node.phase = to;
            node.finished_at = None;
        }
        Transition::Keep => {}
    }
    if let Some(message) = message {
        node.message = message.to_owned();
    }
    if node.phase.is_fulfilled(node.task_result_synced) && node.finished_at.is_none() {
        node.finished_at = Some(now);
    }
}

/// Small phase predicates used across the engine.
pub trait PhaseExt {
    /// Pending or Running.
    fn is_running_like(&self) -> bool;
}

impl PhaseExt for NodePhase {
    fn is_running_like(&self) -> bool {
        matches!(self, NodePhase::Pending | NodePhase::Running)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use argo_core::NodeType;

    fn time(seconds: i64) -> Time {
        Time(jiff::Timestamp::from_second(seconds).expect("valid"))
    }

    #[test]
    fn completing_a_node_stamps_finished_at_once() {
        let mut node = NodeStatus::new("id", "n", NodeType::Pod);
        transition(&mut node, NodePhase::Running, None, time(1));
        assert!(node.finished_at.is_none());
        transition(&mut node, NodePhase::Succeeded, None, time(2));
        assert_eq!(node.finished_at, Some(time(2)));
        transition(&mut node, NodePhase::Succeeded, None, time(3));
        assert_eq!(node.finished_at, Some(time(2)));
    }

    #[test]
    fn a_succeeded_node_is_not_skipped_afterwards() {
        let mut node = NodeStatus::new("id", "n", NodeType::Pod);
        transition(&mut node, NodePhase::Succeeded, None, time(1));
        transition(&mut node, NodePhase::Skipped, None, time(2));
        assert_eq!(node.phase, NodePhase::Succeeded);
    }

    #[test]
    fn reopening_a_node_clears_finished_at() {
        let mut node = NodeStatus::new("id", "n", NodeType::StepGroup);
        transition(&mut node, NodePhase::Succeeded, None, time(1));
        transition(&mut node, NodePhase::Running, None, time(2));
        assert_eq!(node.phase, NodePhase::Running);
        assert!(node.finished_at.is_none());
    }

    #[test]
    fn every_pair_of_phases_has_a_decision() {
        for from in NodePhase::ALL {
            for to in NodePhase::ALL {
                let decision = decide(&from, &to);
                if from == to {
                    assert_eq!(decision, Transition::Keep);
                }
            }
        }
    }
}
