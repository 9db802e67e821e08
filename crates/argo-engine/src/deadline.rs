//! Deadlines: the workflow's `activeDeadlineSeconds`, template `timeout` and
//! `pendingTimeout`, and what happens to unfinished leaf nodes when a deadline passes or
//! the workflow is stopped or terminated.
//!
//! Invariant: a node is failed by a deadline or shutdown at most once (it becomes
//! fulfilled), so the DeletePod effect that goes with it is emitted once.
//! Must not: wait or read clocks; `now` comes from the reconcile.

use argo_core::{NodePhase, NodeStatus, NodeType, ShutdownStrategy, Template};
use jiff::{SignedDuration, Timestamp};

use crate::duration::parse_duration;
use crate::effect::Effect;
use crate::error::{Error, Result};
use crate::operation::Operation;

impl Operation<'_> {
    /// `startedAt + activeDeadlineSeconds`, when both are set.
    pub(crate) fn workflow_deadline(&self) -> Option<Timestamp> {
        let seconds = self.spec.active_deadline_seconds?;
        let started = self.status.started_at.as_ref().map_or(self.now, |t| t.0);
        started
            .saturating_add(SignedDuration::from_secs(seconds))
            .ok()
    }

    /// Fails a pending node whose `timeout` or `pendingTimeout` passed and schedules a look
    /// at the next deadline.
    pub(crate) fn check_template_timeouts(
        &mut self,
        template: &Template,
        node: &NodeStatus,
    ) -> Result<()> {
        let started = node.started_at.as_ref().map_or(self.now, |t| t.0);
        let mut next = None;
        for (value, pending_only) in [
            (&template.timeout, false),
            (&template.pending_timeout, true),
        ] {
            if value.is_empty() || (pending_only && node.phase != NodePhase::Pending) {
                continue;
            }
            let limit = parse_duration(value)
                .map_err(|e| Error::msg(format!("invalid timeout format {e}")))?;
            let deadline = started.saturating_add(limit).unwrap_or(started);
            if node.phase == NodePhase::Pending && self.now > deadline {
                return Err(Error::Timeout("timeout".to_owned()));
            }
            next = Some(next.map_or(deadline, |n: Timestamp| n.min(deadline)));
        }
        if let Some(deadline) = next
            && self.now < deadline
        {
            self.requeue_at(deadline);
        }
        Ok(())
    }

    /// Applies shutdown and deadlines to unfinished leaf nodes (Argo's
    /// `failNodesWithoutCreatedPodsAfterDeadlineOrShutdown` and execution control).
    pub(crate) fn fail_unstarted_nodes_after_deadline_or_shutdown(&mut self) {
        let past_deadline = self.workflow_deadline.is_some_and(|d| self.now > d);
        // Look again at the deadline: work still running then is stopped, whether or not a
        // pod reports in between.
        if let Some(deadline) = self.workflow_deadline
            && !past_deadline
            && !self.status.phase.is_completed()
        {
            self.requeue_at(deadline);
        }
        let shutdown = self.spec.shutdown.clone();
        if shutdown.is_none() && !past_deadline {
            self.fail_pods_past_template_timeout();
            return;
        }
        let open: Vec<NodeStatus> = self
            .indexed(|index| &index.open)
            .into_iter()
            .cloned()
            .collect();
        for node in open {
            let in_exit_handler = node.name.contains(".onExit");
            if let Some(strategy) = &shutdown {
                let exempt = *strategy == ShutdownStrategy::Stop && in_exit_handler;
                if !exempt {
                    let message = format!("Stopped with strategy '{}'", strategy.as_str());
                    if node.is_active_suspend_node() || node.is_task_set_node() {
                        self.mark_phase_by_id(&node.id, NodePhase::Failed, Some(&message));
                        continue;
                    }
                    if node.node_type == NodeType::Pod {
                        self.stop_pod_node(&node, &message);
                        continue;
                    }
                    if node.node_type == NodeType::Retry && self.children_fulfilled(&node) {
                        self.mark_phase_by_id(&node.id, NodePhase::Failed, Some(&message));
                        continue;
                    }
                }
            }
            if past_deadline
                && !in_exit_handler
                && (node.phase == NodePhase::Pending
                    || node.is_active_suspend_node()
                    || node.node_type == NodeType::Pod)
            {
                if node.node_type == NodeType::Pod {
                    self.stop_pod_node(&node, "Step exceeded its deadline");
                } else {
                    self.mark_phase_by_id(
                        &node.id,
                        NodePhase::Failed,
                        Some("Step exceeded its deadline"),
                    );
                }
            }
        }
    }

    /// Pods still running past their template's `timeout` are stopped (the executor would
    /// kill them at ARGO_DEADLINE; the engine records it the same way).
    fn fail_pods_past_template_timeout(&mut self) {
        // A pod of a local template (no defaults to merge) whose `timeout` is empty cannot time
        // out: it is passed over without being copied or its template resolved.
        let spec = &self.spec;
        let cannot_time_out = |n: &NodeStatus| {
            n.template_ref.is_none()
                && spec.template_defaults.is_none()
                && !n.template_scope.contains('/')
                && spec
                    .template(&n.template_name)
                    .is_none_or(|t| t.timeout.is_empty())
        };
        let running: Vec<NodeStatus> = self
            .indexed(|index| &index.open)
            .into_iter()
            .filter(|n| n.node_type == NodeType::Pod && n.phase == NodePhase::Running)
            .filter(|n| !cannot_time_out(n))
            .cloned()
            .collect();
        for node in running {
            let Some(template) = self.node_template(&node) else {
                continue;
            };
            if template.timeout.is_empty() {
                continue;
            }
            let Some(limit) = self.node_timeout(&template.timeout, &node) else {
                continue;
            };
            let started = node.started_at.as_ref().map_or(self.now, |t| t.0);
            let deadline = started.saturating_add(limit).unwrap_or(started);
            if self.now > deadline {
                self.stop_pod_node(&node, "Step exceeded its deadline");
            } else {
                self.requeue_at(deadline);
            }
        }
    }

    /// A template's `timeout` for one node: a templated value (`{{inputs.parameters.t}}`) is
    /// substituted with the node's recorded inputs and the globals; None when it does not
    /// resolve to a duration.
    fn node_timeout(&self, timeout: &str, node: &NodeStatus) -> Option<SignedDuration> {
        if !timeout.contains("{{") {
            return parse_duration(timeout).ok();
        }
        let mut scope = argo_expr::Scope::new();
        for param in node.inputs.iter().flat_map(|i| &i.parameters) {
            if let Some(value) = &param.value {
                scope.insert(format!("inputs.parameters.{}", param.name), value.0.clone());
            }
        }
        let text = self.substitute_text(timeout, &scope).ok()?;
        parse_duration(&text).ok()
    }

    fn stop_pod_node(&mut self, node: &NodeStatus, message: &str) {
        let template_name = node
            .template_ref
            .as_ref()
            .map(|r| r.template.clone())
            .unwrap_or_else(|| node.template_name.clone());
        let pod = crate::node_id::pod_name(&self.name, &node.name, &template_name);
        self.mark_phase_by_id(&node.id, NodePhase::Failed, Some(message));
        self.effects.push(Effect::DeletePod { pod });
    }
}
