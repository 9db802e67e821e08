//! DAG templates: tasks run when their `depends` (or `dependencies`) hold, are Omitted when
//! they can no longer hold, loop through TaskGroup nodes, see `tasks.<name>.*` of their
//! ancestors; the DAG's phase follows its target tasks (failFast by default).
//!
//! Invariant: each task is evaluated at most once per reconcile (`visited`), and fulfilled
//! tasks are skipped after one lookup.
//! Must not: assess pods.

use std::collections::{HashMap, HashSet, VecDeque};

use argo_core::{DagTask, NodePhase, NodeStatus, NodeType, Template};
use argo_expr::Scope;

use super::steps::continues;
use crate::depends::{self, TaskResults};
use crate::error::{Error, Result};
use crate::exit_handler::exit_hook;
use crate::loops::{item_node_name, loop_items, substitute_item};
use crate::operation::{Caller, ExecuteOpts, Operation, TemplateCall};
use crate::template_resolution::TemplateScope;
use crate::when::should_execute;

struct DagContext {
    boundary_name: String,
    boundary_id: String,
    tasks: Vec<DagTask>,
    index: HashMap<String, usize>,
    template_scope: TemplateScope,
    on_exit: bool,
    visited: HashSet<String>,
    dependencies: HashMap<String, Vec<String>>,
    logic: HashMap<String, String>,
    groups_to_complete: Vec<(String, NodePhase)>,
}

impl DagContext {
    fn task(&self, name: &str) -> Option<&DagTask> {
        self.index.get(name).map(|i| &self.tasks[*i])
    }

    fn task_node_name(&self, task: &str) -> String {
        format!("{}.{task}", self.boundary_name)
    }

    /// Resolves (and caches) a task's dependency names and expanded depends logic.
    fn resolve(&mut self, name: &str) -> Result<()> {
        if self.logic.contains_key(name) {
            return Ok(());
        }
        let task = self
            .task(name)
            .cloned()
            .ok_or_else(|| Error::msg(format!("task {name} not found")))?;
        let expand = |dep: &str| {
            let continue_on = self
                .task(dep)
                .and_then(|t| t.continue_on.clone())
                .unwrap_or_default();
            depends::expand_dependency(dep, continue_on.error, continue_on.failed)
        };
        let logic = if !task.depends.is_empty() {
            depends::expand_bare_names(&task.depends, expand)?
        } else {
            task.dependencies
                .iter()
                .map(|d| expand(d))
                .collect::<Vec<_>>()
                .join(" && ")
        };
        let names = if !task.depends.is_empty() {
            depends::task_names(&task.depends)?
        } else {
            task.dependencies.clone()
        };
        self.dependencies.insert(name.to_owned(), names);
        self.logic.insert(name.to_owned(), logic);
        Ok(())
    }

