//! DAG templates: task names, `depends`/`dependencies`, ordering and cycles, targets, and the
//! references each task may make — outputs of any task, status and aggregated outputs of its
//! ancestors only, and arguments taken from tasks it actually depends on.
//!
//! Must not: evaluate `depends` expressions; like Argo, only the task names and results in them
//! are read.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use crate::arguments::{Args, check_arguments};
use crate::finding::{Checked, Finding};
use crate::location::Loc;
use crate::manifest::{array, field, object, scalar_text, str};
use crate::names::{NameRule, check_list_names, is_parameter};
use crate::scope::{NodeOutputs, Scope, add_items, add_node_outputs, resolve_all};
use crate::steps::{collapse, has_exit_hook};
use crate::task_order::{
    Dependency, TASK_RESULT, TASK_RESULTS, ancestry, dependencies_of, sort_tasks,
};
use crate::validator::{Holder, Resolved, Validator};

impl Validator<'_> {
    /// Argo's `validateDAG` over the processed template.
    pub fn validate_dag(
        &mut self,
        scope: &mut Scope,
        resolved: &Resolved,
        template: &Value,
    ) -> Checked {
        self.check_non_leaf(resolved, template)?;
        let name = str(template, "name");
        let dag = object(template, "dag");
        let tasks = array(dag, "tasks");
        let tasks_at = |relative: Loc| resolved.loc(&Loc::parse("dag.tasks").join(&relative));
        if tasks.is_empty() {
            return Err(Finding::new(
                format!("templates.{name} must have at least one task"),
                tasks_at(Loc::root()),
            ));
        }
        let using_depends = tasks.iter().any(|t| !str(t, "depends").is_empty());
        let by_name: HashMap<&str, &Value> = tasks.iter().map(|t| (str(t, "name"), t)).collect();
        let index_of: HashMap<&str, usize> = tasks
            .iter()
            .enumerate()
            .map(|(i, t)| (str(t, "name"), i))
            .collect();
        let deps: Vec<Vec<(String, Dependency)>> =
            tasks.iter().map(|t| dependencies_of(t, &by_name)).collect();
        let order = sort_tasks(tasks, &deps).map_err(|failure| {
            Finding::new(
                format!("templates.{name} sorting failed: {}", failure.message),
                tasks_at(failure.at),
            )
        })?;
        if let Err(problem) =
            check_list_names(tasks.iter().map(|t| str(t, "name")), NameRule::Field)
        {
            let mut relative = Loc::root().index(problem.index);
            if problem.on_name {
                relative = relative.key("name");
            }
            return Err(Finding::new(
                format!("templates.{name}.tasks{}", problem.message),
                tasks_at(relative),
            ));
        }
        let mut called: HashMap<usize, Option<Value>> = HashMap::new();
        for &index in &order {
            let task = &tasks[index];
            let task_name = str(task, "name");
            let at = tasks_at(Loc::root().index(index));
            let holder = Holder {
                value: task,
                at: &at,
                local: resolved.local,
            };
            let task_ref = format!("templates.{name}.tasks.{task_name}");
            let uses_dependencies = !array(task, "dependencies").is_empty();
            if (using_depends || uses_dependencies)
                && task_name.starts_with(|c: char| c.is_ascii_digit())
            {
                return Err(Finding::new(
                    format!(
                        "{task_ref} name cannot begin with a digit when using either 'depends' or 'dependencies'"
                    ),
                    holder.loc("name"),
                ));
            }
            if using_depends && uses_dependencies {
                return Err(Finding::new(
                    format!(
                        "templates.{name} cannot use both 'depends' and 'dependencies' in the same DAG template"
                    ),
                    holder.loc("dependencies"),
                ));
            }
            if using_depends && field(task, "continueOn").is_some() {
                return Err(Finding::new(
                    format!(
                        "templates.{name} cannot use 'continueOn' when using 'depends'. Instead use 'dep-task.Failed'/'dep-task.Errored'"
                    ),
                    holder.loc("continueOn"),
                ));
            }
            let base = resolved.base.clone();
            let template_called = self
                .validate_holder(holder, &base, Args::Fake)
                .map_err(|finding| finding.within(&task_ref))?;
            let outputs = NodeOutputs {
                prefix: "tasks",
                name: task_name,
                aggregate: loops(task),
                ancestor: false,
            };
            add_node_outputs(
                template_called.as_ref(),
                outputs,
                scope,
                &mut self.globals,
                &mut self.placeholders,
            );
            called.insert(index, template_called);
            for captures in TASK_RESULT.captures_iter(str(task, "depends")) {
                let (dep, result) = captures[1].split_once('.').unwrap_or((&captures[1], ""));
                if !TASK_RESULTS.contains(&result) {
                    return Err(Finding::new(
                        format!("{task_ref} task result '{result}' for task '{dep}' is invalid"),
                        holder.loc("depends"),
                    ));
                }
            }
            let depends = str(task, "depends");
            if self.ctx.beyond_argo
                && !depends.is_empty()
                && let Err(err) = argo_expr::depends::parse(depends)
            {
                return Err(Finding::new(
                    format!("{task_ref} depends {depends:?} does not parse: {err}"),
                    holder.loc("depends"),
                ));
            }
            for (dep, kind) in &deps[index] {
                let dep_task = by_name.get(dep.as_str()).copied().unwrap_or(&Value::Null);
                let has_items = !array(dep_task, "withItems").is_empty()
                    || !str(dep_task, "withParam").is_empty()
                    || field(dep_task, "withSequence").is_some();
                if *kind == Dependency::Items && !has_items {
                    // Argo names the dependency where the task belongs in this message.
                    return Err(Finding::new(
                        format!(
                            "templates.{name}.tasks.{dep} dependency '{dep}' uses an items-based condition such as .AnySucceeded or .AllFailed but does not contain any items"
                        ),
                        holder.loc("depends"),
                    ));
                }
            }
        }
        let target = str(dag, "target");
        resolve_all(
            scope,
            &self.globals,
            &Value::String(target.to_owned()),
            self.mode.template_validation,
        )
        .map_err(|u| {
            Finding::new(
                format!("templates.{name}.targets {}", u.message),
                resolved.loc(&Loc::parse("dag.target")),
            )
        })?;
        if !target.is_empty() {
            for wanted in target.split(' ') {
                if !is_parameter(wanted) && !by_name.contains_key(wanted) {
                    return Err(Finding::new(
                        format!("templates.{name}.targets: target '{wanted}' is not defined"),
                        resolved.loc(&Loc::parse("dag.target")),
                    ));
                }
            }
        }
        for &index in &order {
            self.validate_task_references(
                scope, resolved, template, index, &deps, &index_of, &called,
            )?;
        }
        Ok(())
    }

    /// The second pass over one task: its references, arguments and the template it calls.
    #[allow(clippy::too_many_arguments)]
    fn validate_task_references(
        &mut self,
        scope: &mut Scope,
        resolved: &Resolved,
        template: &Value,
        index: usize,
        deps: &[Vec<(String, Dependency)>],
        index_of: &HashMap<&str, usize>,
        called: &HashMap<usize, Option<Value>>,
    ) -> Checked {
        let name = str(template, "name");
        let tasks = array(object(template, "dag"), "tasks");
        let task = &tasks[index];
        let task_name = str(task, "name");
        let task_ref = format!("templates.{name}.tasks.{task_name}");
        let at = resolved.loc(&Loc::parse("dag.tasks").index(index));
        let holder = Holder {
            value: task,
            at: &at,
            local: resolved.local,
        };
        let template_called = called.get(&index).and_then(Option::as_ref);
        if field(task, "hooks").is_some() {
            scope.add(format!("tasks.{task_name}.status"));
        }
        let own = NodeOutputs {
            prefix: "tasks",
            name: task_name,
            aggregate: false,
            ancestor: false,
        };
        add_node_outputs(
            template_called,
            own,
            scope,
            &mut self.globals,
            &mut self.placeholders,
        );
        if has_exit_hook(task) {
            add_node_outputs(
                template_called,
                own,
                scope,
                &mut self.globals,
                &mut self.placeholders,
            );
        }
        // The task's own names go in a layer of the template's scope, taken out again below:
        // copying the scope for each task made a DAG of N tasks cost N squared.
        scope.begin_layer();
        let mut ancestor_names = HashSet::new();
        let layered = (|| -> Checked {
            let ancestors = ancestry(index, deps, index_of);
            for &ancestor in &ancestors {
                let ancestor_task = &tasks[ancestor];
                let ancestor_name = str(ancestor_task, "name");
                ancestor_names.insert(ancestor_name);
                let outputs = NodeOutputs {
                    prefix: "tasks",
                    name: ancestor_name,
                    aggregate: loops(ancestor_task),
                    ancestor: true,
                };
                let ancestor_template = called.get(&ancestor).and_then(Option::as_ref);
                add_node_outputs(
                    ancestor_template,
                    outputs,
                    &mut *scope,
                    &mut self.globals,
                    &mut self.placeholders,
                );
            }
            if let Some(inline) = field(task, "inline") {
                for param in array(object(inline, "inputs"), "parameters") {
                    scope.add(format!("inputs.parameters.{}", str(param, "name")));
                }
            }
            add_items(task, &mut *scope).map_err(|(message, key)| {
                let loc = key.map_or_else(|| at.clone(), |key| holder.loc(key));
                Finding::new(format!("{task_ref} {message}"), loc)
            })?;
            resolve_all(scope, &self.globals, task, self.mode.template_validation).map_err(
                |u| {
                    let loc = if resolved.local {
                        at.join(&u.at)
                    } else {
                        at.clone()
                    };
                    Finding::new(format!("{task_ref} {}", u.message), loc)
                },
            )?;
            Ok(())
        })();
        scope.end_layer();
        layered?;
        let arguments = object(task, "arguments");
        check_arguments(
            &format!("{task_ref}.arguments."),
            arguments,
            &holder.loc("arguments"),
            false,
        )
        .map_err(|finding| collapse(finding, resolved.local, &at))?;
        check_argument_dependencies(arguments, &ancestor_names).map_err(
            |(message, relative)| {
                let loc = if resolved.local {
                    at.key("arguments").join(&relative)
                } else {
                    at.clone()
                };
                Finding::new(format!("{task_ref} {message}"), loc)
            },
        )?;
        let base = resolved.base.clone();
        let arguments_at = holder.loc("arguments");
        self.validate_holder(holder, &base, Args::Actual(arguments, Some(&arguments_at)))
            .map_err(|finding| finding.within(&task_ref))?;
        Ok(())
    }
}

