//! Engine benchmark: a 10,000-task fan-out DAG and a 10,000-item withItems loop, run to
//! all-succeeded in the simulation. Prints total engine CPU time (time spent inside
//! `reconcile`) and the time per reconcile.
//!
//! Run with `cargo run --release -p argo-engine --example engine_bench [-- <size>]`.

use std::time::{Duration, Instant};

use argo_core::k8s_openapi::api::core::v1::Container;
use argo_core::{
    DagTask, DagTemplate, Item, ParallelSteps, Template, Workflow, WorkflowPhase, WorkflowStep,
};
use argo_engine::reconcile;
use argo_engine::simulation::Simulation;

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

fn fan_out_dag(size: usize) -> Workflow {
    let tasks = (0..size)
        .map(|i| DagTask::calling(format!("t{i}"), "run"))
        .collect();
    let main = Template {
        dag: Some(DagTemplate {
            tasks,
            ..DagTemplate::default()
        }),
        ..Template::named("main")
    };
    Workflow::test()
        .name("fan-out")
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

/// Runs the workflow to completion, timing only the reconciles.
fn measure(label: &str, workflow: Workflow) {
    let mut sim = Simulation::new(workflow);
    let mut engine = Duration::ZERO;
    let mut reconciles = 0u32;
    let mut slowest = Duration::ZERO;
    for _ in 0..100 {
        let started = Instant::now();
        let reconciled = reconcile(&sim.workflow, &sim.observed, sim.now, &sim.config);
        let took = started.elapsed();
        engine += took;
        slowest = slowest.max(took);
        reconciles += 1;
        drop(reconciled);
        sim.step();
        if sim.is_completed() {
            break;
        }
        sim.advance_by(jiff::SignedDuration::from_secs(1));
    }
    let phase = sim.workflow.status.phase.clone();
    assert_eq!(phase, WorkflowPhase::Succeeded, "{label} did not succeed");
    println!(
        "{label}: {} nodes, {} pods, {reconciles} reconciles, engine CPU {:.3} s, {:.1} ms per reconcile (slowest {:.1} ms)",
        sim.workflow.status.nodes.len(),
        sim.created_pods.len(),
        engine.as_secs_f64(),
        engine.as_secs_f64() * 1000.0 / f64::from(reconciles),
        slowest.as_secs_f64() * 1000.0,
    );
}

fn main() {
    let size = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
    measure(&format!("{size}-task fan-out DAG"), fan_out_dag(size));
    measure(&format!("{size}-item withItems"), with_items(size));
}
