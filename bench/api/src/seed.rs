//! Creates what the B6 reads read and waits until the server is quiet: the small workflow, the
//! 1,000-node workflow and N one-node workflows under the LIST's label (created over 16
//! connections), all finished before any load starts. It must not load or time anything.

use std::time::{Duration, Instant};

use bytes::Bytes;
use serde_json::{Value, json};

use crate::call::{
    LARGE, LARGE_TASKS, LIST_LABEL, NAMESPACE, SMALL, listed_workflow, small_workflow, suspend_dag,
};
use crate::rest::{Sender, call, connect, get_json};

const CONNECTIONS: usize = 16;

async fn create(sender: &mut Sender, workflow: &Value) -> Result<(), String> {
    let path = format!("/api/v1/workflows/{NAMESPACE}");
    let body = Bytes::from(workflow.to_string());
    let (status, answer) = call(sender, http::Method::POST, &path, body).await?;
    if status != http::StatusCode::OK && status != http::StatusCode::CONFLICT {
        let name = &workflow["workflow"]["metadata"]["name"];
        let answer = String::from_utf8_lossy(&answer);
        return Err(format!("create {name}: {status} {answer}"));
    }
    Ok(())
}

/// Phases of the workflows under `label`.
async fn phases(sender: &mut Sender, label: &str) -> Result<Vec<String>, String> {
    let path = format!(
        "/api/v1/workflows/{NAMESPACE}?listOptions.labelSelector=bench%3D{label}\
         &fields=items.status.phase"
    );
    let list = get_json(sender, &path).await?;
    let items = list["items"].as_array().map(Vec::as_slice).unwrap_or(&[]);
    let phase = |item: &Value| item["status"]["phase"].as_str().unwrap_or("").to_owned();
    Ok(items.iter().map(phase).collect())
}

/// Waits until `count` workflows under `label` have Succeeded; any failure ends the seed.
async fn until_succeeded(
    sender: &mut Sender,
    label: &str,
    count: usize,
    timeout: Duration,
) -> Result<(), String> {
    let deadline = Instant::now() + timeout;
    loop {
        let phases = phases(sender, label).await?;
        if let Some(bad) = phases
            .iter()
            .find(|p| matches!(p.as_str(), "Failed" | "Error"))
        {
            return Err(format!(
                "a seeded workflow labelled bench={label} ended {bad}"
            ));
        }
        let done = phases.iter().filter(|p| *p == "Succeeded").count();
        if done >= count {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!(
                "{done} of {count} workflows labelled bench={label} Succeeded within {} s",
                timeout.as_secs()
            ));
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// Creates the small and large GET workflows and `list_count` LIST workflows, then waits
/// until all have Succeeded. Prints one JSON line with the GET bodies' sizes.
pub async fn seed(port: u16, list_count: usize) -> Result<Value, String> {
    let started = Instant::now();
    let mut sender = connect(port).await?;
    create(&mut sender, &small_workflow(SMALL)).await?;
    create(&mut sender, &suspend_dag(LARGE, "api-large", LARGE_TASKS)).await?;
    let mut tasks = Vec::new();
    for first in 0..CONNECTIONS {
        tasks.push(tokio::spawn(async move {
            let mut sender = connect(port).await?;
            for index in (first..list_count).step_by(CONNECTIONS) {
                let name = format!("{LIST_LABEL}-{index:05}");
                create(&mut sender, &listed_workflow(&name)).await?;
            }
            Ok::<_, String>(())
        }));
    }
    for task in tasks {
        task.await.map_err(|e| format!("seed task: {e}"))??;
    }
    let created_s = started.elapsed().as_secs_f64();
    let timeout = Duration::from_secs(600);
    until_succeeded(&mut sender, LIST_LABEL, list_count, timeout).await?;
    until_succeeded(&mut sender, "api", 1, timeout).await?;
    until_succeeded(&mut sender, "api-large", 1, timeout).await?;
    let mut sizes = Vec::new();
    for name in [SMALL, LARGE] {
        let path = format!("/api/v1/workflows/{NAMESPACE}/{name}");
        let (_, body) = call(&mut sender, http::Method::GET, &path, Bytes::new()).await?;
        sizes.push(body.len());
    }
    Ok(json!({
        "seeded": list_count + 2, "created_s": created_s,
        "settled_s": started.elapsed().as_secs_f64(),
        "get_body_bytes": sizes[0], "get_large_body_bytes": sizes[1],
    }))
}
