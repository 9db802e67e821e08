//! Watching a run's workflows through `ListWorkflows` with the run's label selector and a
//! `fields` filter: until all have finished (B3), until all have their pods running (B8), and
//! terminating them afterwards. A workflow that fails is reported, never counted as done work.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::client::{Connection, poll_interval};
use crate::workload::{self, NAMESPACE, Shape};

/// Finished workflows and the time from the first submission to the poll that saw them all.
pub struct Finished {
    pub succeeded: usize,
    pub failed: usize,
    pub wall_s: f64,
    pub resolution_ms: f64,
}

/// Running workflows (with their expected pods running) and how long that took.
pub struct Running {
    pub running: usize,
    pub running_pods: usize,
    pub nodes: usize,
    pub wall_s: f64,
}

fn items(list: &Value) -> &[Value] {
    list["items"].as_array().map(Vec::as_slice).unwrap_or(&[])
}

fn phase(item: &Value) -> &str {
    item["status"]["phase"].as_str().unwrap_or("")
}

fn deadline_error(what: &str, timeout_s: u64, seen: String) -> String {
    format!("{what} within {timeout_s} s; last poll saw {seen}")
}

/// Polls until `count` workflows of the run have finished (any phase but Pending/Running).
pub async fn until_finished(
    port: u16,
    run_id: &str,
    count: usize,
    started: Instant,
    timeout_s: u64,
) -> Result<Finished, String> {
    let mut connection = Connection::open(port).await?;
    let path = workload::list_path(run_id, "items.metadata.name,items.status.phase");
    let deadline = started + Duration::from_secs(timeout_s);
    loop {
        let list = connection.json(http::Method::GET, &path, None).await?;
        let seen_at = started.elapsed();
        let (mut succeeded, mut failed) = (0, 0);
        for item in items(&list) {
            match phase(item) {
                "Succeeded" => succeeded += 1,
                "Failed" | "Error" => failed += 1,
                _ => {}
            }
        }
        if succeeded + failed >= count {
            return Ok(Finished {
                succeeded,
                failed,
                wall_s: seen_at.as_secs_f64(),
                resolution_ms: poll_interval(seen_at).as_secs_f64() * 1000.0,
            });
        }
        if Instant::now() > deadline {
            let seen = format!("{succeeded} succeeded, {failed} failed of {count}");
            return Err(deadline_error("workflows did not finish", timeout_s, seen));
        }
        tokio::time::sleep(poll_interval(seen_at)).await;
    }
}

/// Polls until `count` workflows are Running with the shape's pods running and finished.
pub async fn until_running(
    port: u16,
    run_id: &str,
    count: usize,
    shape: Shape,
    started: Instant,
    timeout_s: u64,
) -> Result<Running, String> {
    let mut connection = Connection::open(port).await?;
    let fields = "items.metadata.name,items.status.phase,items.status.nodes";
    let path = workload::list_path(run_id, fields);
    let (want_running, want_done) = shape.expected_pods();
    let deadline = started + Duration::from_secs(timeout_s);
    loop {
        let list = connection.json(http::Method::GET, &path, None).await?;
        let seen_at = started.elapsed();
        let (mut ready, mut running_pods, mut nodes) = (0, 0, 0);
        for item in items(&list) {
            if matches!(phase(item), "Failed" | "Error" | "Succeeded") {
                let name = item["metadata"]["name"].as_str().unwrap_or("?");
                return Err(format!(
                    "workflow {name} ended ({}) while it should be running",
                    phase(item)
                ));
            }
            let all = item["status"]["nodes"].as_object();
            let pods = all.into_iter().flat_map(|m| m.values());
            let pods: Vec<&Value> = pods.filter(|n| n["type"] == "Pod").collect();
            let running = pods.iter().filter(|n| n["phase"] == "Running").count();
            let done = pods.iter().filter(|n| n["phase"] == "Succeeded").count();
            let paused = all
                .into_iter()
                .flat_map(|m| m.values())
                .filter(|n| n["type"] == "Suspend" && n["phase"] == "Running")
                .count();
            running_pods += running;
            nodes += all.map_or(0, |m| m.len());
            let suspended_ok = paused >= shape.expected_suspends();
            if phase(item) == "Running"
                && running >= want_running
                && done >= want_done
                && suspended_ok
            {
                ready += 1;
            }
        }
        if ready >= count {
            return Ok(Running {
                running: ready,
                running_pods,
                nodes,
                wall_s: seen_at.as_secs_f64(),
            });
        }
        if Instant::now() > deadline {
            let seen = format!("{ready} of {count} ready, {running_pods} pods running");
            return Err(deadline_error(
                "workflows were not running",
                timeout_s,
                seen,
            ));
        }
        tokio::time::sleep(poll_interval(seen_at).max(Duration::from_millis(500))).await;
    }
}

/// Terminates every workflow of the run that has not finished, then waits until none runs.
pub async fn terminate(
    port: u16,
    run_id: &str,
    connections: usize,
    timeout_s: u64,
) -> Result<Value, String> {
    let started = Instant::now();
    let mut connection = Connection::open(port).await?;
    let path = workload::list_path(run_id, "items.metadata.name,items.status.phase");
    let list = connection.json(http::Method::GET, &path, None).await?;
    let names: Vec<String> = items(&list)
        .iter()
        .filter(|item| matches!(phase(item), "" | "Pending" | "Running"))
        .filter_map(|item| item["metadata"]["name"].as_str().map(str::to_owned))
        .collect();
    let total = names.len();
    let chunk = total.div_ceil(connections.max(1)).max(1);
    let mut tasks = Vec::new();
    for part in names.chunks(chunk).map(<[String]>::to_vec) {
        tasks.push(tokio::spawn(async move {
            let mut connection = Connection::open(port).await?;
            for name in part {
                let path = format!("/api/v1/workflows/{NAMESPACE}/{name}/terminate");
                let body = json!({"name": name, "namespace": NAMESPACE});
                connection
                    .json(http::Method::PUT, &path, Some(&body))
                    .await?;
            }
            Ok::<_, String>(())
        }));
    }
    for task in tasks {
        task.await.map_err(|e| format!("terminate task: {e}"))??;
    }
    let deadline = started + Duration::from_secs(timeout_s);
    loop {
        let list = connection.json(http::Method::GET, &path, None).await?;
        let left = items(&list)
            .iter()
            .filter(|item| matches!(phase(item), "" | "Pending" | "Running"))
            .count();
        if left == 0 {
            return Ok(json!({"terminated": total, "wall_s": started.elapsed().as_secs_f64()}));
        }
        if Instant::now() > deadline {
            let seen = format!("{left} still running");
            return Err(deadline_error("workflows did not stop", timeout_s, seen));
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}
