//! Targeted cases: workflow `onExit`, step- and task-level `onExit`, what exit handlers see
//! (`workflow.status`, `workflow.failures`), and how their outcome changes the workflow's.

#[path = "golden/case_support.rs"]
mod support;

use argo_core::{NodePhase, WorkflowPhase};
use argo_engine::simulation::PodOutcome;
use support::*;

fn failing(suffix: &'static str) -> impl FnMut(&argo_engine::simulation::PodRequest) -> PodOutcome {
    move |req| {
        if req.node_name.ends_with(suffix) {
            PodOutcome::exit(1)
        } else {
            PodOutcome::success()
        }
    }
}

const BRANCHING_EXIT: &str = "metadata: {name: e}
spec:
  entrypoint: main
  onExit: exit
  templates:
  - name: main
    container: {image: busybox}
  - name: exit
    steps:
    - - {name: celebrate, template: leaf, when: '{{workflow.status}} == Succeeded'}
      - {name: cry, template: leaf, when: '{{workflow.status}} != Succeeded'}
  - name: leaf
    container: {image: busybox}
";

#[test]
fn the_exit_handler_branches_on_a_successful_status() {
    let sim = run(BRANCHING_EXIT);
    assert_phase(&sim, WorkflowPhase::Succeeded);
    assert_eq!(phase(&sim, "celebrate"), NodePhase::Succeeded);
    assert_eq!(phase(&sim, "cry"), NodePhase::Skipped);
    assert_eq!(phase(&sim, "e.onExit"), NodePhase::Succeeded);
}

#[test]
fn the_exit_handler_branches_on_a_failed_status() {
    let sim = run_with(BRANCHING_EXIT, |req| {
        if req.node_name == "e" {
            PodOutcome::exit(1)
        } else {
            PodOutcome::success()
        }
    });
    assert_phase(&sim, WorkflowPhase::Failed);
    assert_eq!(phase(&sim, "celebrate"), NodePhase::Skipped);
    assert_eq!(phase(&sim, "cry"), NodePhase::Succeeded);
}

#[test]
fn the_exit_handler_runs_after_the_entrypoint_finishes() {
    let sim = run(BRANCHING_EXIT);
    let main_done = sim
        .node("e")
        .and_then(|n| n.finished_at.clone())
        .expect("main finished")
        .0;
    let exit_started = node(&sim, "e.onExit")
        .started_at
        .clone()
        .expect("exit started")
        .0;
    assert!(exit_started >= main_done);
}

#[test]
fn the_exit_handler_node_is_named_after_the_workflow() {
    let sim = run(BRANCHING_EXIT);
    let exit = node(&sim, "e.onExit");
    assert_eq!(exit.name, "e.onExit");
    assert_eq!(exit.template_name, "exit");
}

#[test]
fn without_on_exit_no_exit_node_is_created() {
    let sim = run("metadata: {name: e}
spec:
  entrypoint: main
  templates:
  - name: main
    container: {image: busybox}
");
    assert_phase(&sim, WorkflowPhase::Succeeded);
    assert!(!has(&sim, "e.onExit"));
    assert_eq!(sim.workflow.status.nodes.len(), 1);
}

#[test]
fn a_failing_exit_handler_keeps_a_failed_workflow_failed() {
    let sim = run_with(
        "metadata: {name: e}
spec:
  entrypoint: main
  onExit: exit
  templates:
  - name: main
    container: {image: busybox}
  - name: exit
    container: {image: busybox}
",
        |_| PodOutcome::exit(1),
    );
    assert_phase(&sim, WorkflowPhase::Failed);
    assert_eq!(phase(&sim, "e.onExit"), NodePhase::Failed);
}

const STEP_EXIT: &str = "metadata: {name: e}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: work, template: leaf, onExit: tidy}
    - - {name: next, template: leaf}
  - name: leaf
    container: {image: busybox}
  - name: tidy
    container: {image: busybox}
";

#[test]
fn a_step_exit_handler_runs_when_the_step_fails() {
    let sim = run_with(STEP_EXIT, failing(".work"));
    assert_phase(&sim, WorkflowPhase::Failed);
    assert_eq!(phase(&sim, "work"), NodePhase::Failed);
    assert_eq!(phase(&sim, "work.onExit"), NodePhase::Succeeded);
    assert!(!has(&sim, "next"), "{:?}", summary(&sim));
}

#[test]
fn a_step_exit_handler_runs_once_per_step() {
    let sim = run(STEP_EXIT);
    assert_phase(&sim, WorkflowPhase::Succeeded);
    assert_eq!(phase(&sim, "work.onExit"), NodePhase::Succeeded);
    assert_eq!(sim.created_pods.len(), 3);
}

#[test]
fn a_dag_task_exit_handler_runs_before_its_dependents() {
    let sim = run("metadata: {name: e}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: a, template: leaf, onExit: tidy}
      - {name: b, template: leaf, depends: a}
  - name: leaf
    container: {image: busybox}
  - name: tidy
    container: {image: busybox}
");
    assert_phase(&sim, WorkflowPhase::Succeeded);
    let exit = node(&sim, "a.onExit");
    assert_eq!(exit.phase, NodePhase::Succeeded);
    let exit_done = exit.finished_at.clone().expect("exit finished").0;
    let b_started = node(&sim, "b").started_at.clone().expect("b started").0;
    assert!(b_started >= exit_done, "b starts after a's exit handler");
}

#[test]
fn the_exit_handler_sees_workflow_parameters() {
    let sim = run_with(
        "metadata: {name: e}
spec:
  entrypoint: main
  onExit: exit
  arguments: {parameters: [{name: who, value: ops}]}
  templates:
  - name: main
    container: {image: busybox}
  - name: exit
    inputs: {parameters: [{name: to, value: '{{workflow.parameters.who}}'}]}
    container: {image: busybox, args: ['notify {{inputs.parameters.to}}']}
",
        |req| {
            if req.node_name.ends_with("onExit") {
                let args = req.template.container.as_ref().and_then(|c| c.args.clone());
                assert_eq!(args, Some(vec!["notify ops".to_owned()]));
            }
            PodOutcome::success()
        },
    );
    assert_phase(&sim, WorkflowPhase::Succeeded);
    assert_eq!(phase(&sim, "e.onExit"), NodePhase::Succeeded);
}

#[test]
fn the_exit_handler_lists_the_failed_steps() {
    let sim = run_with(
        "metadata: {name: e}
spec:
  entrypoint: main
  onExit: exit
  templates:
  - name: main
    steps:
    - - {name: broken, template: leaf}
  - name: leaf
    container: {image: busybox}
  - name: exit
    container: {image: busybox, args: ['{{workflow.failures}}']}
",
        |req| {
            if req.node_name.ends_with("onExit") {
                let arg = req
                    .template
                    .container
                    .as_ref()
                    .and_then(|c| c.args.clone())
                    .unwrap_or_default()
                    .join("");
                assert!(arg.contains("\"displayName\":\"broken\""), "{arg}");
                assert!(
                    arg.contains("\"message\":\"main: Error (exit code 1)\""),
                    "{arg}"
                );
                PodOutcome::success()
            } else {
                PodOutcome::exit(1)
            }
        },
    );
    assert_phase(&sim, WorkflowPhase::Failed);
    assert_eq!(phase(&sim, "e.onExit"), NodePhase::Succeeded);
}
