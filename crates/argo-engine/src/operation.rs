//! The state of one reconcile: the workflow being operated, the status being built, the
//! effects collected so far and the helpers every executor uses to create and update nodes.
//!
//! Invariant: nodes are only created through [`Operation::init_node`] (ids follow
//! `node_id`), and phases only change through [`Operation::mark_phase`], which delegates to
//! the single transition match in `phase`.
//! Must not: do I/O or read a clock (`now` is the reconcile's input).

use std::collections::{BTreeMap, BTreeSet};

use argo_core::k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use argo_core::{
    NodeFlag, NodePhase, NodeStatus, NodeType, TemplateRef, Workflow, WorkflowSpec, WorkflowStatus,
};
use argo_expr::{Options, Scope, Unresolved};
use jiff::{SignedDuration, Timestamp};

use crate::config::EngineConfig;
use crate::effect::Effect;
use crate::node_id;
use crate::observed::Observed;
use crate::phase;
use crate::shared_template::SharedTemplate;
use crate::status_index::{LiveIndex, StatusIndex};
use crate::template_resolution::TemplateScope;

/// Who calls a template: a step, a DAG task, the workflow itself, a hook or exit handler.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct TemplateCall {
    /// The step or task name ("" for the entrypoint and handlers).
    pub name: String,
    pub template: String,
    pub template_ref: Option<TemplateRef>,
    pub inline: Option<Box<argo_core::Template>>,
    pub caller: Caller,
}

/// The kind of holder calling a template.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum Caller {
    #[default]
    Workflow,
    Step,
    Task,
}

impl TemplateCall {
    /// A call of a template by name from the workflow level.
    pub fn named(template: &str) -> Self {
        TemplateCall {
            template: template.to_owned(),
            ..TemplateCall::default()
        }
    }
}

/// Options threaded through `execute_template`.
#[derive(Debug, Clone, Default)]
pub(crate) struct ExecuteOpts {
    pub boundary_id: String,
    pub on_exit_template: bool,
    pub node_flag: Option<NodeFlag>,
}

/// One reconcile in progress.
pub(crate) struct Operation<'a> {
    pub wf: &'a Workflow,
    pub name: String,
    /// The spec being executed (the workflow's own, borrowed, or the stored merged spec).
    pub spec: std::borrow::Cow<'a, WorkflowSpec>,
    pub status: WorkflowStatus,
    pub labels: BTreeMap<String, String>,
    pub observed: &'a Observed,
    pub now: Timestamp,
    pub config: &'a EngineConfig,
    pub effects: Vec<Effect>,
    pub requeue_after: Option<SignedDuration>,
    /// `workflow.*` variables and global outputs.
    pub globals: Scope,
    pub depth: usize,
    pub workflow_deadline: Option<Timestamp>,
    /// Pods that are pending or running (for workflow-level parallelism).
    pub active_pods: i64,
    /// Pods this reconcile asked for (for `EngineConfig::max_pods_per_reconcile`).
    pub pods_requested: usize,
    /// Templates resolved per boundary node during this reconcile.
    pub boundary_templates: BTreeMap<String, Option<ResolvedTemplate<'a>>>,
    /// Per boundary node: the step/task names whose `outputs.result` its template references
    /// (only computed for templates that mention `.outputs.result` at all).
    pub result_references: BTreeMap<String, std::rc::Rc<std::collections::HashSet<String>>>,
    /// Templates resolved during this reconcile (by scope and name, or reference), with
    /// whether they hold any tag.
    pub resolved_templates: std::collections::HashMap<String, ResolvedTemplate<'a>>,
    /// Templates borrowed from the spec as pods share them, by address (they live, unchanged,
    /// as long as the reconcile; built templates are not cached).
    pub pod_templates:
        std::collections::HashMap<*const argo_core::Template, crate::pod_request::PodTemplate>,
    /// The workflow's pod settings, taken on the first pod this reconcile asks for.
    pub pod_defaults: Option<std::sync::Arc<crate::pod_request::PodDefaults>>,
    /// Children of nodes with many children as sets (linking stays O(1)); built on first use.
    pub child_sets: std::collections::HashMap<String, std::collections::HashSet<String>>,
    /// Memoized nodes that had already succeeded before this reconcile (their outputs are
    /// not written to the cache again).
    pub memo_succeeded_before: std::collections::HashSet<String>,
    /// Facts about the workflow's own templates, carried between reconciles by the caller.
    pub spec_cache: crate::spec_cache::SpecCache,
    /// Which nodes are open, failed, memoized or waiting, following every change of this
    /// reconcile (see [`Operation::touch`]).
    pub index: std::cell::RefCell<LiveIndex>,
    /// What the last reconcile left, when the caller vouched for the status: the ids it
    /// changed and each DAG node's frontier.
    pub carried: Option<StatusMemo>,
    /// The frontiers this reconcile's DAG walks leave, by DAG node id.
    pub frontiers: std::collections::HashMap<String, crate::executor::Frontier>,
    /// Whether a node was removed (a frontier assumes nodes are only added).
    pub removed_nodes: bool,
    /// Whether plain DAGs may walk from their frontier (see `executor::dag::frontier`).
    pub frontier_walks: bool,
}

