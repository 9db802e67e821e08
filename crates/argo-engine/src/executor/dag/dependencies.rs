//! What a DAG task sees of the tasks before it: `depends` evaluated over its dependencies'
//! nodes, the `tasks.<ancestor>.*` scope, the task body resolved against it, its exit hook,
//! and the default targets (tasks nothing depends on).
//!
//! Must not: create task nodes (see `task`).

use std::collections::{HashMap, HashSet};

use argo_core::{DagTask, NodePhase, NodeStatus, NodeType};
use argo_expr::Scope;
use argo_expr::depends::{Depends, Reference, TaskState};

use super::DagContext;
use crate::error::Result;
use crate::exit_handler::exit_hook;
use crate::operation::Operation;
use crate::when::should_execute;

impl Operation<'_> {
    /// Evaluates a task's depends logic: None while a dependency is unfinished.
    pub(super) fn evaluate_depends(
        &self,
        ctx: &DagContext,
        dependencies: &[String],
        logic: &Depends,
    ) -> Result<Option<bool>> {
        let mut results = HashMap::new();
        for dep in dependencies {
            let Some(node) = self.node(&ctx.task_node_name(dep)) else {
                return Ok(None);
            };
            // Only a task with an exit handler or hooks can have hook children to wait for.
            let may_have_hooks = ctx
                .task(dep)
                .is_none_or(|t| !t.on_exit.is_empty() || !t.hooks.is_empty());
            if !node.is_fulfilled() || (may_have_hooks && !self.hooks_fulfilled(node)) {
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
            let continue_on = ctx
                .task(dep)
                .and_then(|t| t.continue_on.clone())
                .unwrap_or_default();
            results.insert(
                dep.clone(),
                TaskState {
                    succeeded: node.phase == NodePhase::Succeeded,
                    failed: node.phase == NodePhase::Failed,
                    errored: node.phase == NodePhase::Error,
                    skipped: node.phase == NodePhase::Skipped,
                    omitted: node.phase == NodePhase::Omitted,
                    daemoned: node.is_daemoned() && node.phase != NodePhase::Pending,
                    any_succeeded,
                    all_failed,
                    continue_on_failed: continue_on.failed,
                    continue_on_error: continue_on.error,
                },
            );
        }
        Ok(Some(logic.evaluate(&|task| {
            results.get(task).copied().unwrap_or_default()
        })))
    }

    /// True when every hook child of the node is fulfilled.
    pub(super) fn hooks_fulfilled(&self, node: &NodeStatus) -> bool {
        node.children.iter().all(|id| {
            self.node_by_id(id)
                .is_none_or(|c| !c.node_flag.as_ref().is_some_and(|f| f.hooked) || c.is_fulfilled())
        })
    }

    /// `tasks.<ancestor>.*` for every ancestor of a task (Argo's `buildLocalScopeFromTask`).
    pub(super) fn task_scope(&mut self, ctx: &mut DagContext, task_name: &str) -> Scope {
        let mut scope = Scope::new();
        let mut stack = ctx.dependencies(task_name).to_vec();
        let mut seen = HashSet::new();
        while let Some(ancestor) = stack.pop() {
            if !seen.insert(ancestor.clone()) {
                continue;
            }
            stack.extend(ctx.dependencies(&ancestor).iter().cloned());
            let Some(node) = self.node(&ctx.task_node_name(&ancestor)).cloned() else {
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
            self.add_node_to_scope(&mut scope, "tasks", &ancestor, &node);
        }
        scope
    }

    /// Resolves a task's references; a task without tags (`tagged` false) and without `when`
    /// has nothing to resolve and is used as it is.
    pub(super) fn resolve_task(
        &self,
        task: &DagTask,
        tagged: bool,
        scope: &Scope,
    ) -> Result<DagTask> {
        if !tagged && task.when.is_empty() {
            return Ok(task.clone());
        }
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

    /// Walks a task's expression hooks; false while one it started is unfinished (an error
    /// marks the task's node Error).
    pub(super) fn run_task_hooks(
        &mut self,
        ctx: &mut DagContext,
        task: &DagTask,
        node: &NodeStatus,
    ) -> bool {
        let mut local = self.task_scope(ctx, &task.name);
        local.insert(
            format!("tasks.{}.status", task.name),
            node.phase.as_str().to_owned(),
        );
        let boundary = ctx.boundary_id.clone();
        let scope = ctx.template_scope.clone();
        let hooks = &task.hooks;
        match self.run_node_hooks(hooks, node, &boundary, &scope, "tasks", &task.name, &local) {
            Ok(done) => done,
            Err(err) => {
                self.mark_error(&node.name, &err.to_string());
                false
            }
        }
    }

    pub(super) fn run_task_exit_handler(
        &mut self,
        ctx: &mut DagContext,
        task: &DagTask,
        node: &NodeStatus,
    ) {
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

/// Up to this many names, duplicates are found by comparing names rather than hashing them.
const SHORT_LIST: usize = 8;

/// The task names `references` name, each once, in order (`Depends::tasks` compares each
/// name with every earlier one, which a join over 10,000 tasks cannot afford; short lists,
/// the usual case, are compared directly rather than hashed).
pub(super) fn unique_names(references: &[Reference]) -> Vec<String> {
    if references.len() <= SHORT_LIST {
        let mut names: Vec<String> = Vec::with_capacity(references.len());
        for reference in references {
            if !names.contains(&reference.task) {
                names.push(reference.task.clone());
            }
        }
        return names;
    }
    let mut seen = HashSet::with_capacity(references.len());
    references
        .iter()
        .filter(|r| seen.insert(r.task.as_str()))
        .map(|r| r.task.clone())
        .collect()
}
