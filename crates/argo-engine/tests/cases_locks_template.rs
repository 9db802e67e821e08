//! Targeted cases: template-level synchronization (mutexes and semaphores on a template):
//! loops and DAG tasks limited by a lock, nodes waiting for one, retries holding it, and
//! release when the workflow completes or stops.

#[path = "golden/case_support.rs"]
mod support;

#[path = "golden/fleet.rs"]
mod fleet;

use argo_core::{NodePhase, ShutdownStrategy, WorkflowPhase};
use argo_engine::Effect;
use argo_engine::simulation::{PodOutcome, Simulation};
use fleet::*;
use jiff::SignedDuration;
use support::*;

/// A steps loop over `items` whose leaf takes the `my-config` `template` semaphore (limit 2).
fn semaphore_loop(items: &str) -> Simulation {
    let mut sim = sim_with(
        &format!(
            "metadata: {{name: loop}}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {{name: each, template: leaf, withItems: {items}}}
  - name: leaf
    synchronization:
      semaphores:
      - configMapKeyRef: {{name: my-config, key: template}}
    container: {{image: busybox}}
"
        ),
        |_| slow(),
    );
    sim.observed
        .config_maps
        .insert("my-config".into(), config(&[("template", "2")]));
    sim
}

#[test]
fn a_template_semaphore_limits_a_steps_loop() {
    let mut sim = semaphore_loop("[1, 2, 3, 4, 5]");
    let max = tick(&mut sim, 200);
    assert_eq!(max, 2);
    assert_phase(&sim, WorkflowPhase::Succeeded);
    assert_eq!(sim.created_pods.len(), 5);
    assert!(sim.workflow.status.synchronization.is_none());
}

#[test]
fn a_waiting_node_is_pending_with_the_lock_it_waits_for() {
    let mut sim = semaphore_loop("[1, 2, 3]");
    sim.step();
    sim.step();
    let waiting = waiting_nodes(&sim);
    assert_eq!(waiting.len(), 1);
    let node = waiting[0];
    assert_eq!(node.phase, NodePhase::Pending);
    assert_eq!(
        node.message,
        "Waiting for argo/ConfigMap/my-config/template lock. Lock status: 0/2"
    );
    assert_eq!(
        node.synchronization_status.as_ref().unwrap().waiting,
        "argo/ConfigMap/my-config/template"
    );
    let semaphore = sim
        .workflow
        .status
        .synchronization
        .as_ref()
        .unwrap()
        .semaphore
        .as_ref()
        .unwrap();
    assert_eq!(semaphore.holding[0].holders.len(), 2);
    assert_eq!(semaphore.waiting[0].holders.len(), 2);
}

#[test]
fn a_template_mutex_serialises_parallel_dag_tasks() {
    let mut sim = sim_with(
        "metadata: {name: dag}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: a, template: leaf}
      - {name: b, template: leaf}
      - {name: c, template: leaf}
  - name: leaf
    synchronization:
      mutexes:
      - name: one-at-a-time
    container: {image: busybox}
",
        |_| slow(),
    );
    let max = tick(&mut sim, 200);
    assert_eq!(max, 1);
    assert_phase(&sim, WorkflowPhase::Succeeded);
    assert_eq!(sim.created_pods.len(), 3);
}

#[test]
fn a_retrying_node_keeps_its_lock_across_attempts_and_releases_it_at_the_end() {
    let body = "
spec:
  entrypoint: main
  templates:
  - name: main
    retryStrategy: {limit: 2}
    synchronization:
      mutexes:
      - name: shared
    container: {image: busybox}
";
    let mut retrying = member("retrying", body, 0, None);
    retrying.set_script(Box::new(|_| {
        PodOutcome::exit(1).taking(SignedDuration::from_secs(2))
    }));
    let mut fleet = Fleet::new(vec![retrying, member("other", body, 1, None)]);
    fleet.run(200);
    assert_eq!(phase_of(fleet.sim("retrying")), WorkflowPhase::Failed);
    assert_eq!(fleet.sim("retrying").created_pods.len(), 3);
    assert_eq!(phase_of(fleet.sim("other")), WorkflowPhase::Succeeded);
    assert_eq!(fleet.max_running, 1);
    let other_started = started(node(fleet.sim("other"), "other"));
    let retry_finished = finished(node(fleet.sim("retrying"), "retrying"));
    assert!(other_started >= retry_finished);
}

#[test]
fn a_semaphore_limit_that_is_not_a_number_fails_the_node() {
    let mut sim = member(
        "bad",
        "
spec:
  entrypoint: main
  templates:
  - name: main
    synchronization:
      semaphores:
      - configMapKeyRef: {name: my-config, key: template}
    container: {image: busybox}
",
        0,
        None,
    );
    sim.observed
        .config_maps
        .insert("my-config".into(), config(&[("template", "two")]));
    sim.run(5);
    assert_phase(&sim, WorkflowPhase::Error);
    assert_eq!(
        message(&sim, "bad"),
        "strconv.Atoi: parsing \"two\": invalid syntax"
    );
}

#[test]
fn a_completed_workflow_releases_everything_and_clears_its_status() {
    let body = "
spec:
  entrypoint: main
  synchronization:
    mutexes:
    - name: outer
  templates:
  - name: main
    steps:
    - - {name: inner, template: leaf}
  - name: leaf
    synchronization:
      mutexes:
      - name: inner
    container: {image: busybox}
";
    let mut fleet = Fleet::new(vec![member("nested", body, 0, None)]);
    fleet.run(60);
    let sim = fleet.sim("nested");
    assert_eq!(phase_of(sim), WorkflowPhase::Succeeded);
    assert!(sim.workflow.status.synchronization.is_none());
    let released: Vec<&str> = sim
        .effects
        .iter()
        .filter_map(|e| match e {
            Effect::ReleaseLock { key, .. } => Some(key.as_str()),
            _ => None,
        })
        .collect();
    assert!(released.contains(&"argo/Mutex/outer"));
    assert!(released.contains(&"argo/Mutex/inner"));
    assert!(all_released(&fleet.book));
}

#[test]
fn a_stopped_workflow_fails_its_waiting_nodes_and_leaves_the_queue() {
    let body = "
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: each, template: leaf, withItems: [1, 2]}
  - name: leaf
    synchronization:
      mutexes:
      - name: m
    container: {image: busybox}
";
    let mut sim = member("stopping", body, 0, None);
    sim.step();
    sim.step();
    assert_eq!(waiting_nodes(&sim).len(), 1);
    sim.workflow.spec.shutdown = Some(ShutdownStrategy::Stop);
    sim.run(50);
    assert_phase(&sim, WorkflowPhase::Failed);
    assert_eq!(sim.created_pods.len(), 1);
    assert!(
        sim.workflow
            .status
            .nodes
            .values()
            .all(|n| n.synchronization_status.is_none())
    );
    assert!(all_released(&sim.locks));
}
