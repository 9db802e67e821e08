//! DAG templates: task names, `depends`/`dependencies`, ordering and cycles, targets, and the
//! references each task may make — outputs of any task, status and aggregated outputs of its
//! ancestors only, and arguments taken from tasks it actually depends on.
//!
//! Must not: evaluate `depends` expressions; like Argo, only the task names and results in them
//! are read.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

use crate::arguments::{Args, check_arguments};
use crate::finding::{Checked, Finding};
use crate::location::Loc;
use crate::manifest::{array, field, object, scalar_text, str};
use crate::names::{NameRule, check_list_names, is_parameter};
use crate::scope::{NodeOutputs, Scope, add_items, add_node_outputs, resolve_all};
use crate::steps::{collapse, has_exit_hook};
use crate::validator::{Holder, Resolved, Validator};

static TASK_REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([a-zA-Z0-9][-a-zA-Z0-9]*?\.[A-Z][a-zA-Z]+)|([a-zA-Z0-9][-a-zA-Z0-9]*)")
        .expect("static regex")
});
static TASK_RESULT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([a-zA-Z0-9][-a-zA-Z0-9]*?\.[A-Z][a-zA-Z]+)").expect("static regex")
});

const TASK_RESULTS: [&str; 8] = [
    "Succeeded",
    "Failed",
    "Errored",
    "Skipped",
    "Omitted",
    "Daemoned",
    "AnySucceeded",
    "AllFailed",
];

/// How a task depends on another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dependency {
    /// On the task's own result.
    Task,
    /// On the results of its loop items (`.AnySucceeded`, `.AllFailed`).
    Items,
}

/// The tasks a task depends on, read from `depends` or `dependencies` like Argo reads them.
fn dependencies_of(task: &Value, tasks: &HashMap<&str, &Value>) -> Vec<(String, Dependency)> {
    let depends = str(task, "depends");
    let logic = if depends.is_empty() {
        array(task, "dependencies")
            .iter()
            .map(|dep| {
                let dep = dep.as_str().unwrap_or("");
                let continue_on = tasks
                    .get(dep)
                    .map_or(&Value::Null, |t| object(t, "continueOn"));
                let mut results = vec!["Succeeded", "Skipped", "Daemoned"];
                if crate::manifest::flag(continue_on, "error") {
                    results.push("Errored");
                }
                if crate::manifest::flag(continue_on, "failed") {
                    results.push("Failed");
                }
                let alternatives: Vec<String> =
                    results.iter().map(|r| format!("{dep}.{r}")).collect();
                format!("({})", alternatives.join(" || "))
            })
            .collect::<Vec<_>>()
            .join(" && ")
    } else {
        depends.to_owned()
    };
    let mut found: Vec<(String, Dependency)> = Vec::new();
    let mut set = |name: &str, kind: Dependency, overwrite: bool| match found
        .iter_mut()
        .find(|(n, _)| n == name)
    {
        Some(entry) if overwrite => entry.1 = kind,
        Some(_) => {}
        None => found.push((name.to_owned(), kind)),
    };
    for captures in TASK_REFERENCE.captures_iter(&logic) {
        if let Some(with_result) = captures.get(1) {
            let (name, result) = with_result
                .as_str()
                .split_once('.')
                .unwrap_or((with_result.as_str(), ""));
            if result == "AnySucceeded" || result == "AllFailed" {
                set(name, Dependency::Items, true);
            } else {
                set(name, Dependency::Task, false);
            }
        } else if let Some(bare) = captures.get(2) {
            set(bare.as_str(), Dependency::Task, true);
        }
    }
    found
}

/// A cycle in a dependency graph as `a->b->a`, found the way Argo searches (names sorted).
pub fn find_cycle(graph: &[(String, Vec<String>)]) -> Option<String> {
    let edges: HashMap<&str, Vec<&str>> = graph
        .iter()
        .map(|(name, deps)| (name.as_str(), deps.iter().map(String::as_str).collect()))
        .collect();
    let mut names: Vec<&str> = edges.keys().copied().collect();
    names.sort_unstable();
    let mut visited = HashSet::new();
    fn walk<'a>(
        node: &'a str,
        path: &mut Vec<&'a str>,
        edges: &HashMap<&'a str, Vec<&'a str>>,
        visited: &mut HashSet<&'a str>,
    ) -> Option<String> {
        if visited.contains(node) || path.len() > edges.len() + 1 {
            return None;
        }
        let deps = edges.get(node)?;
        for dep in deps {
            if path.contains(dep) {
                return Some(format!("{}->{dep}", path.join("->")));
            }
            path.push(dep);
            if let Some(cycle) = walk(dep, path, edges, visited) {
                return Some(cycle);
            }
            path.pop();
        }
        visited.insert(node);
        None
    }
    names
        .into_iter()
        .find_map(|name| walk(name, &mut Vec::new(), &edges, &mut visited))
}

