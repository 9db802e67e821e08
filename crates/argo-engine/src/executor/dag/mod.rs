//! DAG templates: tasks run when their `depends` (or `dependencies`) hold, are Omitted when
//! they can no longer hold, loop through TaskGroup nodes, see `tasks.<name>.*` of their
//! ancestors; the DAG's phase follows its target tasks (failFast by default).
//!
//! Invariant: each task is evaluated at most once per reconcile (`visited`), and fulfilled
//! tasks are skipped after one lookup.
//! Layout: this module (context, DAG phase, outbound nodes), `task` (one task per call),
//! `dependencies` (`depends` via `argo_expr::depends`, the task scope, exit hooks).
//! Must not: assess pods.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;

use argo_core::{DagTask, NodePhase, NodeStatus, NodeType, Template};
use argo_expr::Scope;
use argo_expr::depends::Depends;

use super::steps::continues;
use crate::error::{Error, Result};
use crate::operation::{Caller, ExecuteOpts, Operation, TemplateCall};
use crate::template_resolution::TemplateScope;

mod dependencies;
mod facts;
mod frontier;
mod task;

pub(crate) use facts::DagFacts;
pub(crate) use frontier::Frontier;

/// Scratch maps of one reconcile keyed by node ids: fixed-seed foldhash (SipHash was a
/// measurable share of a 10,000-task run; the maps live for one call and nothing depends on
/// their order).
type TaskMap<K, V> = HashMap<K, V, foldhash::fast::FixedState>;

struct DagContext<'t> {
    boundary_name: String,
    boundary_id: String,
    /// The template's tasks, borrowed (a reconcile never copies the task list).
    tasks: &'t [DagTask],
    /// Index, dependencies and tags of the tasks: from the caller's cache when the spec is
    /// unchanged, else derived in this reconcile.
    facts: Arc<DagFacts>,
    template_scope: TemplateScope,
    /// `template_scope` rendered for node records, once per reconcile.
    scope_text: String,
    on_exit: bool,
    /// Tasks evaluated in this reconcile, by position.
    visited: Vec<bool>,
    /// Positions of the tasks evaluated in this reconcile, in order.
    visited_order: Vec<usize>,
    /// Whether the walk starts from the frontier (a task's dependencies are not visited
    /// first: the walk reaches each in order itself).
    from_frontier: bool,
    groups_to_complete: Vec<(String, NodePhase)>,
    /// Ids of the task nodes this reconcile visited while they were unfinished or not yet
    /// created (the DAG's frontier).
    open: Vec<String>,
    /// Outbound nodes of fulfilled dependencies, by node id (see `connect_task`).
    outbound: std::cell::RefCell<TaskMap<String, Vec<String>>>,
}

impl<'t> DagContext<'t> {
    fn task(&self, name: &str) -> Option<&'t DagTask> {
        let tasks = self.tasks;
        self.facts.position(tasks, name).map(|i| &tasks[i])
    }

    fn task_node_name(&self, task: &str) -> String {
        let mut name = String::with_capacity(self.boundary_name.len() + 1 + task.len());
        name.push_str(&self.boundary_name);
        name.push('.');
        name.push_str(task);
        name
    }

    /// A task's dependency names and expanded depends logic, or why they cannot be had.
    fn resolve(&self, name: &str) -> Result<(Arc<[String]>, Arc<Depends>)> {
        let Some(at) = self.facts.position(self.tasks, name) else {
            return Err(Error::msg(format!("task {name} not found")));
        };
        self.facts
            .resolution(self.tasks, at)
            .clone()
            .map_err(Error::msg)
    }

    /// A task's dependency names (none when they cannot be resolved).
    fn dependencies(&self, name: &str) -> Arc<[String]> {
        self.resolve(name)
            .map_or_else(|_| Arc::from([]), |(names, _)| names)
    }
}

