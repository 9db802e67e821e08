//! The workflows the benchmarks submit: B3's one-step `/bin/true`, and B8's 10-node workflows
//! that stay running on `sleep`. Each carries the run's label so a list with a label selector
//! finds exactly this run's workflows.

use serde_json::{Value, json};

pub const NAMESPACE: &str = "argo";
pub const LABEL: &str = "bench-run";

/// B3: one container step running `/bin/true`.
pub fn one_step(run_id: &str) -> Value {
    json!({"workflow": {
        "metadata": {"generateName": "b3-", "labels": {LABEL: run_id}},
        "spec": {"entrypoint": "main", "templates": [
            {"name": "main", "container": {"image": "busybox", "command": ["/bin/true"]}}
        ]}
    }})
}

/// How a B8 workflow's 10 nodes (the DAG plus 9 tasks) are running while it is measured.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Shape {
    /// Eight `/bin/true` tasks have succeeded and a ninth, depending on them, sleeps: 10 nodes
    /// in the status, one running pod per workflow.
    OneRunning,
    /// Nine `sleep` tasks run in parallel: 10 nodes, nine running pods per workflow.
    AllRunning,
    /// Like `OneRunning`, but the ninth task is a `suspend` template with a duration (Argo's
    /// own sleep): 10 nodes, no running pod, so large N fits on a small machine.
    Suspended,
    /// Nine `suspend` tasks with a duration wait in parallel: 10 nodes, no pod ever runs, so
    /// N = 10,000 is ready in seconds and the figure is the server's memory alone.
    Paused,
}

impl Shape {
    pub fn parse(text: &str) -> Result<Self, String> {
        match text {
            "one-running" => Ok(Self::OneRunning),
            "all-running" => Ok(Self::AllRunning),
            "suspended" => Ok(Self::Suspended),
            "paused" => Ok(Self::Paused),
            other => Err(format!(
                "--shape: expected one-running, all-running, suspended or paused, got {other:?}"
            )),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::OneRunning => "one-running",
            Self::AllRunning => "all-running",
            Self::Suspended => "suspended",
            Self::Paused => "paused",
        }
    }

    /// Pods that must be running (and pods that must have succeeded) for a workflow to count.
    pub fn expected_pods(self) -> (usize, usize) {
        match self {
            Self::OneRunning => (1, 8),
            Self::AllRunning => (9, 0),
            Self::Suspended => (0, 8),
            Self::Paused => (0, 0),
        }
    }

    /// Suspend nodes that must be running for a workflow to count.
    pub fn expected_suspends(self) -> usize {
        match self {
            Self::Suspended => 1,
            Self::Paused => 9,
            Self::OneRunning | Self::AllRunning => 0,
        }
    }
}

pub const NODES: usize = 10;

/// B8: a DAG of nine tasks (ten nodes with the DAG itself) shaped by `shape`.
pub fn ten_nodes(run_id: &str, shape: Shape, sleep_s: u64) -> Value {
    let sleep = json!({"name": "sleep", "container": {
        "image": "busybox", "command": ["sleep", sleep_s.to_string()]}});
    let pause = json!({"name": "pause", "suspend": {"duration": sleep_s.to_string()}});
    let quick = json!({"name": "quick", "container": {
        "image": "busybox", "command": ["/bin/true"]}});
    let tasks: Vec<Value> = match shape {
        Shape::AllRunning => (0..9)
            .map(|i| json!({"name": format!("t{i}"), "template": "sleep"}))
            .collect(),
        Shape::Paused => (0..9)
            .map(|i| json!({"name": format!("t{i}"), "template": "pause"}))
            .collect(),
        Shape::OneRunning | Shape::Suspended => {
            let names: Vec<String> = (0..8).map(|i| format!("t{i}")).collect();
            let mut tasks: Vec<Value> = names
                .iter()
                .map(|n| json!({"name": n, "template": "quick"}))
                .collect();
            let hold = if shape == Shape::Suspended {
                "pause"
            } else {
                "sleep"
            };
            tasks.push(json!({"name": "hold", "template": hold, "dependencies": names}));
            tasks
        }
    };
    json!({"workflow": {
        "metadata": {"generateName": "b8-", "labels": {LABEL: run_id}},
        "spec": {"entrypoint": "main", "templates": [
            {"name": "main", "dag": {"tasks": tasks}}, sleep, quick, pause
        ]}
    }})
}

/// The list path for this run's workflows, keeping only the given fields.
pub fn list_path(run_id: &str, fields: &str) -> String {
    format!(
        "/api/v1/workflows/{NAMESPACE}?listOptions.labelSelector={LABEL}%3D{run_id}&fields={fields}"
    )
}