/// Why ordering the tasks failed, with the offending task index and field.
struct SortFailure {
    message: String,
    at: Loc,
}

/// Orders tasks so dependencies come first, as Argo's topological sort does.
fn sort_tasks(
    tasks: &[Value],
    deps: &[Vec<(String, Dependency)>],
) -> Result<Vec<usize>, SortFailure> {
    let mut index_of: HashMap<&str, usize> = HashMap::new();
    for (index, task) in tasks.iter().enumerate() {
        let name = str(task, "name");
        if index_of.insert(name, index).is_some() {
            return Err(SortFailure {
                message: format!("duplicated nodeName {name}"),
                at: Loc::root().index(index).key("name"),
            });
        }
    }
    let mut waiting: Vec<usize> = deps.iter().map(Vec::len).collect();
    let mut next: Vec<Vec<usize>> = vec![Vec::new(); tasks.len()];
    for (index, task_deps) in deps.iter().enumerate() {
        for (dep, _) in task_deps {
            let Some(&dep_index) = index_of.get(dep.as_str()) else {
                let field = if str(&tasks[index], "depends").is_empty() {
                    "dependencies"
                } else {
                    "depends"
                };
                return Err(SortFailure {
                    message: format!("invalid dependency {dep}"),
                    at: Loc::root().index(index).key(field),
                });
            };
            next[dep_index].push(index);
        }
    }
    let mut queue: VecDeque<usize> = (0..tasks.len()).filter(|&i| waiting[i] == 0).collect();
    let mut order = Vec::with_capacity(tasks.len());
    while let Some(current) = queue.pop_front() {
        order.push(current);
        for &follower in &next[current] {
            if waiting[follower] > 0 {
                waiting[follower] -= 1;
                if waiting[follower] == 0 {
                    queue.push_back(follower);
                }
            }
        }
    }
    if order.len() < tasks.len() {
        return Err(SortFailure {
            message: "graph with cycle".to_owned(),
            at: Loc::root(),
        });
    }
    Ok(order)
}

/// Every task a task transitively depends on.
fn ancestry(
    start: usize,
    deps: &[Vec<(String, Dependency)>],
    index_of: &HashMap<&str, usize>,
) -> Vec<usize> {
    let mut seen = HashSet::new();
    let mut stack = vec![start];
    while let Some(current) = stack.pop() {
        for (dep, _) in &deps[current] {
            if let Some(&dep_index) = index_of.get(dep.as_str())
                && dep_index != start
                && seen.insert(dep_index)
            {
                stack.push(dep_index);
            }
        }
    }
    let mut out: Vec<usize> = seen.into_iter().collect();
    out.sort_unstable();
    out
}

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
        let mut task_scope = scope.clone();
        let ancestors = ancestry(index, deps, index_of);
        let mut ancestor_names = HashSet::new();
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
                &mut task_scope,
                &mut self.globals,
                &mut self.placeholders,
            );
        }
        if let Some(inline) = field(task, "inline") {
            for param in array(object(inline, "inputs"), "parameters") {
                task_scope.add(format!("inputs.parameters.{}", str(param, "name")));
            }
        }
        add_items(task, &mut task_scope).map_err(|(message, key)| {
            let loc = key.map_or_else(|| at.clone(), |key| holder.loc(key));
            Finding::new(format!("{task_ref} {message}"), loc)
        })?;
        resolve_all(
            &task_scope,
            &self.globals,
            task,
            self.mode.template_validation,
        )
        .map_err(|u| {
            let loc = if resolved.local {
                at.join(&u.at)
            } else {
                at.clone()
            };
            Finding::new(format!("{task_ref} {}", u.message), loc)
        })?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn depends_expressions_yield_task_names_and_item_conditions() {
        let task = json!({"depends": "(a.Succeeded || b) && c.AnySucceeded"});
        let deps = dependencies_of(&task, &HashMap::new());
        assert_eq!(
            deps,
            vec![
                ("a".to_owned(), Dependency::Task),
                ("b".to_owned(), Dependency::Task),
                ("c".to_owned(), Dependency::Items)
            ]
        );
    }

    #[test]
    fn cycles_are_reported_in_argo_order() {
        let graph = vec![
            ("a".to_owned(), vec!["b".to_owned()]),
            ("b".to_owned(), vec!["a".to_owned()]),
        ];
        assert_eq!(find_cycle(&graph).as_deref(), Some("b->a->b"));
    }

    #[test]
    fn sorting_puts_dependencies_first() {
        let tasks = vec![json!({"name": "b", "depends": "a"}), json!({"name": "a"})];
        let deps: Vec<_> = tasks
            .iter()
            .map(|t| dependencies_of(t, &HashMap::new()))
            .collect();
        assert_eq!(sort_tasks(&tasks, &deps).ok(), Some(vec![1, 0]));
    }
}
