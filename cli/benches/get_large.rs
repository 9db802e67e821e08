//! How long `argo get` takes to lay out a 5,000-node workflow (one DAG fanning out to 5,000
//! pods, a quarter still running): the header, the tree and the aligned columns.
//! Run with `cargo bench -p cli --bench get_large`; prints the median of several runs.
//! A benchmark, not a test: nothing here asserts a time.

use std::time::Instant;

use argo_engine::operations::NodeSelector;
use cli::output::style::Style;
use cli::output::tree::{TreeColumns, TreeOptions};
use cli::output::workflow::describe;
use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde_json::{Map, Value as Json, json};

const NODES: usize = 5_000;
const RUNS: usize = 7;

fn large_workflow() -> argo_core::Workflow {
    let mut nodes = Map::new();
    let children: Vec<String> = (0..NODES).map(|i| format!("big-{i}")).collect();
    nodes.insert(
        "big".into(),
        json!({"id": "big", "name": "big", "displayName": "big", "type": "DAG",
               "templateName": "main", "phase": "Running",
               "startedAt": "2026-11-22T06:00:00Z", "children": children}),
    );
    for i in 0..NODES {
        let running = i % 4 == 0;
        let mut node = json!({
            "id": format!("big-{i}"), "name": format!("big.task({i}:item-{i})"),
            "displayName": format!("task({i}:item-{i})"), "type": "Pod",
            "templateName": "work", "boundaryID": "big",
            "phase": if running { "Running" } else { "Succeeded" },
            "startedAt": format!("2026-11-22T06:{:02}:{:02}Z", (i / 60) % 60, i % 60),
        });
        if !running {
            node["finishedAt"] = json!("2026-11-22T07:00:00Z");
        }
        nodes.insert(format!("big-{i}"), node);
    }
    let workflow = json!({
        "metadata": {"name": "big", "namespace": "argo", "creationTimestamp": "2026-11-22T06:00:00Z"},
        "spec": {"entrypoint": "main"},
        "status": {"phase": "Running", "startedAt": "2026-11-22T06:00:00Z", "nodes": Json::Object(nodes)}
    });
    serde_json::from_value(workflow).expect("the generated workflow is valid")
}

fn main() {
    let workflow = large_workflow();
    let options = TreeOptions {
        columns: TreeColumns::Default,
        selector: None::<NodeSelector>,
        style: Style::PLAIN,
        now: "2026-11-22T07:30:00Z".parse::<Timestamp>().expect("time"),
    };
    let mut times = Vec::new();
    let mut lines = 0;
    for _ in 0..RUNS {
        let start = Instant::now();
        let text = describe(&workflow, &options, &TimeZone::UTC);
        times.push(start.elapsed());
        lines = text.lines().count();
    }
    times.sort();
    println!(
        "argo get, {NODES} nodes ({lines} lines): median {:.1} ms, best {:.1} ms over {RUNS} runs",
        times[RUNS / 2].as_secs_f64() * 1000.0,
        times[0].as_secs_f64() * 1000.0
    );
}
