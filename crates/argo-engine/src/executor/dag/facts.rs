//! [`DagFacts`]: what a DAG template's tasks say about each other (the name index, each task's
//! resolved dependencies, which tasks have anything to substitute, whether any loops), derived
//! once per spec and kept in the caller's [`crate::SpecCache`] between reconciles.
//!
//! Must not: look at nodes; everything here follows from the template alone, or from the
//! templates of the spec it was cached with (the daemon candidates).

use std::hash::BuildHasher;
use std::sync::{Arc, OnceLock};

use argo_core::DagTask;
use argo_expr::depends::Depends;
use foldhash::fast::FixedState;
use hashbrown::HashTable;
use hashbrown::hash_table::Entry;

use super::dependencies::unique_names;

/// How a task's `depends` (or `dependencies`) resolved: its dependency names, each once, and
/// its logic; or the error message evaluating it gives.
pub(crate) type Resolution = std::result::Result<(Arc<[String]>, Arc<Depends>), String>;

/// What a DAG template's tasks say about each other. Each fact is derived on first use and
/// then kept, so facts rebuilt for every reconcile (a template substituted per call) cost no
/// more than what the reconcile looks at, and cached ones cost nothing after the first.
/// Every method takes the task list the facts were built from.
#[derive(Debug)]
pub(crate) struct DagFacts {
    /// Positions of the tasks, hashed by name (of a repeated name, the last task's).
    index: HashTable<usize>,
    /// Per task: its resolved dependencies.
    resolutions: Vec<OnceLock<Resolution>>,
    /// Per task: whether it holds a `{{` tag or an artifact `fromExpression`.
    tagged: Vec<OnceLock<bool>>,
    /// The default targets: tasks nothing depends on, sorted, each name once.
    leaves: OnceLock<Vec<String>>,
    /// Positions of the tasks whose template may be a daemon.
    daemon_candidates: OnceLock<Vec<usize>>,
    /// The walk order and dependents, for walks that start from the frontier.
    order: OnceLock<Option<WalkOrder>>,
    /// Whether any task loops (`withItems`, `withParam`, `withSequence`).
    pub loops: bool,
    /// The task count the facts were built from.
    pub task_count: usize,
}

fn hash(name: &str) -> u64 {
    FixedState::default().hash_one(name)
}

impl DagFacts {
    /// Indexes `tasks`; everything else is derived when first asked for.
    pub fn new(tasks: &[DagTask]) -> Self {
        let mut index = HashTable::with_capacity(tasks.len());
        for (i, task) in tasks.iter().enumerate() {
            let entry = index.entry(
                hash(&task.name),
                |&j: &usize| tasks[j].name == task.name,
                |&j: &usize| hash(&tasks[j].name),
            );
            match entry {
                Entry::Occupied(mut found) => *found.get_mut() = i,
                Entry::Vacant(slot) => {
                    slot.insert(i);
                }
            }
        }
        DagFacts {
            index,
            resolutions: std::iter::repeat_with(OnceLock::new)
                .take(tasks.len())
                .collect(),
            tagged: std::iter::repeat_with(OnceLock::new)
                .take(tasks.len())
                .collect(),
            leaves: OnceLock::new(),
            daemon_candidates: OnceLock::new(),
            order: OnceLock::new(),
            loops: tasks.iter().any(|t| {
                !t.with_items.is_empty() || !t.with_param.is_empty() || t.with_sequence.is_some()
            }),
            task_count: tasks.len(),
        }
    }

    /// The position of the task called `name`.
    pub fn position(&self, tasks: &[DagTask], name: &str) -> Option<usize> {
        self.index
            .find(hash(name), |&i| tasks[i].name == name)
            .copied()
    }

    /// The dependencies of the task at `at`.
    pub fn resolution(&self, tasks: &[DagTask], at: usize) -> &Resolution {
        self.resolutions[at].get_or_init(|| self.resolve(tasks, &tasks[at]))
    }

    /// Whether the task at `at` has anything to substitute before it runs.
    pub fn tagged(&self, tasks: &[DagTask], at: usize) -> bool {
        *self.tagged[at].get_or_init(|| {
            let task = &tasks[at];
            crate::tags::contains_tags(task)
                || task
                    .arguments
                    .artifacts
                    .iter()
                    .any(|a| !a.from_expression.is_empty())
        })
    }

    /// Tasks nothing depends on, sorted, each name once. A task whose dependencies cannot be
    /// resolved depends on nothing here (it reports its error when it runs); a name given to
    /// two tasks is depended on when either one is. Plain `dependencies` lists are read as
    /// they are; only `depends` expressions are resolved.
    pub fn leaves(&self, tasks: &[DagTask]) -> &[String] {
        self.leaves.get_or_init(|| {
            let mut depended = vec![false; tasks.len()];
            let mut found = Vec::new();
            for (at, task) in tasks.iter().enumerate() {
                found.clear();
                if task.depends.is_empty() {
                    found.extend(
                        task.dependencies
                            .iter()
                            .map_while(|dep| self.position(tasks, dep)),
                    );
                    if found.len() < task.dependencies.len() {
                        continue;
                    }
                } else if let Ok((names, _)) = self.resolution(tasks, at) {
                    found.extend(names.iter().filter_map(|dep| self.position(tasks, dep)));
                }
                for &i in &found {
                    depended[i] = true;
                }
            }
            let mut leaves: Vec<&str> = tasks
                .iter()
                .filter(|t| self.position(tasks, &t.name).is_some_and(|i| !depended[i]))
                .map(|t| t.name.as_str())
                .collect();
            leaves.sort_unstable();
            leaves.dedup();
            leaves.into_iter().map(str::to_owned).collect()
        })
    }

