//! Submission over N keep-alive connections: each connection takes the next index from a shared
//! counter and sends `POST /api/v1/workflows/{ns}` until the count is reached, timing each call.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use serde_json::Value;

use crate::client::Connection;
use crate::workload::NAMESPACE;

/// Latencies (ms) of accepted submissions, sorted, and the wall time of the whole submission.
pub struct Submitted {
    pub latencies_ms: Vec<f64>,
    pub wall_s: f64,
}

/// Submits `count` copies of `body` over `connections` connections. Any answer but 200 stops
/// the run with the server's message (the benchmark measures accepted work only).
pub async fn submit(
    port: u16,
    count: usize,
    connections: usize,
    body: Value,
) -> Result<Submitted, String> {
    let next = Arc::new(AtomicUsize::new(0));
    let body = Arc::new(body);
    let path = Arc::new(format!("/api/v1/workflows/{NAMESPACE}"));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..connections.max(1) {
        let (next, body, path) = (next.clone(), body.clone(), path.clone());
        tasks.push(tokio::spawn(async move {
            let mut connection = Connection::open(port).await?;
            let mut latencies = Vec::new();
            while next.fetch_add(1, Ordering::Relaxed) < count {
                let sent = Instant::now();
                let (status, answer) = connection
                    .call(http::Method::POST, &path, Some(&body))
                    .await?;
                if status != http::StatusCode::OK {
                    return Err(format!(
                        "create answered {status}: {}",
                        String::from_utf8_lossy(&answer)
                    ));
                }
                latencies.push(sent.elapsed().as_secs_f64() * 1000.0);
            }
            Ok::<_, String>(latencies)
        }));
    }
    let mut latencies_ms = Vec::with_capacity(count);
    for task in tasks {
        latencies_ms.extend(task.await.map_err(|e| format!("submit task: {e}"))??);
    }
    latencies_ms.sort_by(f64::total_cmp);
    Ok(Submitted {
        latencies_ms,
        wall_s: started.elapsed().as_secs_f64(),
    })
}

/// Nearest-rank percentile of sorted values, rounded to microseconds.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    (sorted[rank.min(sorted.len() - 1)] * 1000.0).round() / 1000.0
}
