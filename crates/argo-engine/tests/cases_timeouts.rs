//! Targeted cases: pod `activeDeadlineSeconds` (the runtime kills the pod), template
//! `timeout`, the workflow's `activeDeadlineSeconds`, and suspend durations.

#[path = "golden/case_support.rs"]
mod support;

use argo_core::{NodePhase, WorkflowPhase};
use argo_engine::simulation::{DEADLINE_EXCEEDED_MESSAGE, PodOutcome};
use jiff::SignedDuration;
use support::*;

fn long(seconds: i64) -> PodOutcome {
    PodOutcome::success().taking(SignedDuration::from_secs(seconds))
}

#[test]
fn a_pod_past_its_active_deadline_is_killed_by_the_runtime() {
    let sim = run_with(
        "metadata: {name: t}
spec:
  entrypoint: main
  templates:
  - name: main
    activeDeadlineSeconds: 5
    container: {image: busybox}
",
        |_| long(60),
    );
    assert_phase(&sim, WorkflowPhase::Failed);
    assert_eq!(phase(&sim, "t"), NodePhase::Failed);
    assert_eq!(message(&sim, "t"), DEADLINE_EXCEEDED_MESSAGE);
}

#[test]
fn a_pod_within_its_active_deadline_succeeds() {
    let sim = run_with(
        "metadata: {name: t}
spec:
  entrypoint: main
  templates:
  - name: main
    activeDeadlineSeconds: 50
    container: {image: busybox}
",
        |_| long(10),
    );
    assert_phase(&sim, WorkflowPhase::Succeeded);
}

#[test]
fn a_template_timeout_that_is_not_reached_lets_the_step_succeed() {
    let sim = run_with(
        "metadata: {name: t}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: s, template: leaf}
  - name: leaf
    timeout: 30s
    container: {image: busybox}
",
        |_| long(10),
    );
    assert_phase(&sim, WorkflowPhase::Succeeded);
    assert_eq!(phase(&sim, "s"), NodePhase::Succeeded);
}

#[test]
fn a_timed_out_step_with_continue_on_failed_lets_the_workflow_succeed() {
    let sim = run_with(
        "metadata: {name: t}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: s, template: leaf, continueOn: {failed: true}}
    - - {name: after, template: quick}
  - name: leaf
    timeout: 5s
    container: {image: busybox}
  - name: quick
    container: {image: busybox}
",
        |req| {
            if req.node_name.ends_with(".s") {
                long(60)
            } else {
                PodOutcome::success()
            }
        },
    );
    assert_eq!(phase(&sim, "s"), NodePhase::Failed);
    assert_eq!(message(&sim, "s"), "Step exceeded its deadline");
    assert_eq!(phase(&sim, "after"), NodePhase::Succeeded);
    assert_phase(&sim, WorkflowPhase::Succeeded);
}

#[test]
fn a_templated_timeout_is_enforced() {
    let sim = run_with(
        "metadata: {name: t}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: s
        template: leaf
        arguments: {parameters: [{name: timeout, value: 5s}]}
  - name: leaf
    inputs: {parameters: [{name: timeout}]}
    timeout: '{{inputs.parameters.timeout}}'
    container: {image: busybox}
",
        |_| long(60),
    );
    assert_eq!(phase(&sim, "s"), NodePhase::Failed);
    assert_phase(&sim, WorkflowPhase::Failed);
}

#[test]
fn the_workflow_deadline_stops_work_and_never_starts_the_next_group() {
    let sim = run_with(
        "metadata: {name: t}
spec:
  entrypoint: main
  activeDeadlineSeconds: 10
  templates:
  - name: main
    steps:
    - - {name: slow, template: leaf}
    - - {name: never, template: leaf}
  - name: leaf
    container: {image: busybox}
",
        |_| long(60),
    );
    assert_phase(&sim, WorkflowPhase::Failed);
    assert_eq!(phase(&sim, "slow"), NodePhase::Failed);
    assert_eq!(message(&sim, "slow"), "Step exceeded its deadline");
    assert!(!has(&sim, "never"), "{:?}", summary(&sim));
    assert_eq!(sim.created_pods.len(), 1);
}

#[test]
fn the_exit_handler_still_runs_after_the_workflow_deadline() {
    let sim = run_with(
        "metadata: {name: t}
spec:
  entrypoint: main
  onExit: cleanup
  activeDeadlineSeconds: 10
  templates:
  - name: main
    container: {image: busybox}
  - name: cleanup
    container: {image: busybox}
",
        |req| {
            if req.node_name.contains("onExit") {
                PodOutcome::success()
            } else {
                long(60)
            }
        },
    );
    assert_phase(&sim, WorkflowPhase::Failed);
    assert_eq!(phase(&sim, "t.onExit"), NodePhase::Succeeded);
    assert_eq!(sim.created_pods.len(), 2);
}

#[test]
fn a_suspend_node_past_the_workflow_deadline_fails() {
    let sim = run("metadata: {name: t}
spec:
  entrypoint: main
  activeDeadlineSeconds: 10
  templates:
  - name: main
    steps:
    - - {name: wait, template: pause}
  - name: pause
    suspend: {}
");
    assert_phase(&sim, WorkflowPhase::Failed);
    assert_eq!(phase(&sim, "wait"), NodePhase::Failed);
    assert_eq!(message(&sim, "wait"), "Step exceeded its deadline");
}

#[test]
fn a_suspend_duration_from_a_parameter_resumes_by_itself() {
    let mut sim = sim_with(
        "metadata: {name: t}
spec:
  entrypoint: main
  arguments: {parameters: [{name: wait, value: '20'}]}
  templates:
  - name: main
    steps:
    - - {name: wait, template: pause}
  - name: pause
    suspend: {duration: '{{workflow.parameters.wait}}'}
",
        |_| PodOutcome::success(),
    );
    sim.run(50);
    assert_phase(&sim, WorkflowPhase::Succeeded);
    let node = node(&sim, "wait");
    assert_eq!(node.phase, NodePhase::Succeeded);
    let started = node.started_at.clone().expect("started").0;
    let finished = node.finished_at.clone().expect("finished").0;
    assert!(finished.duration_since(started) >= SignedDuration::from_secs(20));
}

#[test]
fn a_suspend_duration_with_units_is_parsed() {
    let mut sim = sim_with(
        "metadata: {name: t}
spec:
  entrypoint: main
  templates:
  - name: main
    suspend: {duration: 2m}
",
        |_| PodOutcome::success(),
    );
    sim.run(50);
    assert_phase(&sim, WorkflowPhase::Succeeded);
    let root = sim.node("t").expect("root");
    let took = root
        .finished_at
        .clone()
        .expect("finished")
        .0
        .duration_since(root.started_at.clone().expect("started").0);
    assert!(took >= SignedDuration::from_secs(120), "{took:?}");
}

#[test]
fn a_dag_task_timeout_fails_only_that_task_branch() {
    let sim = run_with(
        "metadata: {name: t}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: slow, template: limited}
      - {name: fast, template: leaf}
      - {name: after-slow, template: leaf, depends: slow}
  - name: limited
    timeout: 5s
    container: {image: busybox}
  - name: leaf
    container: {image: busybox}
",
        |req| {
            if req.node_name.ends_with(".slow") {
                long(60)
            } else {
                PodOutcome::success()
            }
        },
    );
    assert_phase(&sim, WorkflowPhase::Failed);
    assert_eq!(phase(&sim, "slow"), NodePhase::Failed);
    assert_eq!(phase(&sim, "fast"), NodePhase::Succeeded);
    assert_eq!(phase(&sim, "after-slow"), NodePhase::Omitted);
}
