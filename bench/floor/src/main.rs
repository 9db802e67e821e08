//! The floor for the benchmark suite: what this machine can do with no engine at all.
//!
//! `steps` measures B1/B2 (spawn and wait of `/bin/true` plus two durable SQLite commits per
//! step); `rpc` measures B6 (a raw axum and a raw tonic hello endpoint under load). Every
//! subcommand prints one JSON object on stdout. It must not depend on any project crate: it is
//! the yardstick the project is compared against.

mod rpc;
mod steps;

use std::process::ExitCode;

const USAGE: &str = "usage:
  bench-floor chain  STEPS [--sync full|normal] [--db PATH]
  bench-floor fanout TASKS [--parallel N] [--sync full|normal] [--db PATH]
  bench-floor http   [--connections 1,16,64] [--seconds S]
  bench-floor grpc   [--connections 1,16,64] [--seconds S]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("bench-floor: {message}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> Result<serde_json::Value, String> {
    let command = args.first().ok_or("missing subcommand")?;
    let flag = |name: &str| -> Option<&str> {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .map(String::as_str)
    };
    let count = || -> Result<usize, String> {
        args.get(1)
            .ok_or("missing count")?
            .parse()
            .map_err(|e| format!("bad count: {e}"))
    };
    let sync = flag("--sync").unwrap_or("full");
    let db = flag("--db").unwrap_or("bench/.work/floor.db");
    let connections: Vec<usize> = flag("--connections")
        .unwrap_or("1,16,64")
        .split(',')
        .map(|c| {
            c.parse()
                .map_err(|e| format!("bad connection count {c}: {e}"))
        })
        .collect::<Result<_, _>>()?;
    let seconds: f64 = flag("--seconds")
        .unwrap_or("3")
        .parse()
        .map_err(|e| format!("bad --seconds: {e}"))?;
    match command.as_str() {
        "chain" => steps::chain(count()?, sync, db),
        "fanout" => {
            let parallel = flag("--parallel")
                .unwrap_or("8")
                .parse()
                .map_err(|e| format!("bad --parallel: {e}"))?;
            steps::fanout(count()?, parallel, sync, db)
        }
        "http" => rpc::measure(rpc::Kind::Http, &connections, seconds),
        "grpc" => rpc::measure(rpc::Kind::Grpc, &connections, seconds),
        "serve" => rpc::serve(args.get(1).map(String::as_str).unwrap_or("")),
        other => Err(format!("unknown subcommand {other}")),
    }
}

/// Percentile of sorted samples (nearest rank); 0 for an empty set.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}
