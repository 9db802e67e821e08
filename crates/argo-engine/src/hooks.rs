//! Lifecycle hooks other than `exit`: the workflow's `spec.hooks` (node
//! `<workflow>.hooks.<name>`, a child of the entry node) and a step's or task's `hooks` (node
//! `<step>.hooks.<name>`, a child of the step's node), each with an `expression`. A hook runs
//! once its expression is true; once its node exists it is walked on every reconcile whatever
//! the expression says, so it runs once. Its caller waits while a hook it started is
//! unfinished (Argo's `executeWfLifeCycleHook` / `executeTmplLifeCycleHook`).
//!
//! Must not: run `exit` hooks (`exit_handler` does) or decide a phase from a hook's outcome:
//! a failed hook fails nothing by itself.

use argo_core::{EXIT_HOOK, LifecycleHook, LifecycleHooks, NodeFlag, NodeStatus, WorkflowStep};
use argo_expr::{Scope, Unresolved};

use crate::error::{Error, Result};
use crate::node_id::hook_node_name;
use crate::operation::{ExecuteOpts, Operation, TemplateCall};
use crate::template_resolution::TemplateScope;

/// True when `hooks` holds any hook besides `exit`.
pub(crate) fn has_expression_hooks(hooks: &LifecycleHooks) -> bool {
    hooks.keys().any(|name| name != EXIT_HOOK)
}

/// The expression hooks, in name order.
fn expression_hooks(hooks: &LifecycleHooks) -> impl Iterator<Item = (&String, &LifecycleHook)> {
    hooks.iter().filter(|(name, _)| *name != EXIT_HOOK)
}

/// Whether a hook must be walked: its node exists, or its expression holds now.
fn triggered(
    op: &Operation<'_>,
    hook: &LifecycleHook,
    node_name: &str,
    scope: &Scope,
) -> Result<bool> {
    if op.node(node_name).is_some() {
        return Ok(true);
    }
    if hook.expression.is_empty() {
        return Err(Error::msg(format!(
            "Expression required for hook {node_name}"
        )));
    }
    Ok(argo_expr::evaluate_bool(
        &hook.expression,
        scope,
        &op.options(Unresolved::Reject),
    )?)
}

impl Operation<'_> {
    /// Walks the workflow's expression hooks after the entry node. Returns false while a hook
    /// it started is unfinished; an error marks the entry node Error.
    pub(crate) fn run_workflow_hooks(&mut self) -> bool {
        if !has_expression_hooks(&self.spec.hooks) {
            return true;
        }
        match self.workflow_hooks() {
            Ok(done) => done,
            Err(err) => {
                let root = self.name.clone();
                self.mark_error(&root, &err.to_string());
                true
            }
        }
    }

    fn workflow_hooks(&mut self) -> Result<bool> {
        let hooks: Vec<(String, LifecycleHook)> = expression_hooks(&self.spec.hooks)
            .map(|(name, hook)| (name.clone(), hook.clone()))
            .collect();
        let mut done = true;
        for (name, hook) in hooks {
            let node_name = hook_node_name(&self.name, &name);
            if !triggered(self, &hook, &node_name, &self.globals)? {
                continue;
            }
            let call = TemplateCall {
                template: hook.template.clone(),
                template_ref: hook.template_ref.clone(),
                ..TemplateCall::default()
            };
            let opts = ExecuteOpts {
                boundary_id: String::new(),
                on_exit_template: false,
                node_flag: Some(NodeFlag {
                    hooked: true,
                    retried: false,
                }),
            };
            let result = self.execute_template(
                &node_name,
                &call,
                &TemplateScope::Local,
                &hook.arguments,
                opts,
            );
            let root = self.name.clone();
            if self.node(&node_name).is_some() {
                self.add_child(&root, &node_name);
            }
            match result {
                Ok(Some(node)) if node.is_fulfilled() => {}
                Ok(_) | Err(Error::ParallelismReached | Error::Requeue) => done = false,
                Err(err) => return Err(err),
            }
        }
        Ok(done)
    }

    /// Walks a step's or task's expression hooks (`prefix` is `steps` or `tasks`, `local` the
    /// caller's scope with `<prefix>.<name>.status` set). Returns false while a hook it
    /// started is unfinished.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn run_node_hooks(
        &mut self,
        hooks: &LifecycleHooks,
        parent: &NodeStatus,
        boundary_id: &str,
        template_scope: &TemplateScope,
        prefix: &str,
        name: &str,
        local: &Scope,
    ) -> Result<bool> {
        let scope = self.hook_scope(local);
        let mut done = true;
        for (hook_name, hook) in expression_hooks(hooks) {
            let node_name = hook_node_name(&parent.name, hook_name);
            if !triggered(self, hook, &node_name, &scope)? {
                continue;
            }
            let has_outputs = match self.last_retry_attempt(parent) {
                Some(attempt) => attempt.outputs.is_some(),
                None => parent.outputs.is_some(),
            };
            let arguments = if has_outputs {
                self.hook_arguments(hook, parent, scope.clone(), prefix, name)?
            } else {
                hook.arguments.clone()
            };
            let result = self.execute_hook_node(
                &node_name,
                hook,
                &arguments,
                parent,
                boundary_id,
                template_scope,
                false,
            );
            match result {
                Ok(Some(node)) if node.is_fulfilled() => {}
                Ok(_) | Err(Error::ParallelismReached | Error::Requeue) => done = false,
                Err(err) => return Err(err),
            }
        }
        Ok(done)
    }

    /// Walks the expression hooks of a step group's children (child node id and its step),
    /// in order, stopping at the first child whose hooks are unfinished.
    pub(crate) fn run_step_hooks(
        &mut self,
        children: &[(String, &WorkflowStep)],
        boundary_id: &str,
        template_scope: &TemplateScope,
        steps_scope: &Scope,
    ) -> Result<bool> {
        for (id, step) in children {
            if !has_expression_hooks(&step.hooks) {
                continue;
            }
            let Some(child) = self.node_by_id(id).cloned() else {
                continue;
            };
            let mut local = steps_scope.clone();
            local.insert(
                format!("steps.{}.status", child.display_name),
                child.phase.as_str().to_owned(),
            );
            let done = self.run_node_hooks(
                &step.hooks,
                &child,
                boundary_id,
                template_scope,
                "steps",
                &step.name,
                &local,
            )?;
            if !done {
                return Ok(false);
            }
        }
        Ok(true)
    }
}