/// What a reconcile leaves for the next one beside the status it returns; trusted only on the
/// caller's word that the status comes back unchanged.
#[derive(Debug, Default)]
pub(crate) struct StatusMemo {
    pub index: StatusIndex,
    /// Ids of the nodes the reconcile changed, in order.
    pub changed: Vec<String>,
    /// Each running DAG node's frontier, by node id.
    pub frontiers: std::collections::HashMap<String, crate::executor::Frontier>,
}

/// Ids of the memoized nodes that succeeded (memoization status is only set when a node is
/// created, so a node succeeding later in the reconcile is not among them).
fn memo_succeeded(
    status: &WorkflowStatus,
    index: &StatusIndex,
) -> std::collections::HashSet<String> {
    index
        .memoized
        .iter()
        .filter_map(|id| status.nodes.get(id))
        .filter(|n| n.phase == NodePhase::Succeeded && n.is_fulfilled())
        .map(|n| n.id.clone())
        .collect()
}

/// Below this many children a linear scan is cheaper than a set.
const CHILD_SET_THRESHOLD: usize = 32;

/// A resolved template: its inner scope, the template (defaults merged), and what one walk
/// over it found (tags, `.outputs.result` references).
#[derive(Debug, Clone)]
pub(crate) struct ResolvedTemplate<'a> {
    pub scope: TemplateScope,
    pub template: SharedTemplate<'a>,
    pub marks: crate::tags::Marks,
}

impl<'a> Operation<'a> {
    /// An operation on `wf` whose current status is `status` (`wf.status` is not read);
    /// `carried` is what the reconcile that returned that status left, when the caller
    /// vouches for it (else the index is built here and DAGs walk from their targets).
    pub fn new(
        wf: &'a Workflow,
        status: WorkflowStatus,
        carried: Option<StatusMemo>,
        observed: &'a Observed,
        now: Timestamp,
        config: &'a EngineConfig,
    ) -> Self {
        let labels = wf.metadata.labels.clone().unwrap_or_default();
        let (index, carried) = match carried {
            Some(mut carried) => {
                debug_assert_eq!(
                    carried.index,
                    StatusIndex::of(&status),
                    "a carried status index must describe the status it comes with"
                );
                (std::mem::take(&mut carried.index), Some(carried))
            }
            None => (StatusIndex::of(&status), None),
        };
        Operation {
            wf,
            name: wf.name().to_owned(),
            spec: std::borrow::Cow::Borrowed(&wf.spec),
            memo_succeeded_before: memo_succeeded(&status, &index),
            index: std::cell::RefCell::new(LiveIndex::new(index)),
            carried,
            frontiers: std::collections::HashMap::new(),
            removed_nodes: false,
            frontier_walks: true,
            status,
            labels: labels.into_iter().collect(),
            observed,
            now,
            config,
            effects: Vec::new(),
            requeue_after: None,
            globals: Scope::new(),
            depth: 0,
            workflow_deadline: None,
            active_pods: 0,
            pods_requested: 0,
            boundary_templates: BTreeMap::new(),
            result_references: BTreeMap::new(),
            resolved_templates: std::collections::HashMap::new(),
            pod_templates: std::collections::HashMap::new(),
            pod_defaults: None,
            child_sets: std::collections::HashMap::new(),
            spec_cache: crate::spec_cache::SpecCache::new(),
        }
    }

    /// Substitution options at this reconcile's time.
    pub fn options(&self, unresolved: Unresolved) -> Options {
        Options::new(unresolved, self.now)
    }

    /// The current time as a Kubernetes `Time`.
    pub fn now_time(&self) -> Time {
        Time(self.now)
    }

