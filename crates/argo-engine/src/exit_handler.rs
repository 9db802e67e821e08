//! Exit handlers: the workflow's `onExit` (node `<workflow>.onExit`, run after the entry node
//! is fulfilled, with `workflow.status` and `workflow.failures` in scope) and step/task
//! `onExit` or `hooks.exit` (node `<step>.onExit`, a child of the step's node).
//!
//! Must not: decide the workflow phase (reconcile does, using the handler's outcome).

use argo_core::{
    Arguments, EXIT_HOOK, LifecycleHook, LifecycleHooks, NodeFlag, NodeStatus, ShutdownStrategy,
};
use argo_expr::{Scope, Unresolved};

use crate::error::{Error, Result};
use crate::node_id::on_exit_node_name;
use crate::operation::{ExecuteOpts, Operation, TemplateCall};
use crate::template_resolution::TemplateScope;

/// The exit hook of a step or task: `onExit` (with no arguments) or `hooks.exit`.
pub(crate) fn exit_hook(on_exit: &str, hooks: &LifecycleHooks) -> Option<LifecycleHook> {
    if !on_exit.is_empty() {
        return Some(LifecycleHook {
            template: on_exit.to_owned(),
            ..LifecycleHook::default()
        });
    }
    hooks.get(EXIT_HOOK).cloned()
}

impl Operation<'_> {
    /// Runs the workflow's exit handler once the entry node is fulfilled. Returns None while
    /// the handler is still running, Some(None) without a handler, Some(Some(node)) when done.
    pub(crate) fn run_workflow_exit_handler(&mut self) -> Option<Option<NodeStatus>> {
        let hook = match exit_hook(&self.spec.on_exit, &self.spec.hooks) {
            Some(mut hook) => {
                if hook.arguments.is_empty() {
                    hook.arguments = self.spec.arguments.clone();
                }
                hook
            }
            None => return Some(None),
        };
        let name = on_exit_node_name(&self.name);
        let existing = self.node(&name).cloned();
        if existing.is_none() && self.is_shutdown(ShutdownStrategy::Terminate) {
            return Some(None);
        }
        let call = TemplateCall {
            template: hook.template.clone(),
            template_ref: hook.template_ref.clone(),
            ..TemplateCall::default()
        };
        let opts = ExecuteOpts {
            boundary_id: String::new(),
            on_exit_template: true,
            node_flag: Some(NodeFlag {
                hooked: true,
                retried: false,
            }),
        };
        match self.execute_template(&name, &call, &TemplateScope::Local, &hook.arguments, opts) {
            Ok(Some(node)) if node.is_fulfilled() => Some(Some(node)),
            Ok(_) => None,
            Err(Error::ParallelismReached | Error::Requeue) => None,
            Err(err) => {
                if !self.status.phase.is_completed() {
                    self.mark_workflow_phase(
                        argo_core::WorkflowPhase::Error,
                        &format!("error in exit template execution : {err}"),
                    );
                }
                None
            }
        }
    }

    /// Runs a step's or task's exit hook once its node completed (Argo's `runOnExitNode`).
    /// Returns whether there is a hook, and its node.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn run_on_exit_node(
        &mut self,
        hook: Option<LifecycleHook>,
        parent: &NodeStatus,
        boundary_id: &str,
        template_scope: &TemplateScope,
        prefix: &str,
        name: &str,
        local: &Scope,
    ) -> Result<(bool, Option<NodeStatus>)> {
        let Some(hook) = hook else {
            return Ok((false, None));
        };
        if self.is_shutdown(ShutdownStrategy::Terminate) {
            return Ok((false, None));
        }
        let scope = self.hook_scope(local);
        if !hook.expression.is_empty() {
            let execute = argo_expr::evaluate_bool(
                &hook.expression,
                &scope,
                &self.options(Unresolved::Reject),
            )?;
            if !execute {
                return Ok((false, None));
            }
        }
        let arguments = self.hook_arguments(&hook, parent, scope, prefix, name)?;
        let node_name = on_exit_node_name(&parent.name);
        let result = self.execute_hook_node(
            &node_name,
            &hook,
            &arguments,
            parent,
            boundary_id,
            template_scope,
            true,
        );
        match result {
            Ok(node) => Ok((true, node)),
            Err(Error::ParallelismReached) => Ok((true, None)),
            Err(err) => Err(err),
        }
    }

    /// The scope a step's or task's hook sees: the globals and the caller's local scope.
    pub(crate) fn hook_scope(&self, local: &Scope) -> Scope {
        let mut scope = self.globals.clone();
        for (key, binding) in local.iter() {
            scope.bind(key.to_owned(), binding.clone());
        }
        scope
    }

    /// A hook's arguments with `<prefix>.<name>.outputs.*` of its parent (the last attempt of
    /// a retry node) and the scope substituted (Argo's `resolveExitTmplArgument`).
    pub(crate) fn hook_arguments(
        &self,
        hook: &LifecycleHook,
        parent: &NodeStatus,
        mut scope: Scope,
        prefix: &str,
        name: &str,
    ) -> Result<Arguments> {
        if hook.arguments.is_empty() {
            return Ok(Arguments::default());
        }
        let outputs = self
            .last_retry_attempt(parent)
            .map_or(parent.outputs.clone(), |n| n.outputs.clone());
        crate::scope::add_outputs_to_scope(
            &mut scope,
            &format!("{prefix}.{name}"),
            outputs.as_ref(),
        );
        let mut hook_arguments = hook.arguments.clone();
        self.resolve_argument_artifacts(&mut hook_arguments, &scope)?;
        let json = serde_json::to_value(&hook_arguments).map_err(|e| Error::msg(e.to_string()))?;
        let replaced =
            argo_expr::substitute_json(&json, &scope, &self.options(Unresolved::Reject))?;
        serde_json::from_value(replaced).map_err(|e| Error::msg(e.to_string()))
    }

    /// Runs a hook's template as node `node_name` (flagged `hooked`), a child of `parent`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn execute_hook_node(
        &mut self,
        node_name: &str,
        hook: &LifecycleHook,
        arguments: &Arguments,
        parent: &NodeStatus,
        boundary_id: &str,
        template_scope: &TemplateScope,
        on_exit: bool,
    ) -> Result<Option<NodeStatus>> {
        let call = TemplateCall {
            template: hook.template.clone(),
            template_ref: hook.template_ref.clone(),
            ..TemplateCall::default()
        };
        let opts = ExecuteOpts {
            boundary_id: boundary_id.to_owned(),
            on_exit_template: on_exit,
            node_flag: Some(NodeFlag {
                hooked: true,
                retried: false,
            }),
        };
        let result = self.execute_template(node_name, &call, template_scope, arguments, opts);
        let parent_id = parent.id.clone();
        let child_id = self.node_id(node_name);
        if self.status.nodes.contains_key(&child_id) {
            self.add_child_by_id(&parent_id, child_id);
        }
        result
    }
}
