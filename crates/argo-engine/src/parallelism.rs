//! Parallelism: the workflow's `parallelism` (active pods), a steps/DAG template's
//! `parallelism` (active children of its boundary), template-level `failFast` that stops
//! scheduling once a child failed, and the engine's own cap on the pods one reconcile asks for
//! (`EngineConfig::max_pods_per_reconcile`, which requeues at once).
//!
//! Must not: create or fail leaf nodes (it only refuses to start new ones, and marks the
//! boundary failed for failFast as Argo does).

use argo_core::{NodePhase, NodeStatus, NodeType, Template, TemplateKind};

use crate::error::{Error, Result};
use crate::operation::Operation;

const FAIL_FAST_MESSAGE: &str = "template has failed or errored children and failFast enabled";

impl Operation<'_> {
    /// Pending or running pods, overall or under one boundary.
    pub(crate) fn count_active_pods(&self, boundary_id: Option<&str>) -> i64 {
        self.indexed(|index| &index.open)
            .into_iter()
            .filter(|n| n.node_type == NodeType::Pod)
            .filter(|n| boundary_id.is_none_or(|b| n.boundary_id == b))
            .filter(|n| matches!(n.phase, NodePhase::Pending | NodePhase::Running))
            .filter(|n| {
                n.synchronization_status
                    .as_ref()
                    .is_none_or(|s| s.waiting.is_empty())
            })
            .count() as i64
    }

    fn count_active_children(&self, boundary_id: &str) -> i64 {
        self.indexed(|index| &index.open)
            .into_iter()
            .filter(|n| n.boundary_id == boundary_id)
            .filter(|n| {
                matches!(
                    n.node_type,
                    NodeType::Pod
                        | NodeType::Steps
                        | NodeType::Dag
                        | NodeType::Retry
                        | NodeType::Suspend
                )
            })
            .filter(|n| n.node_flag.as_ref().is_none_or(|f| !f.retried))
            .filter(|n| matches!(n.phase, NodePhase::Pending | NodePhase::Running))
            .count() as i64
    }

    fn count_unsuccessful_children(&self, boundary_id: &str) -> i64 {
        self.indexed(|index| &index.failed)
            .into_iter()
            .filter(|n| n.boundary_id == boundary_id)
            .count() as i64
    }

    /// Refuses to start a node when a parallelism limit is reached (Argo's `checkParallelism`).
    pub(crate) fn check_parallelism(
        &mut self,
        template: &Template,
        node: Option<&NodeStatus>,
        boundary_id: &str,
    ) -> Result<()> {
        let new_pod = node.is_none() && template.kind().is_some_and(TemplateKind::is_pod);
        if let Some(limit) = self.spec.parallelism
            && new_pod
            && self.active_pods >= limit
        {
            return Err(Error::ParallelismReached);
        }
        if new_pod
            && self
                .config
                .max_pods_per_reconcile
                .is_some_and(|most| self.pods_requested >= most)
        {
            // Not a limit of the workflow's: the next reconcile, right away, goes on.
            self.requeue_after(jiff::SignedDuration::ZERO);
            return Err(Error::ParallelismReached);
        }
        let is_boundary = matches!(
            template.kind(),
            Some(TemplateKind::Steps | TemplateKind::Dag)
        );
        if let Some(node) = node
            && is_boundary
        {
            if template.fail_fast == Some(true) && self.count_unsuccessful_children(&node.id) > 0 {
                if self.count_active_pods(Some(&node.id)) == 0 {
                    self.mark_phase_by_id(
                        &node.id.clone(),
                        NodePhase::Failed,
                        Some(FAIL_FAST_MESSAGE),
                    );
                }
                return Err(Error::ParallelismReached);
            }
            if let Some(limit) = template.parallelism.filter(|p| *p > 0)
                && self.count_active_pods(Some(&node.id)) >= limit
            {
                return Err(Error::ParallelismReached);
            }
        }
        let starting =
            node.is_none_or(|n| !matches!(n.phase, NodePhase::Pending | NodePhase::Running));
        if !boundary_id.is_empty() && starting {
            let Some(boundary_template) = self.boundary_template(boundary_id) else {
                return Ok(());
            };
            if boundary_template.fail_fast == Some(true)
                && self.count_unsuccessful_children(boundary_id) > 0
            {
                if self.count_active_pods(Some(boundary_id)) == 0 {
                    self.mark_phase_by_id(boundary_id, NodePhase::Failed, Some(FAIL_FAST_MESSAGE));
                }
                return Err(Error::ParallelismReached);
            }
            if let Some(limit) = boundary_template.parallelism.filter(|p| *p > 0)
                && self.count_active_children(boundary_id) >= limit
            {
                return Err(Error::ParallelismReached);
            }
        }
        Ok(())
    }
}
