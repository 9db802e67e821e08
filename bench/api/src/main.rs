//! `bench-api`: the B6 load generator against a running `argo server` on loopback.
//!
//! `bench-api seed --port P [--list-count N]` creates the small (two-step) and the
//! 1,000-node workflow GetWorkflow reads and N (default 10,000) one-node workflows under the
//! LIST's label, and waits until all have finished; `bench-api rest|grpc --port P --call
//! get|get-large|list|create --connections 1,16,64 --seconds S [--runs R]` loads one call
//! and prints one JSON line per level (median run, best and worst rate): requests/s answered
//! 200/OK, refused (429 / ResourceExhausted), p50, p99 and p99.9 latency. It prints figures
//! and asserts nothing about them; it talks to the server over the wire only.

mod call;
mod grpc;
mod report;
mod rest;
mod seed;

use std::process::ExitCode;
use std::time::Duration;

use crate::call::Call;

const USAGE: &str = "usage:
  bench-api seed --port P [--list-count 10000]
  bench-api rest|grpc --port P [--call get|get-large|list|create] [--connections 1,16,64]
                      [--seconds S] [--runs R]";

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
}

fn main() -> ExitCode {
    let args = Args(std::env::args().skip(1).collect());
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("bench-api: runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(&args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("bench-api: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: &Args) -> Result<(), String> {
    let port: u16 = match args.value("--port") {
        Some(text) => text
            .parse()
            .map_err(|_| format!("--port: expected a port number, got {text:?}"))?,
        None => return Err(format!("--port is required\n{USAGE}")),
    };
    match args.0.first().map(String::as_str) {
        Some("seed") => {
            let list_count = args.number("--list-count", 10_000)?;
            println!("{}", seed::seed(port, list_count).await?);
            Ok(())
        }
        Some(kind @ ("rest" | "grpc")) => {
            let call = Call::parse(args.value("--call").unwrap_or("get"))?;
            let levels = args.value("--connections").unwrap_or("1,16,64");
            let levels: Vec<usize> = levels
                .split(',')
                .map(|n| {
                    n.trim()
                        .parse()
                        .map_err(|_| format!("--connections: expected numbers, got {n:?}"))
                })
                .collect::<Result<_, _>>()?;
            let duration = Duration::from_secs(args.number("--seconds", 3)?);
            let runs: usize = args.number::<usize>("--runs", 1)?.max(1);
            for level in levels {
                let mut outcomes = Vec::new();
                for _ in 0..runs {
                    outcomes.push(if kind == "rest" {
                        rest::load(port, call, level, duration).await?
                    } else {
                        grpc::load(port, call, level, duration).await?
                    });
                }
                println!("{}", report::line(outcomes, kind, call, level, duration));
            }
            Ok(())
        }
        _ => Err(USAGE.to_owned()),
    }
}