    /// Asks to be called again after `after` (keeps the earliest request).
    pub fn requeue_after(&mut self, after: SignedDuration) {
        let after = after.max(SignedDuration::ZERO);
        self.requeue_after = Some(match self.requeue_after {
            Some(existing) => existing.min(after),
            None => after,
        });
    }

    /// Asks to be called again at `at`.
    pub fn requeue_at(&mut self, at: Timestamp) {
        self.requeue_after(at.duration_since(self.now));
    }

    /// The id of the node called `name`.
    pub fn node_id(&self, name: &str) -> String {
        node_id::node_id(&self.name, name)
    }

    /// The node called `name`.
    pub fn node(&self, name: &str) -> Option<&NodeStatus> {
        self.status.nodes.get(&self.node_id(name))
    }

    /// The node with this id.
    pub fn node_by_id(&self, id: &str) -> Option<&NodeStatus> {
        self.status.nodes.get(id)
    }

    /// The node with this id, mutably (noted as changed).
    pub fn node_by_id_mut(&mut self, id: &str) -> Option<&mut NodeStatus> {
        self.touch(id);
        self.status.nodes.get_mut(id)
    }

    /// Stores a node (new or replacing the one with its id).
    pub fn put_node(&mut self, node: NodeStatus) {
        self.touch(&node.id);
        self.status.nodes.insert(node.id.clone(), node);
    }

    /// Removes the node with this id.
    pub fn remove_node(&mut self, id: &str) -> Option<NodeStatus> {
        self.touch(id);
        self.removed_nodes = true;
        self.status.nodes.remove(id)
    }

    /// Notes that node `id` may have changed, so the index looks at it again before it is
    /// next read. Every change of a node's phase, flags, memoization or lock status, and
    /// every node added or removed, goes through here.
    pub fn touch(&self, id: &str) {
        self.index.borrow_mut().touch(id);
    }

    /// The nodes `pick` selects from the index, as they are now, in id order.
    pub fn indexed(&self, pick: fn(&StatusIndex) -> &BTreeSet<String>) -> Vec<&NodeStatus> {
        let mut live = self.index.borrow_mut();
        pick(live.current(&self.status))
            .iter()
            .filter_map(|id| self.status.nodes.get(id))
            .collect()
    }

    /// Ids of the nodes changed since the last reconcile's walks: all it changed (when
    /// carried) and all this one changed so far.
    pub fn changed_node_ids(&self) -> Vec<String> {
        let live = self.index.borrow();
        let before = self.carried.iter().flat_map(|c| c.changed.iter());
        before.chain(live.log()).cloned().collect()
    }

    /// The frontier the last reconcile left for the DAG node `id`, if carried.
    pub fn carried_frontier(&mut self, id: &str) -> Option<crate::executor::Frontier> {
        self.carried.as_mut()?.frontiers.remove(id)
    }

    /// What this reconcile leaves for the next (for the caller to carry with the status).
    pub fn take_memo(&mut self) -> StatusMemo {
        let live = std::mem::take(self.index.get_mut());
        let (index, changed) = live.into_current(&self.status);
        debug_assert_eq!(
            index,
            StatusIndex::of(&self.status),
            "every node change must be noted in the index"
        );
        let frontiers = if self.removed_nodes {
            Default::default()
        } else {
            std::mem::take(&mut self.frontiers)
        };
        StatusMemo {
            index,
            changed,
            frontiers,
        }
    }

    /// Creates a node (Argo's `initializeNode`); returns a copy of it.
    #[allow(clippy::too_many_arguments)]
    pub fn init_node(
        &mut self,
        name: &str,
        node_type: NodeType,
        template_scope: &str,
        call: &TemplateCall,
        boundary_id: &str,
        phase: NodePhase,
        node_flag: Option<NodeFlag>,
        message: Option<&str>,
    ) -> NodeStatus {
        let id = self.node_id(name);
        let mut node = NodeStatus::new(id, name, node_type.clone());
        node.template_name = if call.template_ref.is_some() {
            String::new()
        } else {
            call.template.clone()
        };
        node.template_ref = call.template_ref.clone();
        node.template_scope = template_scope.to_owned();
        node.boundary_id = boundary_id.to_owned();
        node.phase = phase;
        node.node_flag = node_flag.filter(|flag| *flag != NodeFlag::default());
        node.started_at = Some(self.now_time());
        if matches!(node_type, NodeType::Pod | NodeType::Container) {
            node.task_result_synced = Some(true);
        }
        let boundary_name = self.status.nodes.get(boundary_id).map(|b| b.name.as_str());
        node.display_name = node_id::display_name(name, boundary_name);
        if node.phase.is_fulfilled(None) {
            node.finished_at = node.started_at.clone();
        }
        if let Some(message) = message {
            node.message = message.to_owned();
        }
        self.put_node(node.clone());
        node
    }