    /// Positions of the tasks whose template may be a daemon, in task order, asking
    /// `may_daemon` about each task the first time. Its answers must follow from the spec the
    /// facts belong to (cached facts live as long as that spec).
    pub fn daemon_candidates(
        &self,
        tasks: &[DagTask],
        may_daemon: impl FnMut(&DagTask) -> bool,
    ) -> &[usize] {
        let mut may_daemon = may_daemon;
        self.daemon_candidates.get_or_init(|| {
            (0..tasks.len())
                .filter(|&at| may_daemon(&tasks[at]))
                .collect()
        })
    }

    /// The order of a walk from the default targets and each task's dependents, when the
    /// tasks allow a walk from the frontier (see `frontier`): none has hooks, an exit
    /// handler or a loop, every name is unique and every `depends` resolves. None otherwise.
    pub fn walk_order(&self, tasks: &[DagTask]) -> Option<&WalkOrder> {
        self.order
            .get_or_init(|| WalkOrder::new(self, tasks))
            .as_ref()
    }

    /// A task's dependency names and logic, or the message of its unusable `depends`.
    fn resolve(&self, tasks: &[DagTask], task: &DagTask) -> Resolution {
        let logic = if task.depends.is_empty() {
            Depends::from_dependencies(&task.dependencies)
        } else {
            argo_expr::depends::parse(&task.depends)
                .map_err(|err| format!("unable to evaluate expression '{}': {err}", task.depends))?
        };
        let names = unique_names(logic.references());
        if let Some(unknown) = names.iter().find(|n| self.position(tasks, n).is_none()) {
            return Err(format!(
                "unable to evaluate expression '{}': unknown task '{unknown}'",
                task.depends
            ));
        }
        Ok((names.into(), Arc::new(logic)))
    }
}

/// When the walk from the targets (Argo's `executeDAGTask` recursion, dependencies first) would
/// enter and leave each task if no task had a node yet, and which tasks depend on each task.
#[derive(Debug)]
pub(crate) struct WalkOrder {
    /// Per task: its step number on entering.
    pub enter: Vec<u32>,
    /// Per task: its step number on leaving (after all its dependencies).
    pub leave: Vec<u32>,
    /// Per task: positions of the tasks that depend on it.
    pub dependents: Vec<Vec<usize>>,
    /// Per task: positions of its dependencies.
    pub dependencies: Vec<Vec<usize>>,
}

impl WalkOrder {
    fn new(facts: &DagFacts, tasks: &[DagTask]) -> Option<Self> {
        let mut dependencies = Vec::with_capacity(tasks.len());
        for (at, task) in tasks.iter().enumerate() {
            let simple = task.hooks.is_empty()
                && task.on_exit.is_empty()
                && task.with_items.is_empty()
                && task.with_param.is_empty()
                && task.with_sequence.is_none()
                && facts.position(tasks, &task.name) == Some(at);
            let Ok((names, _)) = facts.resolution(tasks, at) else {
                return None;
            };
            if !simple {
                return None;
            }
            let deps: Option<Vec<usize>> = names.iter().map(|n| facts.position(tasks, n)).collect();
            dependencies.push(deps?);
        }
        let mut dependents = vec![Vec::new(); tasks.len()];
        for (at, deps) in dependencies.iter().enumerate() {
            for &dep in deps {
                dependents[dep].push(at);
            }
        }
        let (mut enter, mut leave) = (vec![u32::MAX; tasks.len()], vec![u32::MAX; tasks.len()]);
        let mut step = 0u32;
        // An explicit stack: (task, index of the next dependency to visit).
        let mut stack: Vec<(usize, usize)> = Vec::new();
        for target in facts.leaves(tasks) {
            let at = facts.position(tasks, target)?;
            if enter[at] != u32::MAX {
                continue;
            }
            enter[at] = step;
            step += 1;
            stack.push((at, 0));
            while let Some((task, next)) = stack.last_mut() {
                let task = *task;
                match dependencies[task].get(*next) {
                    Some(&dep) => {
                        *next += 1;
                        if enter[dep] == u32::MAX {
                            enter[dep] = step;
                            step += 1;
                            stack.push((dep, 0));
                        }
                    }
                    None => {
                        leave[task] = step;
                        step += 1;
                        stack.pop();
                    }
                }
            }
        }
        // A task the targets do not reach (a cycle) leaves the walk to the recursion.
        if leave.contains(&u32::MAX) {
            return None;
        }
        Some(WalkOrder {
            enter,
            leave,
            dependents,
            dependencies,
        })
    }
}
