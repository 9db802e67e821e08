//! The order of DAG tasks as Argo reads it: the task names and results a `depends` or
//! `dependencies` mentions, a topological order, ancestry, and cycle search (also used for
//! container sets).
//!
//! Must not: evaluate `depends` expressions or check task contents.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

use crate::location::Loc;
use crate::manifest::{array, object, str};

static TASK_REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([a-zA-Z0-9][-a-zA-Z0-9]*?\.[A-Z][a-zA-Z]+)|([a-zA-Z0-9][-a-zA-Z0-9]*)")
        .expect("static regex")
});
pub static TASK_RESULT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([a-zA-Z0-9][-a-zA-Z0-9]*?\.[A-Z][a-zA-Z]+)").expect("static regex")
});

pub const TASK_RESULTS: [&str; 8] = [
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
pub enum Dependency {
    /// On the task's own result.
    Task,
    /// On the results of its loop items (`.AnySucceeded`, `.AllFailed`).
    Items,
}

/// The tasks a task depends on, read from `depends` or `dependencies` like Argo reads them.
pub fn dependencies_of(task: &Value, tasks: &HashMap<&str, &Value>) -> Vec<(String, Dependency)> {
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
pub struct SortFailure {
    /// Argo's message.
    pub message: String,
    /// Location relative to the task list.
    pub at: Loc,
}

/// Orders tasks so dependencies come first, as Argo's topological sort does.
pub fn sort_tasks(
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
pub fn ancestry(
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