    /// Sets a node's phase (and message), stamping `finishedAt` when it becomes fulfilled.
    pub fn mark_phase(
        &mut self,
        name: &str,
        phase: NodePhase,
        message: Option<&str>,
    ) -> Option<NodeStatus> {
        let id = self.node_id(name);
        self.mark_phase_by_id(&id, phase, message)
    }

    /// [`Operation::mark_phase`] by node id.
    pub fn mark_phase_by_id(
        &mut self,
        id: &str,
        new_phase: NodePhase,
        message: Option<&str>,
    ) -> Option<NodeStatus> {
        let now = self.now_time();
        self.touch(id);
        let node = self.status.nodes.get_mut(id)?;
        phase::transition(node, new_phase, message, now);
        Some(node.clone())
    }

    /// Marks a node Error with the error's message.
    pub fn mark_error(&mut self, name: &str, message: &str) -> Option<NodeStatus> {
        self.mark_phase(name, NodePhase::Error, Some(message))
    }

    /// Adds `child` to `parent`'s children (once).
    pub fn add_child(&mut self, parent: &str, child: &str) {
        let parent_id = self.node_id(parent);
        let child_id = self.node_id(child);
        self.add_child_by_id(&parent_id, child_id);
    }

    /// [`Operation::add_child`] by ids.
    pub fn add_child_by_id(&mut self, parent_id: &str, child_id: String) {
        let Some(parent) = self.status.nodes.get_mut(parent_id) else {
            return;
        };
        if parent.children.len() < CHILD_SET_THRESHOLD {
            if !parent.children.iter().rev().any(|c| *c == child_id) {
                parent.children.push(child_id);
            }
            return;
        }
        let set = self
            .child_sets
            .entry(parent_id.to_owned())
            .or_insert_with(|| parent.children.iter().cloned().collect());
        if set.insert(child_id.clone()) {
            parent.children.push(child_id);
        }
    }

    /// Appends a child known to be new (no duplicate check).
    pub fn push_child_by_id(&mut self, parent_id: &str, child_id: String) {
        if let Some(parent) = self.status.nodes.get_mut(parent_id) {
            if let Some(set) = self.child_sets.get_mut(parent_id) {
                set.insert(child_id.clone());
            }
            parent.children.push(child_id);
        }
    }

    /// Ids of the node's outbound nodes (Argo's `getOutboundNodes`), without template
    /// resolution: container-set pods are recognised by their Container children.
    pub fn outbound_nodes(&self, id: &str) -> Vec<String> {
        let mut out = Vec::new();
        self.collect_outbound(id, &mut out, 0);
        out
    }

    fn collect_outbound(&self, id: &str, out: &mut Vec<String>, depth: usize) {
        let Some(node) = self.status.nodes.get(id) else {
            return;
        };
        if depth > 4 * self.config.max_stack_depth {
            out.push(id.to_owned());
            return;
        }
        match node.node_type {
            NodeType::Skipped | NodeType::Suspend | NodeType::Http | NodeType::Plugin => {
                out.push(node.id.clone())
            }
            NodeType::Pod => {
                let container_children: Vec<&String> = node
                    .children
                    .iter()
                    .filter(|c| {
                        self.status
                            .nodes
                            .get(*c)
                            .is_some_and(|n| n.node_type == NodeType::Container)
                    })
                    .collect();
                if container_children.is_empty() {
                    out.push(node.id.clone());
                } else {
                    for child in container_children {
                        self.collect_outbound(child, out, depth + 1);
                    }
                }
            }
            NodeType::Container | NodeType::TaskGroup => {
                if node.children.is_empty() {
                    out.push(node.id.clone());
                    return;
                }
                for child in &node.children {
                    let different_boundary = self
                        .status
                        .nodes
                        .get(child)
                        .is_some_and(|c| c.boundary_id != node.boundary_id);
                    if node.node_type == NodeType::Container && different_boundary {
                        out.push(node.id.clone());
                    } else {
                        self.collect_outbound(child, out, depth + 1);
                    }
                }
            }
            NodeType::Retry => {
                if let Some(last) = node.children.last() {
                    out.push(last.clone());
                } else {
                    self.collect_outbound_of_list(&node.outbound_nodes, out, depth);
                }
            }
            NodeType::Steps | NodeType::Dag
                if node.memoization_status.as_ref().is_some_and(|m| m.hit) =>
            {
                out.push(node.id.clone())
            }
            _ => self.collect_outbound_of_list(&node.outbound_nodes, out, depth),
        }
    }