/// Whether a task loops with aggregated outputs.
fn loops(task: &Value) -> bool {
    !array(task, "withItems").is_empty() || !str(task, "withParam").is_empty()
}

/// Arguments that start with a `{{tasks.X...}}` reference must depend on X.
fn check_argument_dependencies(
    arguments: &Value,
    ancestors: &HashSet<&str>,
) -> Result<(), (String, Loc)> {
    for (index, param) in array(arguments, "parameters").iter().enumerate() {
        let value = field(param, "value").map(scalar_text).unwrap_or_default();
        if let Some(referenced) = referenced_task(&value)
            && !ancestors.contains(referenced)
        {
            return Err((
                format!(
                    "missing dependency '{referenced}' for parameter '{}'",
                    str(param, "name")
                ),
                Loc::root().key("parameters").index(index).key("value"),
            ));
        }
    }
    for (index, artifact) in array(arguments, "artifacts").iter().enumerate() {
        if let Some(referenced) = referenced_task(str(artifact, "from"))
            && !ancestors.contains(referenced)
        {
            return Err((
                format!(
                    "missing dependency '{referenced}' for artifact '{}'",
                    str(artifact, "name")
                ),
                Loc::root().key("artifacts").index(index).key("from"),
            ));
        }
    }
    Ok(())
}

fn referenced_task(value: &str) -> Option<&str> {
    if !value.starts_with("{{tasks.") {
        return None;
    }
    value.split('.').nth(1)
}