impl Operation<'_> {
    pub(super) fn execute_dag(
        &mut self,
        node_name: &str,
        inner_scope: &TemplateScope,
        template_scope: &str,
        template: &Template,
        call: &TemplateCall,
        opts: &ExecuteOpts,
    ) -> Result<()> {
        let existing = self.node(node_name).cloned();
        let is_new = existing.is_none();
        let node = match existing {
            Some(node) => node,
            None => self.init_executable_node(
                node_name,
                NodeType::Dag,
                template_scope,
                template,
                call,
                opts,
                NodePhase::Running,
            ),
        };
        let no_dag = argo_core::DagTemplate::default();
        let dag = template.dag.as_ref().unwrap_or(&no_dag);
        let facts = self.dag_facts(template, dag);
        let mut ctx = DagContext {
            boundary_name: node_name.to_owned(),
            boundary_id: node.id.clone(),
            tasks: &dag.tasks,
            facts,
            scope_text: inner_scope.render(&self.name),
            template_scope: inner_scope.clone(),
            on_exit: opts.on_exit_template,
            visited: vec![false; dag.tasks.len()],
            visited_order: Vec::new(),
            from_frontier: false,
            groups_to_complete: Vec::new(),
            open: Vec::new(),
            outbound: std::cell::RefCell::new(TaskMap::default()),
        };
        let facts = ctx.facts.clone();
        let targets: std::borrow::Cow<'_, [String]> = if dag.target.is_empty() {
            std::borrow::Cow::Borrowed(facts.leaves(ctx.tasks))
        } else {
            dag.target
                .split(' ')
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect()
        };
        // Daemoned tasks are looked at first; only tasks whose template may be a daemon need
        // a node lookup. Which tasks those are is a fact of the spec, found once per spec
        // (templates resolved once per name; consecutive tasks mostly call the same template,
        // so the last answer is reused without hashing the name).
        let template_scope = ctx.template_scope.clone();
        let mut daemon_templates: HashMap<String, bool> = HashMap::new();
        let mut last: Option<(String, bool)> = None;
        let candidates = facts.daemon_candidates(ctx.tasks, |task| {
            if task.template_ref.is_some() || task.inline.is_some() {
                return true;
            }
            if let Some((_, answer)) = last.as_ref().filter(|(name, _)| *name == task.template) {
                return *answer;
            }
            let answer = *daemon_templates
                .entry(task.template.clone())
                .or_insert_with(|| {
                    self.resolve_template(&template_scope, &TemplateCall::named(&task.template))
                        .map_or(true, |(_, t)| t.is_daemon())
                });
            last = Some((task.template.clone(), answer));
            answer
        });
        for &at in candidates {
            let task = &ctx.tasks[at];
            if self
                .node(&ctx.task_node_name(&task.name))
                .is_some_and(NodeStatus::is_daemoned)
            {
                self.execute_dag_task(&mut ctx, &task.name);
            }
        }
        // A plain DAG of the workflow's own templates can walk from the frontier its last
        // reconcile left (see `frontier`), else the walk starts from the targets.
        // A new DAG node has no task nodes yet: its frontier is the tasks without
        // dependencies.
        let order =
            (self.frontier_walks && dag.target.is_empty() && self.is_own_template(template))
                .then(|| facts.walk_order(ctx.tasks))
                .flatten();
        let left = match order {
            Some(order) if is_new => Some(Frontier::roots(&facts, order)),
            Some(_) => self
                .carried_frontier(&ctx.boundary_id)
                .filter(|f| f.fits(&facts)),
            None => None,
        };
        let mut exit_handlers_done = true;
        if let (Some(order), Some(left)) = (order, &left) {
            // No task has an exit handler here.
            ctx.from_frontier = true;
            self.walk_from_frontier(&mut ctx, order, left);
            ctx.from_frontier = false;
        } else {
            for target in targets.iter() {
                self.execute_dag_task(&mut ctx, target);
                if let Some(task_node) = self.node(&ctx.task_node_name(target))
                    && task_node.phase.is_completed()
                    && let Some(exit_node) =
                        self.node(&crate::node_id::on_exit_node_name(&task_node.name))
                    && !exit_node.is_fulfilled()
                {
                    exit_handlers_done = false;
                }
            }
        }
        let shutdown = self.spec.shutdown.is_some() && exit_handlers_done && !ctx.on_exit;
        let fail_fast = dag.fail_fast != Some(false);
        let phase = self.assess_dag_phase(&mut ctx, &targets, shutdown, fail_fast);
        for (name, group_phase) in std::mem::take(&mut ctx.groups_to_complete) {
            self.mark_phase(&name, group_phase, None);
        }
        if let Some(order) = order
            && phase == NodePhase::Running
        {
            let frontier = self.frontier_after(&ctx, order, &ctx.visited_order);
            self.frontiers.insert(ctx.boundary_id.clone(), frontier);
        }
        match phase {
            NodePhase::Running => return Ok(()),
            NodePhase::Failed | NodePhase::Error => {
                self.update_dag_outbound_nodes(&ctx, &targets, node_name);
                self.mark_phase(node_name, phase, None);
                return Ok(());
            }
            _ => {}
        }
        // The tasks' scope is read only by the template's declared outputs; without them
        // only the global outputs are collected (a 10,000-task DAG would otherwise bind
        // six names per task for nothing).
        let declared = &template.outputs;
        let wants_scope = !declared.parameters.is_empty()
            || !declared.artifacts.is_empty()
            || declared.result.is_some();
        let mut scope = Scope::new();
        for task in ctx.tasks {
            if !wants_scope {
                let globals = self
                    .node(&ctx.task_node_name(&task.name))
                    .and_then(|n| n.outputs.as_ref())
                    .filter(|o| has_global_names(o))
                    .cloned();
                self.add_outputs_to_global_scope(globals.as_ref());
                continue;
            }
            let Some(task_node) = self.node(&ctx.task_node_name(&task.name)).cloned() else {
                continue;
            };
            if task_node.node_type == NodeType::TaskGroup {
                let children: Vec<NodeStatus> = task_node
                    .children
                    .iter()
                    .filter_map(|id| self.node_by_id(id).cloned())
                    .collect();
                let refs: Vec<&NodeStatus> = children.iter().collect();
                self.add_aggregate_to_scope(&mut scope, "tasks", &task.name, &refs);
            }
            self.add_node_to_scope(&mut scope, "tasks", &task.name, &task_node);
            self.add_outputs_to_global_scope(task_node.outputs.as_ref());
        }
        let local = self.merged_scope(&scope);
        if let Some(outputs) = self.template_outputs_from_scope(template, &local)? {
            let id = self.node_id(node_name);
            if let Some(node) = self.node_by_id_mut(&id) {
                node.outputs = Some(outputs);
            }
        }
        self.update_dag_outbound_nodes(&ctx, &targets, node_name);
        self.mark_phase(node_name, NodePhase::Succeeded, None);
        Ok(())
    }

    /// The facts of a DAG template's tasks: from the spec cache when the template is one of the
    /// workflow's own, used as written (and then added to it), else derived here.
    fn dag_facts(&mut self, template: &Template, dag: &argo_core::DagTemplate) -> Arc<DagFacts> {
        let own = self.is_own_template(template);
        if own
            && let Some(found) = self.spec_cache.dags.get(&template.name)
            && found.task_count == dag.tasks.len()
        {
            return found.clone();
        }
        let facts = Arc::new(DagFacts::new(&dag.tasks));
        if own {
            self.spec_cache
                .dags
                .insert(template.name.clone(), facts.clone());
        }
        facts
    }

    fn update_dag_outbound_nodes(&mut self, ctx: &DagContext, targets: &[String], node_name: &str) {
        let mut outbound = Vec::new();
        for target in targets {
            if let Some(task_node) = self.node(&ctx.task_node_name(target)) {
                let id = task_node.id.clone();
                outbound.extend(self.outbound_nodes(&id));
            }
        }
        let id = self.node_id(node_name);
        if let Some(node) = self.node_by_id_mut(&id) {
            node.outbound_nodes = outbound;
        }
    }

    /// Argo's `assessDAGPhase`: walk from the DAG's children; Running while any reachable node
    /// is unfinished; otherwise the target tasks' branch phases decide.
    fn assess_dag_phase(
        &self,
        ctx: &mut DagContext,
        targets: &[String],
        shutdown: bool,
        fail_fast: bool,
    ) -> NodePhase {
        if shutdown {
            return NodePhase::Failed;
        }
        // Shortcut for the walk below: every task node hangs below the DAG's children, so an
        // unfinished one makes the walk answer Running. Only taken when no task loops (the
        // walk also completes finished TaskGroups on its way), and it looks at the frontier
        // only: a reconcile costs what changed, not the whole graph.
        if !ctx.facts.loops
            && ctx
                .open
                .iter()
                .any(|id| self.node_by_id(id).is_some_and(|n| !n.is_fulfilled()))
        {
            return NodePhase::Running;
        }
        let mut target_phases: HashMap<String, Option<NodePhase>> = targets
            .iter()
            .map(|t| (self.node_id(&ctx.task_node_name(t)), None))
            .collect();
        let Some(boundary) = self.node_by_id(&ctx.boundary_id) else {
            return NodePhase::Running;
        };
        let mut queue: VecDeque<(&str, NodePhase)> = VecDeque::new();
        let mut seen: HashSet<&str> = HashSet::new();
        for child in &boundary.children {
            if seen.insert(child) {
                queue.push_back((child, NodePhase::Succeeded));
            }
        }
        while let Some((id, incoming)) = queue.pop_front() {
            let Some(node) = self.node_by_id(id) else {
                return NodePhase::Running;
            };
            let mut branch = incoming;
            if !node.is_fulfilled() {
                let Some(group_phase) = self.completable_task_group_phase(node) else {
                    return NodePhase::Running;
                };
                ctx.groups_to_complete
                    .push((node.name.clone(), group_phase.clone()));
                branch = group_phase;
            } else if node.phase.is_completed() {
                branch = node.phase.clone();
            }
            if let Some(previous) = target_phases.get_mut(&node.id)
                && !previous.as_ref().is_some_and(NodePhase::is_failed_or_error)
            {
                *previous = Some(branch.clone());
            }
            let retry = node.node_type == NodeType::Retry;
            for child in &node.children {
                // A retry node's branch goes on through its attempts, not its hooks.
                let attempt = self
                    .node_by_id(child)
                    .is_some_and(|n| !n.node_flag.as_ref().is_some_and(|f| f.hooked));
                if retry && !attempt {
                    continue;
                }
                if seen.insert(child) {
                    queue.push_back((child, branch.clone()));
                }
            }
        }
        let mut result = NodePhase::Succeeded;
        for target in targets {
            let id = self.node_id(&ctx.task_node_name(target));
            match target_phases.get(&id).cloned().flatten() {
                None => {
                    result = NodePhase::Running;
                    if !fail_fast {
                        break;
                    }
                }
                Some(phase) if phase.is_failed_or_error() => {
                    if ctx
                        .task(target)
                        .is_some_and(|t| continues(t.continue_on.as_ref(), &phase))
                    {
                        continue;
                    }
                    result = phase;
                    if fail_fast {
                        break;
                    }
                }
                Some(_) => {}
            }
        }
        result
    }

    fn completable_task_group_phase(&self, node: &NodeStatus) -> Option<NodePhase> {
        if node.node_type != NodeType::TaskGroup || node.children.is_empty() {
            return None;
        }
        let mut phase = NodePhase::Succeeded;
        for child in &node.children {
            let child = self.node_by_id(child)?;
            if !child.is_fulfilled() {
                return None;
            }
            if child.is_failed_or_error() {
                phase = child.phase.clone();
            }
        }
        Some(phase)
    }
}

/// The template call a task makes.
pub(crate) fn task_call(task: &DagTask) -> TemplateCall {
    TemplateCall {
        name: task.name.clone(),
        template: task.template.clone(),
        template_ref: task.template_ref.clone(),
        inline: task.inline.clone(),
        caller: Caller::Task,
    }
}

/// Whether any output parameter or artifact is also a global output.
fn has_global_names(outputs: &argo_core::Outputs) -> bool {
    outputs.parameters.iter().any(|p| !p.global_name.is_empty())
        || outputs.artifacts.iter().any(|a| !a.global_name.is_empty())
}
