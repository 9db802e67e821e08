//! Engine benchmark (issue #4): a 10,000-task DAG (a fan-out from one root, a fan-in join,
//! then a chain of diamonds) and a 10,000-item withItems loop, each run to all-succeeded in
//! the simulation. Prints the total engine CPU time (time spent inside `reconcile`, nothing
//! else), the number of reconciles, the time per reconcile and the slowest reconcile.
//!
//! Run with
//! `cargo run --release -p argo-engine --example engine_bench [-- <size> [<diamonds> [copy|uncached] [dag|loop]]]`:
//! `size` is the number of tasks and of loop items (10,000 by default), `diamonds` the length
//! of the diamond chain (100 by default: 300 tasks and 201 levels after the join; the rest of
//! the tasks fan out). The status is handed to `reconcile_cached` by value, with one
//! `SpecCache` carried from each reconcile to the next as the controller does; with `copy` the
//! borrowing `reconcile` is timed instead (it copies the status first and keeps no cache), and
//! with `uncached` `reconcile_with_status` (no cache). `dag` or `loop` runs that workload alone.

use std::time::{Duration, Instant};

use nix::time::{ClockId, clock_gettime};

use argo_core::k8s_openapi::api::core::v1::Container;
use argo_core::{
    DagTask, DagTemplate, Item, ParallelSteps, Template, Workflow, WorkflowPhase, WorkflowStep,
};
use argo_engine::simulation::Simulation;
use argo_engine::{SpecCache, reconcile, reconcile_cached, reconcile_with_status};

fn leaf() -> Template {
    Template {
        container: Some(Container {
            image: Some("busybox".into()),
            command: Some(vec!["true".into()]),
            ..Container::default()
        }),
        ..Template::named("run")
    }
}

fn task(name: String, dependencies: Vec<String>) -> DagTask {
    DagTask {
        dependencies,
        ..DagTask::calling(name, "run")
    }
}

/// `start`, then `size - 2 - 3 * diamonds` tasks depending on it, `join` depending on all of
/// them, then `diamonds` diamonds: `a<k>` and `b<k>` after the previous join, `j<k>` after
/// both.
fn fan_out_diamond_dag(size: usize, diamonds: usize) -> Workflow {
    let fan_out = size.saturating_sub(2 + 3 * diamonds).max(1);
    let mut tasks = vec![task("start".into(), Vec::new())];
    let fanned: Vec<String> = (0..fan_out).map(|i| format!("f{i}")).collect();
    tasks.extend(fanned.iter().map(|f| task(f.clone(), vec!["start".into()])));
    tasks.push(task("join".into(), fanned));
    let mut previous = "join".to_owned();
    for k in 0..diamonds {
        let (a, b, j) = (format!("a{k}"), format!("b{k}"), format!("j{k}"));
        tasks.push(task(a.clone(), vec![previous.clone()]));
        tasks.push(task(b.clone(), vec![previous.clone()]));
        tasks.push(task(j.clone(), vec![a, b]));
        previous = j;
    }
    let main = Template {
        dag: Some(DagTemplate {
            tasks,
            ..DagTemplate::default()
        }),
        ..Template::named("main")
    };
    Workflow::test()
        .name("fan-out-diamonds")
        .entrypoint("main")
        .template(main)
        .template(leaf())
        .build()
}

fn with_items(size: usize) -> Workflow {
    let step = WorkflowStep {
        with_items: (0..size).map(|i| Item(serde_json::json!(i))).collect(),
        ..WorkflowStep::calling("item", "run")
    };
    let main = Template {
        steps: Some(vec![ParallelSteps::from(vec![step])]),
        ..Template::named("main")
    };
    Workflow::test()
        .name("loop")
        .entrypoint("main")
        .template(main)
        .template(leaf())
        .build()
}

/// Which entry point is timed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// `reconcile_cached`, status moved in, one cache for the run.
    Cached,
    /// `reconcile_with_status`, status moved in, no cache.
    Uncached,
    /// `reconcile`, status copied, no cache.
    Copy,
}

/// This thread's CPU time so far.
fn thread_cpu() -> Duration {
    clock_gettime(ClockId::CLOCK_THREAD_CPUTIME_ID)
        .map(Duration::from)
        .unwrap_or_default()
}

/// Runs the workflow to completion, timing only the reconciles.
fn measure(label: &str, workflow: Workflow, max_reconciles: usize, mode: Mode) {
    let mut sim = Simulation::new(workflow);
    let mut cache = SpecCache::new();
    let (mut engine, mut wall) = (Duration::ZERO, Duration::ZERO);
    let mut reconciles = 0u32;
    let mut slowest = Duration::ZERO;
    for _ in 0..max_reconciles {
        // The status is handed over, not copied (as `Simulation::step` does).
        let status = (mode != Mode::Copy).then(|| std::mem::take(&mut sim.workflow.status));
        let (started, cpu_before) = (Instant::now(), thread_cpu());
        let (wf, observed, now, config) = (&sim.workflow, &sim.observed, sim.now, &sim.config);
        let reconciled = match (status, mode) {
            (Some(status), Mode::Cached) => {
                // The status handed back is the one the last reconcile returned.
                if reconciles > 0 {
                    cache.vouch_for_status();
                }
                reconcile_cached(wf, status, observed, now, config, &mut cache)
            }
            (Some(status), _) => reconcile_with_status(wf, status, observed, now, config),
            (None, _) => reconcile(wf, observed, now, config),
        };
        let took = thread_cpu().saturating_sub(cpu_before);
        wall += started.elapsed();
        engine += took;
        slowest = slowest.max(took);
        reconciles += 1;
        sim.apply_owned(reconciled);
        if sim.is_completed() {
            break;
        }
        sim.advance_by(jiff::SignedDuration::from_secs(1));
    }
    let phase = sim.workflow.status.phase.clone();
    assert_eq!(phase, WorkflowPhase::Succeeded, "{label} did not succeed");
    println!(
        "{label}: {} nodes, {} pods, {reconciles} reconciles, engine CPU {:.3} s (wall {:.3} s), {:.2} ms CPU per reconcile (slowest {:.1} ms)",
        sim.workflow.status.nodes.len(),
        sim.created_pods.len(),
        engine.as_secs_f64(),
        wall.as_secs_f64(),
        engine.as_secs_f64() * 1000.0 / f64::from(reconciles),
        slowest.as_secs_f64() * 1000.0,
    );
}

fn main() {
    let mut args = std::env::args().skip(1);
    let size: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let diamonds: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(100);
    let (mut mode, mut dag, mut items) = (Mode::Cached, true, true);
    for arg in args {
        match arg.as_str() {
            "copy" => mode = Mode::Copy,
            "uncached" => mode = Mode::Uncached,
            "dag" => items = false,
            "loop" => dag = false,
            other => eprintln!("engine_bench: ignoring unknown argument {other:?}"),
        }
    }
    let budget = 2 * diamonds + 100;
    if dag {
        measure(
            &format!("{size}-task fan-out + {diamonds}-diamond chain DAG"),
            fan_out_diamond_dag(size, diamonds),
            budget,
            mode,
        );
    }
    if items {
        measure(
            &format!("{size}-item withItems"),
            with_items(size),
            100,
            mode,
        );
    }
}
