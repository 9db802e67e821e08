//! Steps templates: step groups run in order, the steps of a group in parallel; each group is
//! a StepGroup node whose children are the steps, linked to the next group through their
//! outbound nodes; `steps.<name>.*` scopes, loops, `when`, continueOn, step exit handlers,
//! outputs and outbound nodes of the Steps node.
//!
//! Must not: assess pods (see `pod_assessment`).

use std::collections::{HashMap, HashSet};

use argo_core::{NodePhase, NodeStatus, NodeType, Template, WorkflowStep};
use argo_expr::Scope;

use crate::error::{Error, Result};
use crate::exit_handler::exit_hook;
use crate::loops::{item_node_name, loop_items, substitute_item};
use crate::node_id::step_group_node_name;
use crate::operation::{Caller, ExecuteOpts, Operation, TemplateCall};
use crate::template_resolution::TemplateScope;
use crate::when::should_execute;

/// Whether a parent carries on past a child in `phase`.
pub(crate) fn continues(continue_on: Option<&argo_core::ContinueOn>, phase: &NodePhase) -> bool {
    let Some(continue_on) = continue_on else {
        return false;
    };
    (continue_on.error && *phase == NodePhase::Error)
        || (continue_on.failed && *phase == NodePhase::Failed)
}

struct StepsContext {
    boundary_id: String,
    scope: Scope,
    template_scope: TemplateScope,
    on_exit: bool,
}

