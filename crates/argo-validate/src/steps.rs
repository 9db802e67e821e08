//! Steps templates: step names, loops, arguments, hooks and the references each step may make
//! — the outputs of steps already walked, its own loop item, the template's inputs and globals.
//!
//! Must not: check the templates steps call beyond handing them to the validator.

use std::collections::HashSet;

use serde_json::Value;

use crate::arguments::{Args, check_arguments};
use crate::finding::{Checked, Finding};
use crate::location::Loc;
use crate::manifest::{array, field, object, str};
use crate::names::step_name_problems;
use crate::scope::{NodeOutputs, Scope, add_items, add_node_outputs, resolve_all};
use crate::validator::{Holder, Resolved, Validator};

/// Whether a step or task has an exit hook (`onExit` or a hook named `exit`).
pub fn has_exit_hook(node: &Value) -> bool {
    !str(node, "onExit").is_empty() || field(object(node, "hooks"), "exit").is_some()
}

/// Hooks other than `exit` need an expression.
pub fn check_hooks(hooks: &Value, prefix: &str, at: &Loc, local: bool) -> Checked {
    let Value::Object(map) = hooks else {
        return Ok(());
    };
    for (hook_name, hook) in map {
        if hook_name != "exit" && str(hook, "expression").is_empty() {
            let loc = if local { at.key(hook_name) } else { at.clone() };
            return Err(Finding::new(
                format!("{prefix}.{hook_name} Expression required"),
                loc,
            ));
        }
    }
    Ok(())
}

/// A finding whose location points inside a holder that is not in the linted document is
/// moved to the holder itself.
pub fn collapse(finding: Finding, local: bool, at: &Loc) -> Finding {
    if local {
        finding
    } else {
        Finding::new(finding.message, at.clone())
    }
}

/// The steps of one parallel group.
fn group_steps(group: &Value) -> &[Value] {
    match group {
        Value::Array(steps) => steps,
        other => array(other, "steps"),
    }
}

impl Validator<'_> {
    /// Rejects fields only leaf templates may have.
    pub fn check_non_leaf(&self, resolved: &Resolved, template: &Value) -> Checked {
        if field(template, "activeDeadlineSeconds").is_some() {
            return Err(Finding::new(
                format!(
                    "templates.{}.activeDeadlineSeconds is only valid for leaf templates",
                    str(template, "name")
                ),
                resolved.loc(&Loc::root().key("activeDeadlineSeconds")),
            ));
        }
        Ok(())
    }

    /// Argo's `validateSteps` over the processed template.
    pub fn validate_steps(
        &mut self,
        scope: &mut Scope,
        resolved: &Resolved,
        template: &Value,
    ) -> Checked {
        self.check_non_leaf(resolved, template)?;
        let name = str(template, "name");
        let mut names = HashSet::new();
        for (group_index, group) in array(template, "steps").iter().enumerate() {
            for (step_index, step) in group_steps(group).iter().enumerate() {
                let at = resolved.loc(
                    &Loc::root()
                        .key("steps")
                        .index(group_index)
                        .index(step_index),
                );
                let holder = Holder {
                    value: step,
                    at: &at,
                    local: resolved.local,
                };
                let step_name = str(step, "name");
                let group_ref = format!("templates.{name}.steps[{group_index}]");
                if step_name.is_empty() {
                    return Err(Finding::new(format!("{group_ref}.name is required"), at));
                }
                if !names.insert(step_name) {
                    return Err(Finding::new(
                        format!("{group_ref}.name '{step_name}' is not unique"),
                        holder.loc("name"),
                    ));
                }
                let problems = step_name_problems(step_name);
                if !problems.is_empty() {
                    return Err(Finding::new(
                        format!(
                            "{group_ref}.name '{step_name}' is invalid: {}",
                            problems.join(";")
                        ),
                        holder.loc("name"),
                    ));
                }
                let step_ref = format!("{group_ref}.{step_name}");
                scope.add(format!("steps.{step_name}.status"));
                add_items(step, scope).map_err(|(message, key)| {
                    let loc = key.map_or_else(|| at.clone(), |key| holder.loc(key));
                    Finding::new(format!("{step_ref} {message}"), loc)
                })?;
                let arguments = object(step, "arguments");
                check_arguments(
                    &format!("{step_ref}.arguments."),
                    arguments,
                    &holder.loc("arguments"),
                    false,
                )
                .map_err(|finding| collapse(finding, resolved.local, &at))?;
                let base = resolved.base.clone();
                let called = self
                    .validate_holder(holder, &base, Args::Fake)
                    .map_err(|finding| finding.within(&step_ref))?;
                let mut outputs = NodeOutputs {
                    prefix: "steps",
                    name: step_name,
                    aggregate: false,
                    ancestor: false,
                };
                if has_exit_hook(step) {
                    add_node_outputs(
                        called.as_ref(),
                        outputs,
                        scope,
                        &mut self.globals,
                        &mut self.placeholders,
                    );
                }
                check_hooks(
                    object(step, "hooks"),
                    &step_ref,
                    &holder.loc("hooks"),
                    resolved.local,
                )?;
                let mut step_scope = scope.clone();
                if let Some(inline) = field(step, "inline") {
                    for param in array(object(inline, "inputs"), "parameters") {
                        step_scope.add(format!("inputs.parameters.{}", str(param, "name")));
                    }
                }
                resolve_all(
                    &step_scope,
                    &self.globals,
                    step,
                    self.mode.template_validation,
                )
                .map_err(|u| {
                    let loc = if resolved.local {
                        at.join(&u.at)
                    } else {
                        at.clone()
                    };
                    Finding::new(format!("templates.{name}.steps {}", u.message), loc)
                })?;
                outputs.aggregate =
                    !array(step, "withItems").is_empty() || !str(step, "withParam").is_empty();
                add_node_outputs(
                    called.as_ref(),
                    outputs,
                    scope,
                    &mut self.globals,
                    &mut self.placeholders,
                );
                let arguments_at = holder.loc("arguments");
                self.validate_holder(holder, &base, Args::Actual(arguments, Some(&arguments_at)))
                    .map_err(|finding| finding.within(&step_ref))?;
            }
        }
        Ok(())
    }
}
