//! The DAG walk from the frontier: what Argo's walk from the targets does, without walking
//! the tasks that cannot change.
//!
//! The walk from the targets visits every task not yet created on the way down to the nodes
//! that exist, on every reconcile, so a long chain of waiting tasks costs its length each
//! time. When the caller carries what the last reconcile left ([`Frontier`], trusted with the
//! status index) and the DAG is a plain one (no hooks, exit handlers or loops, default targets:
//! [`WalkOrder`]), only these tasks are visited, in the order the walk from the targets would
//! reach them:
//! - the DAG's open task nodes (the walk re-executes them),
//! - tasks that were ready but got no node last time (parallelism, a requeue),
//! - dependents of task nodes changed since the last walk, and of nodes fulfilled during this
//!   walk (a Skipped or Omitted task, a cache hit).
//!
//! A DAG node created in this reconcile has no task nodes yet, so its frontier is its tasks
//! without dependencies ([`Frontier::roots`]) and needs nothing carried.
//!
//! A task with no node whose dependencies are not all fulfilled does nothing when the walk
//! from the targets visits it, so leaving it out changes nothing; debug builds check every
//! cached reconcile against an uncached one, which always walks from the targets.
//! Must not: decide a task's outcome (`task` does) or use a carried frontier without the
//! caller's word for the status.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashSet};
use std::sync::Arc;

use super::facts::WalkOrder;
use super::{DagContext, DagFacts};
use crate::operation::Operation;

/// What one reconcile's walk of a DAG node leaves for the next: the tasks whose dependencies
/// were all fulfilled but which got no node.
#[derive(Debug, Clone)]
pub(crate) struct Frontier {
    /// The facts the positions refer to (a new spec makes the frontier useless).
    facts: Arc<DagFacts>,
    ready: Vec<usize>,
}

impl Frontier {
    /// The frontier of a DAG node with no task nodes yet: the tasks without dependencies.
    pub fn roots(facts: &Arc<DagFacts>, order: &WalkOrder) -> Self {
        let ready = (0..order.dependencies.len())
            .filter(|&at| order.dependencies[at].is_empty())
            .collect();
        Frontier {
            facts: facts.clone(),
            ready,
        }
    }

    /// Whether the frontier was left by a walk over these facts.
    pub fn fits(&self, facts: &Arc<DagFacts>) -> bool {
        Arc::ptr_eq(&self.facts, facts)
    }
}

impl Operation<'_> {
    /// Visits the DAG's open task nodes, the tasks left ready and the dependents of changed
    /// task nodes, in walk order.
    pub(super) fn walk_from_frontier(
        &mut self,
        ctx: &mut DagContext,
        order: &WalkOrder,
        left: &Frontier,
    ) {
        let mut queue = BinaryHeap::new();
        let mut queued = HashSet::new();
        let mut push = |queue: &mut BinaryHeap<Reverse<(u32, usize)>>, step: u32, at: usize| {
            if queued.insert(at) {
                queue.push(Reverse((step, at)));
            }
        };
        for at in self.open_task_positions(ctx) {
            push(&mut queue, order.enter[at], at);
        }
        for &at in &left.ready {
            push(&mut queue, order.leave[at], at);
        }
        for at in self.changed_task_positions(ctx) {
            for &dependent in &order.dependents[at] {
                push(&mut queue, order.leave[dependent], dependent);
            }
        }
        while let Some(Reverse((_, at))) = queue.pop() {
            let name = &ctx.tasks[at].name;
            self.execute_dag_task(ctx, name);
            if self
                .node(&ctx.task_node_name(name))
                .is_some_and(|n| n.is_fulfilled())
            {
                for &dependent in &order.dependents[at] {
                    push(&mut queue, order.leave[dependent], dependent);
                }
            }
        }
    }

    /// The frontier after a walk that visited `visited`: those still without a node whose
    /// dependencies are all fulfilled.
    pub(super) fn frontier_after(
        &self,
        ctx: &DagContext,
        order: &WalkOrder,
        visited: &[usize],
    ) -> Frontier {
        let ready = visited
            .iter()
            .copied()
            .filter(|&at| {
                self.node(&ctx.task_node_name(&ctx.tasks[at].name))
                    .is_none()
                    && order.dependencies[at].iter().all(|&dep| {
                        self.node(&ctx.task_node_name(&ctx.tasks[dep].name))
                            .is_some_and(|n| n.is_fulfilled())
                    })
            })
            .collect();
        Frontier {
            facts: ctx.facts.clone(),
            ready,
        }
    }

    /// Positions of the tasks of this DAG whose nodes are open.
    fn open_task_positions(&self, ctx: &DagContext) -> Vec<usize> {
        self.indexed(|index| &index.open)
            .into_iter()
            .filter_map(|node| self.task_position(ctx, node))
            .collect()
    }

    /// Positions of the tasks of this DAG whose nodes changed since the last walk (in the
    /// last reconcile, or in this one so far) and are fulfilled now.
    fn changed_task_positions(&self, ctx: &DagContext) -> Vec<usize> {
        let changed = self.changed_node_ids();
        changed
            .iter()
            .filter_map(|id| self.node_by_id(id))
            .filter(|node| node.is_fulfilled())
            .filter_map(|node| self.task_position(ctx, node))
            .collect()
    }

    /// The position of the task whose node `node` is, if it is one of this DAG's.
    fn task_position(&self, ctx: &DagContext, node: &argo_core::NodeStatus) -> Option<usize> {
        if node.boundary_id != ctx.boundary_id {
            return None;
        }
        let task = node
            .name
            .strip_prefix(ctx.boundary_name.as_str())?
            .strip_prefix('.')?;
        ctx.facts.position(ctx.tasks, task)
    }
}
