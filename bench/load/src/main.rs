//! `bench-load`: B3 and B8 against a running `argo server` on loopback.
//!
//! - `b3`: submits N one-step `/bin/true` workflows over C connections, then polls the list
//!   (label selector of the run) until every one has finished; prints submit p50/p99 and
//!   completed workflows per second.
//! - `b8`: submits N ten-node `sleep` workflows and waits until each has its pods running;
//!   prints when they are ready and leaves them running (the driver then reads the server's
//!   memory), and `terminate` ends this run's workflows.
//!
//! It prints figures as JSON lines and asserts nothing about them; it only talks to the server
//! over HTTP (no project crate), so it measures what a client sees.

mod client;
mod poll;
mod submit;
mod workload;

use std::process::ExitCode;

use serde_json::json;

use crate::submit::percentile;
use crate::workload::Shape;

const USAGE: &str = "usage:
  bench-load b3 --port P --run-id ID [--count 10000] [--connections 16] [--timeout 600]
  bench-load b8 --port P --run-id ID [--count 1000] [--connections 16] [--shape one-running|all-running|suspended|paused]
                [--sleep 900] [--timeout 900]
  bench-load terminate --port P --run-id ID [--connections 16] [--timeout 300]";

struct Args(Vec<String>);

impl Args {
    fn value(&self, name: &str) -> Option<&str> {
        let at = self.0.iter().position(|a| a == name)?;
        self.0.get(at + 1).map(String::as_str)
    }

    fn number<T: std::str::FromStr>(&self, name: &str, default: T) -> Result<T, String> {
        match self.value(name) {
            None => Ok(default),
            Some(text) => text
                .parse()
                .map_err(|_| format!("{name}: expected a number, got {text:?}")),
        }
    }

    fn required(&self, name: &str) -> Result<&str, String> {
        self.value(name)
            .ok_or_else(|| format!("{name} is required\n{USAGE}"))
    }
}

fn main() -> ExitCode {
    let args = Args(std::env::args().skip(1).collect());
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("bench-load: runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(&args)) {
        Ok(report) => {
            println!("{report}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("bench-load: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: &Args) -> Result<serde_json::Value, String> {
    let port: u16 = args
        .required("--port")?
        .parse()
        .map_err(|_| "--port: expected a port number".to_owned())?;
    let run_id = args.required("--run-id")?;
    if run_id.is_empty()
        || !run_id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err(format!(
            "--run-id: letters, digits and '-' only, got {run_id:?}"
        ));
    }
    let connections: usize = args.number("--connections", 16)?;
    match args.0.first().map(String::as_str) {
        Some("b3") => {
            let count: usize = args.number("--count", 10_000)?;
            let timeout = args.number("--timeout", 600)?;
            b3(port, run_id, count, connections, timeout).await
        }
        Some("b8") => {
            let count: usize = args.number("--count", 1_000)?;
            let shape = Shape::parse(args.value("--shape").unwrap_or("one-running"))?;
            let sleep_s = args.number("--sleep", 900)?;
            let timeout = args.number("--timeout", 900)?;
            b8(port, run_id, count, connections, shape, sleep_s, timeout).await
        }
        Some("terminate") => {
            let timeout = args.number("--timeout", 300)?;
            poll::terminate(port, run_id, connections, timeout).await
        }
        _ => Err(USAGE.to_owned()),
    }
}

async fn b3(
    port: u16,
    run_id: &str,
    count: usize,
    connections: usize,
    timeout_s: u64,
) -> Result<serde_json::Value, String> {
    let started = std::time::Instant::now();
    let submitted = submit::submit(port, count, connections, workload::one_step(run_id)).await?;
    let done = poll::until_finished(port, run_id, count, started, timeout_s).await?;
    let lat = &submitted.latencies_ms;
    Ok(json!({
        "bench": "B3", "count": count, "connections": connections,
        "submit_wall_s": submitted.wall_s,
        "submit_per_s": count as f64 / submitted.wall_s,
        "submit_p50_ms": percentile(lat, 50.0), "submit_p99_ms": percentile(lat, 99.0),
        "submit_max_ms": percentile(lat, 100.0),
        "completed_wall_s": done.wall_s,
        "completed_per_s": done.succeeded as f64 / done.wall_s,
        "succeeded": done.succeeded, "failed": done.failed,
        "poll_resolution_ms": done.resolution_ms,
    }))
}

async fn b8(
    port: u16,
    run_id: &str,
    count: usize,
    connections: usize,
    shape: Shape,
    sleep_s: u64,
    timeout_s: u64,
) -> Result<serde_json::Value, String> {
    let started = std::time::Instant::now();
    let body = workload::ten_nodes(run_id, shape, sleep_s);
    let submitted = submit::submit(port, count, connections, body).await?;
    let ready = poll::until_running(port, run_id, count, shape, started, timeout_s).await?;
    Ok(json!({
        "bench": "B8", "count": count, "shape": shape.name(),
        "nodes_per_workflow": workload::NODES,
        "running_pods_per_workflow": shape.expected_pods().0,
        "sleep_s": sleep_s, "submit_wall_s": submitted.wall_s,
        "ready_wall_s": ready.wall_s, "running_workflows": ready.running,
        "running_pods": ready.running_pods, "nodes_seen": ready.nodes,
    }))
}
