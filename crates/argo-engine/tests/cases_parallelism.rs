//! Targeted cases: workflow, template and nested `parallelism`, and DAG `failFast`.

#[path = "golden/case_support.rs"]
mod support;

use argo_core::{NodePhase, WorkflowPhase};
use argo_engine::simulation::{PodOutcome, Simulation};
use support::*;

/// Runs to completion one reconcile a second; returns the most pods running at once.
fn max_running(sim: &mut Simulation) -> usize {
    tick(sim, 400)
}

#[test]
fn workflow_parallelism_one_runs_a_dag_sequentially() {
    let mut sim = sim_with(
        "metadata: {name: p}
spec:
  entrypoint: main
  parallelism: 1
  templates:
  - name: main
    dag:
      tasks:
      - {name: a, template: leaf}
      - {name: b, template: leaf}
      - {name: c, template: leaf}
  - name: leaf
    container: {image: busybox}
",
        |_| slow(),
    );
    assert_eq!(max_running(&mut sim), 1);
    assert_phase(&sim, WorkflowPhase::Succeeded);
    assert_eq!(sim.created_pods.len(), 3);
}

#[test]
fn template_parallelism_limits_a_with_items_loop() {
    let mut sim = sim_with(
        "metadata: {name: p}
spec:
  entrypoint: main
  templates:
  - name: main
    parallelism: 2
    steps:
    - - {name: each, template: leaf, withItems: [1, 2, 3, 4, 5]}
  - name: leaf
    container: {image: busybox}
",
        |_| slow(),
    );
    assert_eq!(max_running(&mut sim), 2);
    assert_phase(&sim, WorkflowPhase::Succeeded);
    assert_eq!(sim.created_pods.len(), 5);
}

#[test]
fn nested_parallelism_limits_each_level() {
    let mut sim = sim_with(
        "metadata: {name: p}
spec:
  entrypoint: main
  templates:
  - name: main
    parallelism: 2
    steps:
    - - {name: group, template: inner, withItems: [a, b, c]}
  - name: inner
    parallelism: 1
    steps:
    - - {name: job, template: leaf, withItems: [1, 2]}
  - name: leaf
    container: {image: busybox}
",
        |_| slow(),
    );
    assert_eq!(max_running(&mut sim), 2);
    assert_phase(&sim, WorkflowPhase::Succeeded);
    assert_eq!(sim.created_pods.len(), 6);
}

#[test]
#[ignore = "engine: a loop step group blocked by workflow parallelism succeeds with no children (p.right[0] Succeeded, its 3 items never run)"]
fn workflow_parallelism_counts_pods_across_branches() {
    let mut sim = sim_with(
        "metadata: {name: p}
spec:
  entrypoint: main
  parallelism: 3
  templates:
  - name: main
    dag:
      tasks:
      - {name: left, template: fan}
      - {name: right, template: fan}
  - name: fan
    steps:
    - - {name: job, template: leaf, withItems: [1, 2, 3]}
  - name: leaf
    container: {image: busybox}
",
        |_| slow(),
    );
    assert_eq!(max_running(&mut sim), 3);
    assert_phase(&sim, WorkflowPhase::Succeeded);
    assert_eq!(sim.created_pods.len(), 6, "{:?}", summary(&sim));
}

#[test]
fn without_parallelism_every_loop_item_starts_at_once() {
    let mut sim = sim_with(
        "metadata: {name: p}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: each, template: leaf, withItems: [1, 2, 3, 4]}
  - name: leaf
    container: {image: busybox}
",
        |_| slow(),
    );
    assert_eq!(max_running(&mut sim), 4);
    assert_phase(&sim, WorkflowPhase::Succeeded);
}

const FAIL_FAST: &str = "metadata: {name: f}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: broken, template: leaf}
      - {name: long, template: leaf}
      - {name: after-long, template: leaf, depends: long}
  - name: leaf
    container: {image: busybox}
";

