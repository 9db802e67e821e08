//! One DAG task per call (Argo's `executeDAGTask`): its dependencies first, then its
//! `depends` (Omitted when it cannot hold), `when`, loop expansion into a TaskGroup, and the
//! template call of each item; errors become the task's node.
//!
//! Must not: decide the DAG's phase (the parent module does).

use std::sync::Arc;

use argo_core::{DagTask, NodePhase, NodeStatus, NodeType};
use argo_expr::Scope;

use super::{DagContext, task_call};
use crate::error::Error;
use crate::loops::{item_node_name, loop_items, substitute_item};
use crate::operation::{ExecuteOpts, Operation};
use crate::when::should_execute;

impl Operation<'_> {
    pub(super) fn execute_dag_task(&mut self, ctx: &mut DagContext, task_name: &str) {
        let Some(at) = ctx.facts.position(ctx.tasks, task_name) else {
            return;
        };
        if std::mem::replace(&mut ctx.visited[at], true) {
            return;
        }
        ctx.visited_order.push(at);
        let task = &ctx.tasks[at];
        let node_name = ctx.task_node_name(task_name);
        // One id for every lookup of this visit.
        let node_id = self.node_id(&node_name);
        if crate::hooks::has_expression_hooks(&task.hooks)
            && let Some(node) = self.node_by_id(&node_id)
            && (node.is_fulfilled() || node.phase == NodePhase::Running)
        {
            let node = node.clone();
            if !self.run_task_hooks(ctx, task, &node) {
                return;
            }
        }
        if let Some(node) = self.node_by_id(&node_id)
            && node.is_fulfilled()
        {
            // A finished task costs this one lookup unless it has an exit hook to run.
            if node.phase.is_completed()
                && crate::exit_handler::exit_hook(&task.on_exit, &task.hooks).is_some()
            {
                let node = node.clone();
                self.run_task_exit_handler(ctx, task, &node);
            }
            return;
        }
        let node = self.node_by_id(&node_id).cloned();
        ctx.open.push(node_id);
        let resolved = ctx.facts.resolution(ctx.tasks, at).clone();
        let dependencies: Arc<[String]> = match &resolved {
            Ok((names, _)) => names.clone(),
            Err(_) => Arc::from([]),
        };
        let group_node = node.clone().filter(|n| n.node_type == NodeType::TaskGroup);
        // The task's node becomes (or is marked) Error with the message.
        let error_node = |op: &mut Self, ctx: &DagContext, message: &str| {
            op.init_task_error(
                ctx,
                task,
                &node_name,
                &dependencies,
                group_node.as_ref(),
                message,
            );
        };
        let logic = match resolved {
            Ok((_, logic)) => logic,
            Err(message) => {
                error_node(self, ctx, &message);
                return;
            }
        };
        if !logic.references().is_empty() && node.is_none() {
            if !ctx.from_frontier {
                for dep in dependencies.iter() {
                    self.execute_dag_task(ctx, dep);
                }
            }
            match self.evaluate_depends(ctx, &dependencies, &logic) {
                Err(err) => {
                    error_node(self, ctx, &err.to_string());
                    return;
                }
                Ok(None) => return,
                Ok(Some(false)) => {
                    let call = task_call(task);
                    self.init_node(
                        &node_name,
                        NodeType::Skipped,
                        &ctx.scope_text,
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
        let task_has_tags = ctx.facts.tagged(ctx.tasks, at);
        let scope = if task_has_tags {
            let local = self.task_scope(ctx, task_name);
            self.merged_scope(&local)
        } else {
            Scope::new()
        };
        let resolved = match self.resolve_task(task, task_has_tags, &scope) {
            Ok(t) => t,
            Err(Error::Requeue) => {
                self.requeue_after(jiff::SignedDuration::ZERO);
                return;
            }
            Err(err) => {
                error_node(self, ctx, &err.to_string());
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
                error_node(self, ctx, &err.to_string());
                return;
            }
        };
        let mut group_node = group_node;
        let expanded: Vec<(String, Option<DagTask>)> = match &items {
            None => vec![(task_name.to_owned(), Some(resolved.clone()))],
            Some(items) => {
                if items.is_empty() {
                    if node.is_none() {
                        let call = task_call(task);
                        self.init_node(
                            &node_name,
                            NodeType::Skipped,
                            &ctx.scope_text,
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
                    let call = task_call(task);
                    group_node = Some(self.init_node(
                        &node_name,
                        NodeType::TaskGroup,
                        &ctx.scope_text,
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
                        let call = task_call(task);
                        self.init_node(
                            &child_name,
                            NodeType::Skipped,
                            &ctx.scope_text,
                            &call,
                            &ctx.boundary_id,
                            NodePhase::Error,
                            None,
                            Some(&err.to_string()),
                        );
                        continue;
                    }
                    Ok(false) => {
                        let call = task_call(task);
                        let reason = format!("when '{}' evaluated false", t.when);
                        self.init_node(
                            &child_name,
                            NodeType::Skipped,
                            &ctx.scope_text,
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
                        self.run_task_exit_handler(ctx, task, &child);
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
    pub(super) fn init_task_error(
        &mut self,
        ctx: &DagContext,
        task: &DagTask,
        node_name: &str,
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
            &ctx.scope_text,
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
    pub(super) fn connect_task(
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
                op.push_child_by_id(parent, child_id.clone());
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
            for outbound in self.dependency_outbound_nodes(ctx, &dep_id) {
                self.add_child_by_id(&outbound, child_id.clone());
            }
        }
    }

    /// The outbound nodes of a dependency, computed once per reconcile once the dependency is
    /// fulfilled (they no longer change then; a fan-out of 10,000 tasks below one pod would
    /// otherwise look at that pod's 10,000 children for each of them).
    fn dependency_outbound_nodes(&self, ctx: &DagContext, dep_id: &str) -> Vec<String> {
        if let Some(known) = ctx.outbound.borrow().get(dep_id) {
            return known.clone();
        }
        let outbound = self.outbound_nodes(dep_id);
        if self
            .node_by_id(dep_id)
            .is_some_and(NodeStatus::is_fulfilled)
        {
            ctx.outbound
                .borrow_mut()
                .insert(dep_id.to_owned(), outbound.clone());
        }
        outbound
    }
}
