//! [`DagFacts`]: what a DAG template's tasks say about each other (the name index, each task's
//! resolved dependencies, which tasks have anything to substitute, whether any loops), derived
//! once per spec and kept in the caller's [`crate::SpecCache`] between reconciles.
//!
//! Must not: look at nodes; everything here follows from the template alone.

use std::collections::HashMap;
use std::sync::Arc;

use argo_core::{DagTask, DagTemplate};
use argo_expr::depends::Depends;

use super::dependencies::unique_names;

/// How a task's `depends` (or `dependencies`) resolved: its dependency names, each once, and
/// its logic; or the error message evaluating it gives.
/// Task names to positions. Fixed-seed foldhash: built from every task once per spec, and
/// looked up for every task visited.
pub(crate) type TaskIndex = HashMap<String, usize, foldhash::fast::FixedState>;

pub(crate) type Resolution = std::result::Result<(Arc<[String]>, Arc<Depends>), String>;

/// What a DAG template's tasks say about each other, derived once per spec.
#[derive(Debug)]
pub(crate) struct DagFacts {
    /// Task name to position (of a repeated name, the last task's).
    pub index: TaskIndex,
    /// Per task: its resolved dependencies.
    pub resolutions: Vec<Resolution>,
    /// Per task: whether it holds a `{{` tag or an artifact `fromExpression`.
    pub tagged: Vec<bool>,
    /// The default targets: tasks nothing depends on, sorted, each name once.
    pub leaves: Vec<String>,
    /// Whether any task loops (`withItems`, `withParam`, `withSequence`).
    pub loops: bool,
    /// The task count the facts were built from, checked on every use.
    pub task_count: usize,
}

impl DagFacts {
    /// Derives the facts of `dag`'s tasks.
    pub fn new(dag: &DagTemplate) -> Self {
        let tasks = &dag.tasks;
        let mut index = HashMap::with_capacity_and_hasher(tasks.len(), Default::default());
        // Later tasks overwrite earlier ones of the same name, as collecting into a map does.
        index.extend(tasks.iter().enumerate().map(|(i, t)| (t.name.clone(), i)));
        let resolutions: Vec<Resolution> = tasks.iter().map(|t| resolve(t, &index)).collect();
        let leaves = leaves(dag, &index, &resolutions);
        let tagged = tasks.iter().map(task_is_tagged).collect();
        let loops = tasks.iter().any(|t| {
            !t.with_items.is_empty() || !t.with_param.is_empty() || t.with_sequence.is_some()
        });
        DagFacts {
            index,
            resolutions,
            tagged,
            leaves,
            loops,
            task_count: tasks.len(),
        }
    }

    /// The position of the task called `name`.
    pub fn position(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }
}

/// Whether a task has anything to substitute before it runs.
fn task_is_tagged(task: &DagTask) -> bool {
    crate::tags::contains_tags(task)
        || task
            .arguments
            .artifacts
            .iter()
            .any(|a| !a.from_expression.is_empty())
}

/// A task's dependency names and logic, or the message of its unusable `depends`.
fn resolve(task: &DagTask, index: &TaskIndex) -> Resolution {
    let logic = if task.depends.is_empty() {
        Depends::from_dependencies(&task.dependencies)
    } else {
        argo_expr::depends::parse(&task.depends)
            .map_err(|err| format!("unable to evaluate expression '{}': {err}", task.depends))?
    };
    let names = unique_names(logic.references());
    if let Some(unknown) = names.iter().find(|n| !index.contains_key(n.as_str())) {
        return Err(format!(
            "unable to evaluate expression '{}': unknown task '{unknown}'",
            task.depends
        ));
    }
    Ok((names.into(), Arc::new(logic)))
}

/// Tasks nothing depends on, sorted, each name once. A task whose dependencies cannot be
/// resolved depends on nothing here (it reports its error when it runs); a name given to two
/// tasks is depended on when either one is.
fn leaves(dag: &DagTemplate, index: &TaskIndex, resolutions: &[Resolution]) -> Vec<String> {
    let mut depended = vec![false; dag.tasks.len()];
    for (names, _) in resolutions.iter().flatten() {
        for name in names.iter() {
            if let Some(&i) = index.get(name.as_str()) {
                depended[i] = true;
            }
        }
    }
    let mut leaves: Vec<&str> = dag
        .tasks
        .iter()
        .filter(|t| index.get(t.name.as_str()).is_some_and(|&i| !depended[i]))
        .map(|t| t.name.as_str())
        .collect();
    leaves.sort_unstable();
    leaves.dedup();
    leaves.into_iter().map(str::to_owned).collect()
}
