//! What a load level measured and the one JSON line printed for it: answered-call latencies,
//! refused calls, the median run's rate and percentiles and the best run's rate. Figures only:
//! it judges nothing.

use std::time::Duration;

use serde_json::json;

use crate::call::Call;

/// Latencies of answered calls and the count of refused ones.
#[derive(Default)]
pub struct Outcome {
    pub latencies_ms: Vec<f64>,
    pub refused: usize,
}

impl Outcome {
    fn merge(&mut self, other: Outcome) {
        self.latencies_ms.extend(other.latencies_ms);
        self.refused += other.refused;
    }
}

/// Joins the load tasks of one level into one outcome.
pub async fn collect(
    tasks: Vec<tokio::task::JoinHandle<Result<Outcome, String>>>,
) -> Result<Outcome, String> {
    let mut all = Outcome::default();
    for task in tasks {
        all.merge(task.await.map_err(|e| format!("load task: {e}"))??);
    }
    Ok(all)
}

/// One line for a level: the median run's figures (by answered calls), the best and worst
/// runs' rates; with one run all are that run.
pub fn line(
    mut outcomes: Vec<Outcome>,
    kind: &str,
    call: Call,
    level: usize,
    duration: Duration,
) -> serde_json::Value {
    let seconds = duration.as_secs_f64();
    outcomes.sort_by_key(|outcome| outcome.latencies_ms.len());
    let rate = |outcome: &Outcome| (outcome.latencies_ms.len() as f64 / seconds).round();
    let best = outcomes.last().map_or(0.0, rate);
    let worst = outcomes.first().map_or(0.0, rate);
    let runs = outcomes.len();
    let mut median = outcomes.swap_remove(runs / 2);
    median.latencies_ms.sort_by(f64::total_cmp);
    json!({
        "api": kind, "call": call.name(), "connections": level, "runs": runs,
        "seconds": seconds,
        "ok_per_s": rate(&median),
        "best_ok_per_s": best, "worst_ok_per_s": worst,
        "refused_per_s": (median.refused as f64 / seconds).round(),
        "p50_ms": percentile(&median.latencies_ms, 50.0),
        "p99_ms": percentile(&median.latencies_ms, 99.0),
        "p999_ms": percentile(&median.latencies_ms, 99.9),
    })
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    (sorted[rank.min(sorted.len() - 1)] * 1000.0).round() / 1000.0
}