    fn dependencies(&mut self, name: &str) -> Vec<String> {
        if self.resolve(name).is_err() {
            return Vec::new();
        }
        self.dependencies.get(name).cloned().unwrap_or_default()
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
        let node = match self.node(node_name).cloned() {
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
        let dag = template.dag.clone().unwrap_or_default();
        let index = dag
            .tasks
            .iter()
            .enumerate()
            .map(|(i, t)| (t.name.clone(), i))
            .collect();
        let mut ctx = DagContext {
            boundary_name: node_name.to_owned(),
            boundary_id: node.id.clone(),
            tasks: dag.tasks.clone(),
            index,
            template_scope: inner_scope.clone(),
            on_exit: opts.on_exit_template,
            visited: HashSet::new(),
            dependencies: HashMap::new(),
            logic: HashMap::new(),
            groups_to_complete: Vec::new(),
        };
        let targets: Vec<String> = if dag.target.is_empty() {
            leaf_tasks(&mut ctx)
        } else {
            dag.target
                .split(' ')
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect()
        };
        for task in ctx.tasks.clone() {
            let task_node = self.node(&ctx.task_node_name(&task.name)).cloned();
            if task_node.is_some_and(|n| n.is_daemoned()) {
                self.execute_dag_task(&mut ctx, &task.name);
            }
        }
        let mut exit_handlers_done = true;
        for target in &targets {
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
        let shutdown = self.spec.shutdown.is_some() && exit_handlers_done && !ctx.on_exit;
        let fail_fast = dag.fail_fast != Some(false);
        let phase = self.assess_dag_phase(&mut ctx, &targets, shutdown, fail_fast);
        for (name, group_phase) in std::mem::take(&mut ctx.groups_to_complete) {
            self.mark_phase(&name, group_phase, None);
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
        let mut scope = Scope::new();
        for task in &ctx.tasks {
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
        let mut target_phases: HashMap<String, Option<NodePhase>> = targets
            .iter()
            .map(|t| (self.node_id(&ctx.task_node_name(t)), None))
            .collect();
        let Some(boundary) = self.node_by_id(&ctx.boundary_id) else {
            return NodePhase::Running;
        };
        let mut queue: VecDeque<(String, NodePhase)> = VecDeque::new();
        let mut seen: HashSet<String> = HashSet::new();
        for child in &boundary.children {
            if seen.insert(child.clone()) {
                queue.push_back((child.clone(), NodePhase::Succeeded));
            }
        }
        while let Some((id, incoming)) = queue.pop_front() {
            let Some(node) = self.node_by_id(&id) else {
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
            let next: Vec<String> = if node.node_type == NodeType::Retry {
                self.retry_attempts(node)
            } else {
                node.children.clone()
            };
            for child in next {
                if seen.insert(child.clone()) {
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

    fn execute_dag_task(&mut self, ctx: &mut DagContext, task_name: &str) {
        if !ctx.visited.insert(task_name.to_owned()) {
            return;
        }
        let Some(task) = ctx.task(task_name).cloned() else {
            return;
        };
        let node_name = ctx.task_node_name(task_name);
        let node = self.node(&node_name).cloned();
        if let Some(node) = &node
            && node.is_fulfilled()
        {
            if node.phase.is_completed() {
                self.run_task_exit_handler(ctx, &task, node);
            }
            return;
        }
        let scope_text = ctx.template_scope.render(&self.name);
        let dependencies = ctx.dependencies(task_name);
        let group_node = node.clone().filter(|n| n.node_type == NodeType::TaskGroup);
        if let Err(err) = ctx.resolve(task_name) {
            self.init_task_error(
                ctx,
                &task,
                &node_name,
                &scope_text,
                &dependencies,
                group_node.as_ref(),
                &err.to_string(),
            );
            return;
        }
        let logic = ctx.logic.get(task_name).cloned().unwrap_or_default();
        if !logic.is_empty() && node.is_none() {
            for dep in &dependencies {
                self.execute_dag_task(ctx, dep);
            }
            match self.evaluate_depends(ctx, &dependencies, &logic) {
                Err(err) => {
                    self.init_task_error(
                        ctx,
                        &task,
                        &node_name,
                        &scope_text,
                        &dependencies,
                        group_node.as_ref(),
                        &err.to_string(),
                    );
                    return;
                }
                Ok(None) => return,
                Ok(Some(false)) => {
                    let call = task_call(&task);
                    self.init_node(
                        &node_name,
                        NodeType::Skipped,
                        &scope_text,
                        &call,
                        &ctx.boundary_id,
                        NodePhase::Omitted,
                        None,
                        Some("omitted: depends condition not met"),
                    );
                    self.connect_task(ctx, &node_name, &dependencies, None, true);
                    return;
                }
                Ok(Some(true)) => {}
            }
        }
        let task_has_tags = serde_json::to_value(&task).is_ok_and(|v| crate::inputs::has_tags(&v));
        let scope = if task_has_tags {
            let local = self.task_scope(ctx, task_name);
            self.merged_scope(&local)
        } else {
            Scope::new()
        };
        let resolved = match self.resolve_task(&task, &scope) {
            Ok(t) => t,
            Err(Error::Requeue) => {
                self.requeue_after(jiff::SignedDuration::ZERO);
                return;
            }
            Err(err) => {
                self.init_task_error(
                    ctx,
                    &task,
                    &node_name,
                    &scope_text,
                    &dependencies,
                    group_node.as_ref(),
                    &err.to_string(),
                );
                return;
            }
        };
        let items = match loop_items(
            &resolved.with_items,
            &resolved.with_param,
            resolved.with_sequence.as_ref(),
            &resolved.when,
        ) {
            Ok(items) => items,
            Err(err) => {
                self.init_task_error(
                    ctx,
                    &task,
                    &node_name,
                    &scope_text,
                    &dependencies,
                    group_node.as_ref(),
                    &err.to_string(),
                );
                return;
            }
        };
        let mut group_node = group_node;
        let expanded: Vec<(String, Option<DagTask>)> = match &items {
            None => vec![(task_name.to_owned(), Some(resolved.clone()))],
            Some(items) => {
                if items.is_empty() {
                    if node.is_none() {
                        let call = task_call(&task);
                        self.init_node(
                            &node_name,
                            NodeType::Skipped,
                            &scope_text,
                            &call,
                            &ctx.boundary_id,
                            NodePhase::Skipped,
                            None,
                            Some("Skipped, empty params"),
                        );
                        self.connect_task(ctx, &node_name, &dependencies, None, true);
                    }
                    return;
                }
                if group_node.is_none() {
                    self.connect_task(ctx, &node_name, &dependencies, None, true);
                    let call = task_call(&task);
                    group_node = Some(self.init_node(
                        &node_name,
                        NodeType::TaskGroup,
                        &scope_text,
                        &call,
                        &ctx.boundary_id,
                        NodePhase::Running,
                        None,
                        None,
                    ));
                }
                let mut body = resolved.clone();
                body.with_items.clear();
                body.with_param.clear();
                body.with_sequence = None;
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    let name = match item_node_name(task_name, i, item) {
                        Ok(name) => name,
                        Err(err) => {
                            self.mark_error(&node_name, &err.to_string());
                            return;
                        }
                    };
                    if self
                        .node(&ctx.task_node_name(&name))
                        .is_some_and(NodeStatus::is_fulfilled)
                    {
                        out.push((name, None));
                        continue;
                    }
                    match substitute_item(&body, item, &scope, self.now) {
                        Ok(mut t) => {
                            t.name = name.clone();
                            t.template = resolved.template.clone();
                            out.push((name, Some(t)));
                        }
                        Err(err) => {
                            self.mark_error(&node_name, &err.to_string());
                            return;
                        }
                    }
                }
                out
            }
        };
        let group_id = group_node.as_ref().map(|g| g.id.clone());
        for (name, expanded_task) in &expanded {
            let Some(t) = expanded_task else { continue };
            let child_name = ctx.task_node_name(name);
            let existing = self.node(&child_name).cloned();
            if existing.is_none() {
                self.connect_task(ctx, &child_name, &dependencies, group_id.as_deref(), true);
                match should_execute(&t.when) {
                    Err(err) => {
                        let call = task_call(&task);
                        self.init_node(
                            &child_name,
                            NodeType::Skipped,
                            &scope_text,
                            &call,
                            &ctx.boundary_id,
                            NodePhase::Error,
                            None,
                            Some(&err.to_string()),
                        );
                        continue;
                    }
                    Ok(false) => {
                        let call = task_call(&task);
                        let reason = format!("when '{}' evaluated false", t.when);
                        self.init_node(
                            &child_name,
                            NodeType::Skipped,
                            &scope_text,
                            &call,
                            &ctx.boundary_id,
                            NodePhase::Skipped,
                            None,
                            Some(&reason),
                        );
                        continue;
                    }
                    Ok(true) => {}
                }
            }
            let opts = ExecuteOpts {
                boundary_id: ctx.boundary_id.clone(),
                on_exit_template: ctx.on_exit,
                node_flag: None,
            };
            let call = task_call(t);
            match self.execute_template(&child_name, &call, &ctx.template_scope, &t.arguments, opts)
            {
                Ok(Some(child)) => {
                    if child.phase.is_completed() {
                        self.run_task_exit_handler(ctx, &task, &child);
                    }
                }
                Ok(None) => return,
                Err(Error::ParallelismReached | Error::MaxDepthExceeded | Error::Requeue) => {}
                Err(Error::Timeout(message)) => {
                    self.mark_phase(&child_name, NodePhase::Failed, Some(&message));
                    return;
                }
                Err(err) => {
                    let message = format!("task '{child_name}' errored: {err}");
                    self.mark_error(&child_name, &message);
                    return;
                }
            }
        }
        if let Some(group) = &group_node {
            let mut phase = NodePhase::Succeeded;
            for (name, _) in &expanded {
                let Some(child) = self.node(&ctx.task_node_name(name)) else {
                    return;
                };
                if !child.is_fulfilled() {
                    return;
                }
                if child.is_failed_or_error() {
                    phase = child.phase.clone();
                }
            }
            let group_name = group.name.clone();
            self.mark_phase(&group_name, phase, None);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn init_task_error(
        &mut self,
        ctx: &DagContext,
        task: &DagTask,
        node_name: &str,
        scope_text: &str,
        dependencies: &[String],
        group: Option<&NodeStatus>,
        message: &str,
    ) {
        if self.node(node_name).is_some() {
            self.mark_error(node_name, message);
            return;
        }
        let call = task_call(task);
        self.init_node(
            node_name,
            NodeType::Skipped,
            scope_text,
            &call,
            &ctx.boundary_id,
            NodePhase::Error,
            None,
            Some(message),
        );
        self.connect_task(
            ctx,
            node_name,
            dependencies,
            group.map(|g| g.id.as_str()),
            true,
        );
    }

    /// Links a new task node to the DAG (no dependencies), its TaskGroup, or the outbound
    /// nodes of its dependencies.
    fn connect_task(
        &mut self,
        ctx: &DagContext,
        node_name: &str,
        dependencies: &[String],
        group_id: Option<&str>,
        is_new: bool,
    ) {
        let child_id = self.node_id(node_name);
        let push = |op: &mut Self, parent: &str| {
            if is_new {
                if let Some(parent) = op.status.nodes.get_mut(parent) {
                    parent.children.push(child_id.clone());
                }
            } else {
                op.add_child_by_id(parent, child_id.clone());
            }
        };
        if let Some(group) = group_id {
            push(self, group);
            return;
        }
        if dependencies.is_empty() {
            let boundary = ctx.boundary_id.clone();
            push(self, &boundary);
            return;
        }
        for dep in dependencies {
            let dep_id = self.node_id(&ctx.task_node_name(dep));
            for outbound in self.outbound_nodes(&dep_id) {
                self.add_child_by_id(&outbound, child_id.clone());
            }
        }
    }

    /// Evaluates a task's depends logic: None while a dependency is unfinished.
    fn evaluate_depends(
        &self,
        ctx: &DagContext,
        dependencies: &[String],
        logic: &str,
    ) -> Result<Option<bool>> {
        let mut results = HashMap::new();
        for dep in dependencies {
            let Some(node) = self.node(&ctx.task_node_name(dep)) else {
                return Ok(None);
            };
            if !node.is_fulfilled() || !self.hooks_fulfilled(node) {
                return Ok(None);
            }
            let (mut any_succeeded, mut all_failed) = (false, false);
            if node.node_type == NodeType::TaskGroup {
                all_failed = !node.children.is_empty();
                for child in &node.children {
                    match self.node_by_id(child) {
                        Some(child) => {
                            any_succeeded |= child.phase == NodePhase::Succeeded;
                            all_failed &= child.phase == NodePhase::Failed;
                        }
                        None => all_failed = false,
                    }
                }
            }
            results.insert(
                dep.clone(),
                TaskResults {
                    succeeded: node.phase == NodePhase::Succeeded,
                    failed: node.phase == NodePhase::Failed,
                    errored: node.phase == NodePhase::Error,
                    skipped: node.phase == NodePhase::Skipped,
                    omitted: node.phase == NodePhase::Omitted,
                    daemoned: node.is_daemoned() && node.phase != NodePhase::Pending,
                    any_succeeded,
                    all_failed,
                },
            );
        }
        depends::evaluate(logic, &results).map(Some)
    }

    /// True when every hook child of the node is fulfilled.
    fn hooks_fulfilled(&self, node: &NodeStatus) -> bool {
        node.children.iter().all(|id| {
            self.node_by_id(id)
                .is_none_or(|c| !c.node_flag.as_ref().is_some_and(|f| f.hooked) || c.is_fulfilled())
        })
    }

    /// `tasks.<ancestor>.*` for every ancestor of a task (Argo's `buildLocalScopeFromTask`).
    fn task_scope(&self, ctx: &mut DagContext, task_name: &str) -> Scope {
        let mut scope = Scope::new();
        let mut stack = ctx.dependencies(task_name);
        let mut seen = HashSet::new();
        while let Some(ancestor) = stack.pop() {
            if !seen.insert(ancestor.clone()) {
                continue;
            }
            stack.extend(ctx.dependencies(&ancestor));
            let Some(node) = self.node(&ctx.task_node_name(&ancestor)) else {
                continue;
            };
            if node.node_type == NodeType::TaskGroup {
                let children: Vec<&NodeStatus> = node
                    .children
                    .iter()
                    .filter_map(|id| self.node_by_id(id))
                    .collect();
                self.add_aggregate_to_scope(&mut scope, "tasks", &ancestor, &children);
            }
            self.add_node_to_scope(&mut scope, "tasks", &ancestor, node);
        }
        scope
    }

    fn resolve_task(&self, task: &DagTask, scope: &Scope) -> Result<DagTask> {
        let loops = !task.with_items.is_empty()
            || !task.with_param.is_empty()
            || task.with_sequence.is_some();
        if !task.when.is_empty() {
            let when = self.resolve_when(&task.when, scope)?;
            match should_execute(&when) {
                Ok(false) => {
                    let mut skipped = task.clone();
                    skipped.when = when;
                    return Ok(skipped);
                }
                Ok(true) => {}
                Err(err) if !loops => return Err(err),
                Err(_) => {}
            }
        }
        let hooks = task.hooks.clone();
        let mut without_hooks = task.clone();
        without_hooks.hooks.clear();
        let mut resolved =
            self.resolve_body(&without_hooks, |t: &mut DagTask| &mut t.arguments, scope)?;
        resolved.hooks = hooks;
        Ok(resolved)
    }

    fn run_task_exit_handler(&mut self, ctx: &mut DagContext, task: &DagTask, node: &NodeStatus) {
        let hook = exit_hook(&task.on_exit, &task.hooks);
        if hook.is_none() {
            return;
        }
        let mut local = self.task_scope(ctx, &task.name);
        local.insert(
            format!("tasks.{}.status", task.name),
            node.phase.as_str().to_owned(),
        );
        let boundary = ctx.boundary_id.clone();
        let scope = ctx.template_scope.clone();
        if let Err(err) =
            self.run_on_exit_node(hook, node, &boundary, &scope, "tasks", &task.name, &local)
        {
            self.mark_error(&node.name, &err.to_string());
        }
    }
}

/// Tasks nothing depends on, sorted (the default targets).
fn leaf_tasks(ctx: &mut DagContext) -> Vec<String> {
    let names: Vec<String> = ctx.tasks.iter().map(|t| t.name.clone()).collect();
    let mut is_leaf: HashMap<String, bool> = HashMap::with_capacity(names.len());
    for name in &names {
        is_leaf.entry(name.clone()).or_insert(true);
        for dep in ctx.dependencies(name) {
            is_leaf.insert(dep, false);
        }
    }
    let mut leaves: Vec<String> = is_leaf
        .into_iter()
        .filter(|(_, leaf)| *leaf)
        .map(|(n, _)| n)
        .collect();
    leaves.sort();
    leaves
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