    fn collect_outbound_of_list(&self, ids: &[String], out: &mut Vec<String>, depth: usize) {
        for id in ids {
            self.collect_outbound(id, out, depth + 1);
        }
    }

    /// Children of a retry node that are real attempts (not hooks), and the last one.
    pub fn retry_attempts(&self, node: &NodeStatus) -> Vec<String> {
        node.children
            .iter()
            .filter(|c| {
                self.status
                    .nodes
                    .get(*c)
                    .is_some_and(|n| !n.node_flag.as_ref().is_some_and(|f| f.hooked))
            })
            .cloned()
            .collect()
    }

    /// The last attempt of a retry node, if the node is one.
    pub fn last_retry_attempt(&self, node: &NodeStatus) -> Option<&NodeStatus> {
        if node.node_type != NodeType::Retry {
            return None;
        }
        let attempts = self.retry_attempts(node);
        attempts.last().and_then(|id| self.status.nodes.get(id))
    }

    /// True when the node and all its descendants in the same tree are fulfilled.
    pub fn children_fulfilled(&self, node: &NodeStatus) -> bool {
        self.children_fulfilled_within(node, &std::collections::HashSet::new())
    }

    /// [`Operation::children_fulfilled`], not descending into the nodes of `beyond` (a steps
    /// node's other groups: each group is linked under the steps of the one before it, so
    /// without this bound a group's walk would run down the rest of the chain, for every
    /// earlier group on every pass).
    pub fn children_fulfilled_within(
        &self,
        node: &NodeStatus,
        beyond: &std::collections::HashSet<String>,
    ) -> bool {
        let mut stack: Vec<&str> = node.children.iter().map(String::as_str).collect();
        let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
        while let Some(id) = stack.pop() {
            if beyond.contains(id) || !seen.insert(id) {
                continue;
            }
            let Some(child) = self.status.nodes.get(id) else {
                return false;
            };
            if !child.is_fulfilled() {
                return false;
            }
            stack.extend(child.children.iter().map(String::as_str));
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    /// A steps node with two groups: group 0's one step has finished, and group 1 (linked under
    /// that step, as the engine links each group under the steps of the one before) is running.
    fn two_groups() -> WorkflowStatus {
        let node = |id: &str, kind: &str, phase: &str, children: &[&str]| {
            serde_json::json!({
                "id": id, "name": id, "type": kind, "phase": phase, "children": children
            })
        };
        serde_json::from_value(serde_json::json!({
            "nodes": {
                "steps": node("steps", "Steps", "Running", &["group-0"]),
                "group-0": node("group-0", "StepGroup", "Succeeded", &["step-a"]),
                "step-a": node("step-a", "Pod", "Succeeded", &["group-1"]),
                "group-1": node("group-1", "StepGroup", "Running", &["step-b"]),
                "step-b": node("step-b", "Pod", "Running", &[]),
            }
        }))
        .expect("a valid status")
    }

    #[test]
    fn a_step_group_is_fulfilled_within_its_steps_node_though_a_later_group_runs() {
        let workflow = Workflow::default();
        let observed = Observed::default();
        let config = EngineConfig::default();
        let status = two_groups();
        let operation = Operation::new(
            &workflow,
            status,
            None,
            &observed,
            Timestamp::UNIX_EPOCH,
            &config,
        );
        let group = |id: &str| operation.status.nodes.get(id).expect("the group exists");
        let groups: HashSet<String> = ["group-0", "group-1"].map(String::from).into();
        // Walking on past its own steps, group 0 reaches the running group 1 (so a pass would
        // execute group 0 again); bounded by the other groups, it is done.
        assert!(!operation.children_fulfilled(group("group-0")));
        assert!(operation.children_fulfilled_within(group("group-0"), &groups));
        assert!(!operation.children_fulfilled_within(group("group-1"), &groups));
    }
}
