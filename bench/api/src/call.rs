//! The B6 calls and their shapes on the wire: which workflow a GET reads, which selector a LIST
//! sends, what a CREATE posts, over REST (paths and JSON bodies) and gRPC (hand-written prost
//! messages carrying only the fields used). It knows the wire only, never the project's types.

use serde_json::{Value, json};

pub const NAMESPACE: &str = "argo";
/// The small workflow GetWorkflow reads: two steps, a status of about 2 KiB of JSON.
pub const SMALL: &str = "bench-get";
/// The large workflow GetWorkflow reads: a DAG of 999 tasks, 1,000 nodes in its status.
pub const LARGE: &str = "bench-get-1000";
pub const LARGE_TASKS: usize = 999;
/// The label every ListWorkflows workflow carries, and the page size listed.
pub const LIST_LABEL: &str = "bench-list";
pub const LIST_LIMIT: i64 = 50;

/// Which call is loaded.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Call {
    /// GetWorkflow of the two-step workflow.
    Get,
    /// GetWorkflow of the 1,000-node workflow.
    GetLarge,
    /// ListWorkflows, label selector `bench=bench-list`, limit 50.
    List,
    /// CreateWorkflow of a one-node workflow (a zero-length `suspend`: no pod).
    Create,
}

impl Call {
    pub fn parse(text: &str) -> Result<Self, String> {
        match text {
            "get" => Ok(Self::Get),
            "get-large" => Ok(Self::GetLarge),
            "list" => Ok(Self::List),
            "create" => Ok(Self::Create),
            other => Err(format!(
                "--call: expected get, get-large, list or create, got {other:?}"
            )),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Get => "GetWorkflow",
            Self::GetLarge => "GetWorkflow (1,000 nodes)",
            Self::List => "ListWorkflows",
            Self::Create => "CreateWorkflow",
        }
    }

    pub fn method(self) -> http::Method {
        match self {
            Self::Create => http::Method::POST,
            Self::Get | Self::GetLarge | Self::List => http::Method::GET,
        }
    }

    pub fn rest_path(self) -> String {
        match self {
            Self::Get => format!("/api/v1/workflows/{NAMESPACE}/{SMALL}"),
            Self::GetLarge => format!("/api/v1/workflows/{NAMESPACE}/{LARGE}"),
            Self::List => format!(
                "/api/v1/workflows/{NAMESPACE}?listOptions.labelSelector=bench%3D{LIST_LABEL}\
                 &listOptions.limit={LIST_LIMIT}"
            ),
            Self::Create => format!("/api/v1/workflows/{NAMESPACE}"),
        }
    }

    /// The JSON body a REST call sends (CREATE only).
    pub fn rest_body(self) -> Option<Value> {
        (self == Self::Create).then(|| json!({"workflow": created()}))
    }
}

/// The workflow CREATE posts: one node that finishes at once without a pod.
fn created() -> Value {
    json!({
        "metadata": {"generateName": "b6-create-", "labels": {"bench": "bench-create"}},
        "spec": {"entrypoint": "main", "templates": [
            {"name": "main", "suspend": {"duration": "0"}}
        ]}
    })
}

/// The two-step workflow GET reads (two pods of `echo`).
pub fn small_workflow(name: &str) -> Value {
    json!({"workflow": {
        "metadata": {"name": name, "labels": {"bench": "api"}},
        "spec": {"entrypoint": "main", "templates": [
            {"name": "main", "steps": [[
                {"name": "a", "template": "echo"}, {"name": "b", "template": "echo"}
            ]]},
            {"name": "echo", "container": {"image": "busybox", "command": ["echo", "bench"]}}
        ]}
    }})
}

/// A workflow of `tasks` parallel zero-length `suspend` tasks (no pods): `tasks + 1` nodes.
pub fn suspend_dag(name: &str, label: &str, tasks: usize) -> Value {
    let tasks: Vec<Value> = (0..tasks)
        .map(|i| json!({"name": format!("t{i}"), "template": "done"}))
        .collect();
    json!({"workflow": {
        "metadata": {"name": name, "labels": {"bench": label}},
        "spec": {"entrypoint": "main", "templates": [
            {"name": "main", "dag": {"tasks": tasks}},
            {"name": "done", "suspend": {"duration": "0"}}
        ]}
    }})
}

/// A one-node workflow for the LIST: a zero-length `suspend`, no pod.
pub fn listed_workflow(name: &str) -> Value {
    json!({"workflow": {
        "metadata": {"name": name, "labels": {"bench": LIST_LABEL}},
        "spec": {"entrypoint": "main", "templates": [
            {"name": "main", "suspend": {"duration": "0"}}
        ]}
    }})
}