impl Operation<'_> {
    pub(super) fn execute_steps(
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
                NodeType::Steps,
                template_scope,
                template,
                call,
                opts,
                NodePhase::Running,
            ),
        };
        let mut ctx = StepsContext {
            boundary_id: node.id.clone(),
            scope: Scope::new(),
            template_scope: inner_scope.clone(),
            on_exit: opts.on_exit_template,
        };
        let groups = template.steps.clone().unwrap_or_default();
        let group_ids: HashSet<String> = (0..groups.len())
            .map(|index| self.node_id(&step_group_node_name(node_name, index)))
            .collect();
        for (index, group) in groups.iter().enumerate() {
            let group_name = step_group_node_name(node_name, index);
            match self.node(&group_name).cloned() {
                None => {
                    let empty = TemplateCall::default();
                    let scope_text = inner_scope.render(&self.name);
                    self.init_node(
                        &group_name,
                        NodeType::StepGroup,
                        &scope_text,
                        &empty,
                        &ctx.boundary_id,
                        NodePhase::Running,
                        None,
                        None,
                    );
                }
                Some(group_node) if !group_node.is_fulfilled() => {
                    self.mark_phase(&group_name, NodePhase::Running, None);
                }
                Some(_) => {}
            }
            if index == 0 {
                self.add_child(node_name, &group_name);
            } else {
                self.link_previous_group(node_name, index, &group_name);
            }
            let group_node =
                match self.execute_step_group(&group.steps, &group_name, &group_ids, &mut ctx) {
                    Ok(group_node) => group_node,
                    Err(err) => {
                        self.mark_error(&group_name, &err.to_string());
                        return Ok(());
                    }
                };
            if !group_node.is_fulfilled() {
                return Ok(());
            }
            if group_node.is_failed_or_error() {
                self.update_steps_outbound_nodes(node_name, groups.len());
                self.mark_phase(node_name, NodePhase::Failed, Some(&group_node.message));
                return Ok(());
            }
            for step in &group.steps {
                let child_name = format!("{group_name}.{}", step.name);
                match self.node(&child_name).cloned() {
                    Some(child) => {
                        self.add_node_to_scope(&mut ctx.scope, "steps", &step.name, &child)
                    }
                    None => {
                        let prefix = format!("{child_name}(");
                        let children: Vec<NodeStatus> = group_node
                            .children
                            .iter()
                            .filter_map(|id| self.node_by_id(id))
                            .filter(|n| {
                                n.name.starts_with(&prefix) && n.node_type != NodeType::Skipped
                            })
                            .cloned()
                            .collect();
                        let refs: Vec<&NodeStatus> = children.iter().collect();
                        let mut scope = std::mem::take(&mut ctx.scope);
                        self.add_aggregate_to_scope(&mut scope, "steps", &step.name, &refs);
                        self.add_node_to_scope(&mut scope, "steps", &step.name, &group_node);
                        ctx.scope = scope;
                    }
                }
            }
        }
        self.update_steps_outbound_nodes(node_name, groups.len());
        let local = self.merged_scope(&ctx.scope);
        if let Some(outputs) = self.template_outputs_from_scope(template, &local)? {
            self.add_outputs_to_global_scope(Some(&outputs));
            let id = self.node_id(node_name);
            if let Some(node) = self.node_by_id_mut(&id) {
                node.outputs = Some(outputs);
            }
        }
        self.mark_phase(node_name, NodePhase::Succeeded, None);
        Ok(())
    }

    fn link_previous_group(&mut self, node_name: &str, index: usize, group_name: &str) {
        let previous = step_group_node_name(node_name, index - 1);
        let Some(previous_node) = self.node(&previous).cloned() else {
            return;
        };
        if previous_node.children.is_empty() {
            self.add_child(&previous, group_name);
            return;
        }
        let group_id = self.node_id(group_name);
        for child in &previous_node.children {
            for outbound in self.outbound_nodes(child) {
                self.add_child_by_id(&outbound, group_id.clone());
            }
        }
    }

    fn update_steps_outbound_nodes(&mut self, node_name: &str, groups: usize) {
        let last = (0..groups)
            .rev()
            .find_map(|i| self.node(&step_group_node_name(node_name, i)).cloned());
        let Some(last) = last else { return };
        let outbound: Vec<String> = last
            .children
            .iter()
            .flat_map(|c| self.outbound_nodes(c))
            .collect();
        let id = self.node_id(node_name);
        if let Some(node) = self.node_by_id_mut(&id) {
            node.outbound_nodes = outbound;
        }
    }

    fn execute_step_group(
        &mut self,
        steps: &[WorkflowStep],
        group_name: &str,
        group_ids: &HashSet<String>,
        ctx: &mut StepsContext,
    ) -> Result<NodeStatus> {
        let group = self
            .node(group_name)
            .cloned()
            .ok_or_else(|| Error::msg(format!("step group {group_name} not found")))?;
        // The later groups hang below this one's steps; each is looked at in its own turn.
        if group.is_fulfilled() && self.children_fulfilled_within(&group, group_ids) {
            return Ok(group);
        }
        // The globals merged with every earlier step's outputs, built only when a step refers to
        // anything: a group of plain steps (most groups, and every group of a chain, re-walked
        // on each pass) would otherwise copy a scope that grows with the steps before it.
        let refers: Vec<bool> = steps.iter().map(refers_to_scope).collect();
        let scope = if refers.iter().any(|r| *r) || steps.iter().any(loops) {
            self.merged_scope(&ctx.scope)
        } else {
            Scope::new()
        };
        let mut resolved = Vec::with_capacity(steps.len());
        for (step, refers) in steps.iter().zip(refers) {
            // Nothing to resolve: used as it is (a 10,000-item loop is not re-serialized).
            let step = if refers {
                self.resolve_step(step, &scope)
            } else {
                Ok(step.clone())
            };
            match step {
                Ok(step) => resolved.push(step),
                Err(Error::Requeue) => {
                    self.requeue_after(jiff::SignedDuration::ZERO);
                    return Ok(group);
                }
                Err(err) => {
                    let message = format!("failed to resolve references: {err}");
                    return Ok(self.mark_error(group_name, &message).unwrap_or(group));
                }
            }
        }
        // Expanded steps: the child node name, the original step, and the expanded step
        // (None when the child is already fulfilled and need not be substituted again).
        let mut expanded: Vec<(String, &WorkflowStep, Option<WorkflowStep>)> = Vec::new();
        for (original, step) in steps.iter().zip(&resolved) {
            let items = match loop_items(
                &step.with_items,
                &step.with_param,
                step.with_sequence.as_ref(),
                &step.when,
            ) {
                Ok(items) => items,
                Err(err) => {
                    return Ok(self
                        .mark_error(group_name, &err.to_string())
                        .unwrap_or(group));
                }
            };
            let Some(items) = items else {
                expanded.push((
                    format!("{group_name}.{}", step.name),
                    original,
                    Some(step.clone()),
                ));
                continue;
            };
            if items.is_empty() {
                let child_name = format!("{group_name}.{}", step.name);
                if self.node(&child_name).is_none() {
                    let call = step_call(step);
                    let scope_text = ctx.template_scope.render(&self.name);
                    self.init_node(
                        &child_name,
                        NodeType::Skipped,
                        &scope_text,
                        &call,
                        &ctx.boundary_id,
                        NodePhase::Skipped,
                        None,
                        Some("Skipped, empty params"),
                    );
                    self.add_child(group_name, &child_name);
                }
                continue;
            }
            let mut template_step = step.clone();
            template_step.with_items.clear();
            template_step.with_param.clear();
            template_step.with_sequence = None;
            for (index, item) in items.iter().enumerate() {
                let item_name = match item_node_name(&step.name, index, item) {
                    Ok(name) => name,
                    Err(err) => {
                        return Ok(self
                            .mark_error(group_name, &err.to_string())
                            .unwrap_or(group));
                    }
                };
                let child_name = format!("{group_name}.{item_name}");
                if self.node(&child_name).is_some_and(NodeStatus::is_fulfilled) {
                    expanded.push((child_name, original, None));
                    continue;
                }
                let mut new_step: WorkflowStep =
                    match substitute_item(&template_step, item, &scope, self.now) {
                        Ok(s) => s,
                        Err(err) => {
                            return Ok(self
                                .mark_error(group_name, &err.to_string())
                                .unwrap_or(group));
                        }
                    };
                new_step.name = item_name;
                new_step.template = step.template.clone();
                expanded.push((child_name, original, Some(new_step)));
            }
        }

        let mut child_steps: HashMap<String, (&WorkflowStep, Option<WorkflowStep>)> =
            HashMap::with_capacity(expanded.len());
        let template_scope_text = ctx.template_scope.render(&self.name);
        for (child_name, original, step) in expanded {
            let Some(step) = step else {
                child_steps.insert(child_name, (original, None));
                continue;
            };
            let proceed = match should_execute(&step.when) {
                Ok(proceed) => proceed,
                Err(err) => {
                    let call = step_call(&step);
                    if self.node(&child_name).is_none() {
                        self.init_node(
                            &child_name,
                            NodeType::Skipped,
                            &template_scope_text,
                            &call,
                            &ctx.boundary_id,
                            NodePhase::Error,
                            None,
                            Some(&err.to_string()),
                        );
                        self.add_child(group_name, &child_name);
                    }
                    return Ok(self
                        .mark_error(group_name, &err.to_string())
                        .unwrap_or(group));
                }
            };
            if !proceed {
                if self.node(&child_name).is_none() {
                    let call = step_call(&step);
                    let reason = format!("when '{}' evaluated false", step.when);
                    self.init_node(
                        &child_name,
                        NodeType::Skipped,
                        &template_scope_text,
                        &call,
                        &ctx.boundary_id,
                        NodePhase::Skipped,
                        None,
                        Some(&reason),
                    );
                    let group_id = group.id.clone();
                    let child_id = self.node_id(&child_name);
                    self.add_child_by_id(&group_id, child_id);
                }
                continue;
            }
            let existed = self.node(&child_name).is_some();
            let call = step_call(&step);
            let opts = ExecuteOpts {
                boundary_id: ctx.boundary_id.clone(),
                on_exit_template: ctx.on_exit,
                node_flag: None,
            };
            let result = self.execute_template(
                &child_name,
                &call,
                &ctx.template_scope,
                &step.arguments,
                opts,
            );
            match result {
                Ok(child) => {
                    if child.is_some() && !existed {
                        let group_id = group.id.clone();
                        let child_id = self.node_id(&child_name);
                        self.push_child_by_id(&group_id, child_id);
                    }
                }
                Err(Error::ParallelismReached | Error::MaxDepthExceeded | Error::Requeue) => {
                    if !existed && self.node(&child_name).is_some() {
                        self.add_child(group_name, &child_name);
                    }
                }
                Err(Error::Timeout(message)) => {
                    return Ok(self
                        .mark_phase(group_name, NodePhase::Failed, Some(&message))
                        .unwrap_or(group));
                }
                Err(err) => {
                    self.add_child(group_name, &child_name);
                    let message =
                        format!("step group deemed errored due to child {child_name} error: {err}");
                    return Ok(self.mark_error(group_name, &message).unwrap_or(group));
                }
            }
            child_steps.insert(child_name, (original, Some(step)));
        }

        let group = self.node(group_name).cloned().unwrap_or(group);
        if child_steps
            .values()
            .any(|(original, _)| crate::hooks::has_expression_hooks(&original.hooks))
        {
            let hooked: Vec<(String, &WorkflowStep)> = group
                .children
                .iter()
                .filter_map(|id| Some((id.clone(), child_steps.get(&self.node_by_id(id)?.name)?.0)))
                .collect();
            match self.run_step_hooks(&hooked, &ctx.boundary_id, &ctx.template_scope, &ctx.scope) {
                Ok(true) => {}
                Ok(false) => return Ok(group),
                Err(err) => {
                    return Ok(self
                        .mark_error(group_name, &err.to_string())
                        .unwrap_or(group));
                }
            }
        }
        let mut completed = true;
        for child_id in &group.children {
            let Some(child) = self.node_by_id(child_id) else {
                return Err(Error::msg(format!(
                    "was unable to obtain childNode for {child_id}"
                )));
            };
            if !child.is_fulfilled() {
                completed = false;
                continue;
            }
            if child.phase.is_completed()
                && let Some((original, _)) = child_steps.get(&child.name)
            {
                let hook = exit_hook(&original.on_exit, &original.hooks);
                if hook.is_none() {
                    continue;
                }
                let child = child.clone();
                let mut local = ctx.scope.clone();
                local.insert(
                    format!("steps.{}.status", child.display_name),
                    child.phase.as_str().to_owned(),
                );
                let (has_exit, exit_node) = self.run_on_exit_node(
                    hook,
                    &child,
                    &ctx.boundary_id,
                    &ctx.template_scope,
                    "steps",
                    &original.name,
                    &local,
                )?;
                if has_exit && exit_node.as_ref().is_none_or(|n| !n.is_fulfilled()) {
                    completed = false;
                }
            }
        }
        if !completed {
            if group.is_fulfilled() {
                return Ok(self
                    .mark_phase(group_name, NodePhase::Running, None)
                    .unwrap_or(group));
            }
            return Ok(group);
        }
        for child_id in &group.children {
            let Some(child) = self.node_by_id(child_id) else {
                continue;
            };
            let continues = child_steps.get(&child.name).is_some_and(|(original, _)| {
                continues(original.continue_on.as_ref(), &child.phase)
            });
            if child.is_failed_or_error() && !continues {
                let message = format!("child '{child_id}' failed");
                return Ok(self
                    .mark_phase(group_name, NodePhase::Failed, Some(&message))
                    .unwrap_or(group));
            }
        }
        Ok(self
            .mark_phase(group_name, NodePhase::Succeeded, None)
            .unwrap_or(group))
    }

    /// Resolves the references of a step that has some ([`refers_to_scope`]) against the
    /// steps scope; a step whose `when` is false is returned with only its `when` substituted.
    fn resolve_step(&self, step: &WorkflowStep, scope: &Scope) -> Result<WorkflowStep> {
        let loops = !step.with_items.is_empty()
            || !step.with_param.is_empty()
            || step.with_sequence.is_some();
        if !step.when.is_empty() {
            let when = self.resolve_when(&step.when, scope)?;
            match should_execute(&when) {
                Ok(false) => {
                    let mut skipped = step.clone();
                    skipped.when = when;
                    return Ok(skipped);
                }
                Ok(true) => {}
                Err(err) if !loops => return Err(err),
                Err(_) => {}
            }
        }
        let hooks = step.hooks.clone();
        let mut without_hooks = step.clone();
        without_hooks.hooks.clear();
        let mut resolved = self.resolve_body(
            &without_hooks,
            |s: &mut WorkflowStep| &mut s.arguments,
            scope,
        )?;
        resolved.hooks = hooks;
        Ok(resolved)
    }
}

/// Whether resolving `step` reads the steps scope: a `when`, an artifact `fromExpression` or
/// any `{{...}}` tag.
fn refers_to_scope(step: &WorkflowStep) -> bool {
    !step.when.is_empty()
        || step
            .arguments
            .artifacts
            .iter()
            .any(|a| !a.from_expression.is_empty())
        || crate::tags::contains_tags(step)
}

/// Whether `step` loops (each item is substituted against the steps scope).
fn loops(step: &WorkflowStep) -> bool {
    !step.with_items.is_empty() || !step.with_param.is_empty() || step.with_sequence.is_some()
}

/// The template call a step makes.
pub(crate) fn step_call(step: &WorkflowStep) -> TemplateCall {
    TemplateCall {
        name: step.name.clone(),
        template: step.template.clone(),
        template_ref: step.template_ref.clone(),
        inline: step.inline.clone(),
        caller: Caller::Step,
    }
}