fn broken_fast_long_slow(req: &argo_engine::simulation::PodRequest) -> PodOutcome {
    if req.node_name.ends_with(".broken") {
        PodOutcome::exit(1)
    } else if req.node_name.ends_with(".long") {
        succeeding_after(30)
    } else {
        PodOutcome::success()
    }
}

#[test]
fn fail_fast_false_runs_every_independent_branch() {
    let yaml = FAIL_FAST.replace("    dag:\n", "    failFast: false\n    dag:\n");
    let sim = run_with(&yaml, broken_fast_long_slow);
    assert_phase(&sim, WorkflowPhase::Failed);
    assert_eq!(phase(&sim, "after-long"), NodePhase::Succeeded);
    assert_eq!(sim.created_pods.len(), 3);
}

#[test]
fn a_failed_branch_omits_only_its_own_dependents() {
    let sim = run_with(
        "metadata: {name: f}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      failFast: false
      tasks:
      - {name: broken, template: leaf}
      - {name: ok, template: leaf}
      - {name: after-broken, template: leaf, depends: broken}
      - {name: after-ok, template: leaf, depends: ok}
  - name: leaf
    container: {image: busybox}
",
        |req| {
            if req.node_name.ends_with(".broken") {
                PodOutcome::exit(1)
            } else {
                PodOutcome::success()
            }
        },
    );
    assert_phase(&sim, WorkflowPhase::Failed);
    assert_eq!(phase(&sim, "after-broken"), NodePhase::Omitted);
    assert_eq!(phase(&sim, "after-ok"), NodePhase::Succeeded);
}

/// A DAG of seven independent pod tasks.
fn fan_out() -> String {
    let tasks: String = ('a'..='g')
        .map(|task| format!("      - {{name: {task}, template: leaf}}\n"))
        .collect();
    format!(
        "metadata: {{name: wide}}\nspec:\n  entrypoint: main\n  templates:\n  - name: main\n    \
         dag:\n      tasks:\n{tasks}  - name: leaf\n    container: {{image: busybox}}\n"
    )
}

#[test]
fn the_engine_cap_asks_for_pods_in_batches_and_requeues_at_once() {
    let config = argo_engine::EngineConfig {
        max_pods_per_reconcile: Some(3),
        ..argo_engine::EngineConfig::default()
    };
    let observed = argo_engine::Observed::default();
    let now: jiff::Timestamp = "2026-11-23T10:00:00Z".parse().expect("time");
    let mut workflow = wf(&fan_out());
    let mut batches = Vec::new();
    let mut requeues = Vec::new();
    for _ in 0..4 {
        let reconciled = argo_engine::reconcile(&workflow, &observed, now, &config);
        batches.push(
            reconciled
                .effects
                .iter()
                .filter_map(argo_engine::Effect::created_pod_name)
                .count(),
        );
        requeues.push(reconciled.requeue_after);
        workflow = reconciled.apply_to(&workflow);
    }
    assert_eq!(batches, vec![3, 3, 1, 0]);
    let zero = Some(jiff::SignedDuration::ZERO);
    assert_eq!(
        &requeues[..2],
        &[zero, zero],
        "a capped pass runs again at once"
    );
    assert_ne!(requeues[2], zero, "the last batch leaves nothing waiting");
}

#[test]
fn a_capped_fan_out_runs_every_task_once_through_the_cached_walk() {
    let mut sim = sim_with(&fan_out(), |_| slow());
    sim.config.max_pods_per_reconcile = Some(2);
    let pods = |sim: &mut Simulation| {
        let reconciled = sim.step();
        let effects = reconciled.effects.iter();
        effects
            .filter_map(argo_engine::Effect::created_pod_name)
            .count()
    };
    assert_eq!(pods(&mut sim), 2);
    // The pods stay running: only the requeue brings the rest.
    assert_eq!(pods(&mut sim), 2);
    tick(&mut sim, 400);
    assert_phase(&sim, WorkflowPhase::Succeeded);
    assert_eq!(sim.created_pods.len(), 7);
    let unique: std::collections::BTreeSet<&String> = sim.created_pods.iter().collect();
    assert_eq!(unique.len(), 7, "no pod asked for twice");
}
