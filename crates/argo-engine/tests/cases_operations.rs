//! Targeted cases: suspend/resume, stop and terminate, retry and resubmit run as pure
//! operations on the workflow and then continued in the simulation.

#[path = "golden/case_support.rs"]
mod support;

use argo_core::{NodePhase, WorkflowPhase};
use argo_engine::operations::{self, NodeSelector, RetryOptions};
use argo_engine::simulation::{PodOutcome, Simulation};
use jiff::SignedDuration;
use support::*;

const APPROVAL: &str = "metadata: {name: o}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: before, template: leaf}
    - - {name: approve, template: pause}
    - - {name: after, template: leaf}
  - name: pause
    suspend: {}
  - name: leaf
    container: {image: busybox}
";

fn waiting(yaml: &str) -> Simulation {
    let mut sim = sim_with(yaml, |_| PodOutcome::success());
    sim.run(40);
    sim
}

fn selector(text: &str) -> NodeSelector {
    NodeSelector::parse(text).expect("a valid selector")
}

#[test]
fn a_suspend_step_without_duration_waits_indefinitely() {
    let mut sim = waiting(APPROVAL);
    sim.advance_by(SignedDuration::from_hours(48));
    sim.run(20);
    assert_phase(&sim, WorkflowPhase::Running);
    assert_eq!(phase(&sim, "approve"), NodePhase::Running);
    assert!(!has(&sim, "after"));
    assert_eq!(sim.created_pods.len(), 1);
}

#[test]
fn resuming_the_workflow_succeeds_the_suspend_node_and_continues() {
    let mut sim = waiting(APPROVAL);
    sim.workflow =
        operations::resume(&sim.workflow, &NodeSelector::default(), sim.now).expect("resume");
    sim.run(40);
    assert_phase(&sim, WorkflowPhase::Succeeded);
    assert_eq!(phase(&sim, "approve"), NodePhase::Succeeded);
    assert_eq!(phase(&sim, "after"), NodePhase::Succeeded);
}

#[test]
fn resuming_by_a_selector_that_matches_nothing_is_refused() {
    let sim = waiting(APPROVAL);
    let err = operations::resume(&sim.workflow, &selector("displayName=nope"), sim.now)
        .expect_err("no suspend node matches");
    assert!(err.to_string().contains("displayName=nope"), "{err}");
}

#[test]
fn stopping_the_suspend_node_fails_the_workflow_with_the_message() {
    let mut sim = waiting(APPROVAL);
    sim.workflow = operations::stop(
        &sim.workflow,
        &selector("displayName=approve"),
        "rejected",
        sim.now,
    )
    .expect("stop node");
    sim.run(40);
    assert_phase(&sim, WorkflowPhase::Failed);
    assert_eq!(phase(&sim, "approve"), NodePhase::Failed);
    assert_eq!(message(&sim, "approve"), "rejected");
    assert!(!has(&sim, "after"));
}

#[test]
fn a_resumed_suspend_node_takes_its_supplied_default() {
    let mut sim = waiting(
        "metadata: {name: o}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: approve, template: pause}
  - name: pause
    suspend: {}
    outputs:
      parameters:
      - name: answer
        valueFrom: {supplied: {}, default: 'no'}
",
    );
    sim.workflow =
        operations::resume(&sim.workflow, &NodeSelector::default(), sim.now).expect("resume");
    sim.run(20);
    assert_phase(&sim, WorkflowPhase::Succeeded);
    assert_eq!(output(&sim, "approve", "answer").as_deref(), Some("no"));
}

#[test]
fn a_suspend_task_in_a_dag_holds_back_only_its_dependents() {
    let sim = waiting(
        "metadata: {name: o}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: gate, template: pause}
      - {name: free, template: leaf}
      - {name: gated, template: leaf, depends: gate}
  - name: pause
    suspend: {}
  - name: leaf
    container: {image: busybox}
",
    );
    assert_phase(&sim, WorkflowPhase::Running);
    assert_eq!(phase(&sim, "free"), NodePhase::Succeeded);
    assert_eq!(phase(&sim, "gate"), NodePhase::Running);
    assert!(!has(&sim, "gated"));
}

#[test]
fn terminate_fails_running_pods_with_the_strategy_message() {
    let mut sim = sim_with(
        "metadata: {name: o}
spec:
  entrypoint: main
  templates:
  - name: main
    container: {image: busybox}
",
        |_| PodOutcome {
            run_forever: true,
            ..PodOutcome::success()
        },
    );
    sim.run(5);
    sim.workflow = operations::terminate(&sim.workflow).expect("terminate");
    sim.run(20);
    assert_phase(&sim, WorkflowPhase::Failed);
    assert_eq!(phase(&sim, "o"), NodePhase::Failed);
    assert_eq!(message(&sim, "o"), "Stopped with strategy 'Terminate'");
    assert!(
        sim.effects
            .iter()
            .any(|e| matches!(e, argo_engine::Effect::DeletePod { .. })),
        "the running pod is deleted"
    );
}

#[test]
fn stop_fails_the_running_step_with_the_stop_message() {
    let mut sim = sim_with(APPROVAL, |_| PodOutcome {
        run_forever: true,
        ..PodOutcome::success()
    });
    sim.run(5);
    sim.workflow =
        operations::stop(&sim.workflow, &NodeSelector::default(), "", sim.now).expect("stop");
    sim.run(20);
    assert_phase(&sim, WorkflowPhase::Failed);
    assert_eq!(message(&sim, "before"), "Stopped with strategy 'Stop'");
    assert!(!has(&sim, "approve"));
}

const DAG: &str = "metadata: {name: o}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: a, template: leaf}
      - {name: b, template: leaf, depends: a}
      - {name: c, template: leaf, depends: b}
  - name: leaf
    container: {image: busybox}
";

fn failing_b() -> Simulation {
    run_with(DAG, |req| {
        if req.node_name.ends_with(".b") {
            PodOutcome::exit(1)
        } else {
            PodOutcome::success()
        }
    })
}

#[test]
fn retrying_a_failed_dag_keeps_succeeded_tasks_and_reruns_the_rest() {
    let failed = failing_b();
    assert_phase(&failed, WorkflowPhase::Failed);
    assert_eq!(phase(&failed, "c"), NodePhase::Omitted);
    let retried = operations::retry(&failed.workflow, &RetryOptions::default()).expect("retry");
    assert!(retried.workflow.status.finished_at.is_none());
    let mut again = Simulation::new(retried.workflow);
    again.now = failed.now;
    again.run(50);
    assert_phase(&again, WorkflowPhase::Succeeded);
    assert_eq!(again.created_pods.len(), 2, "only b and c run again");
    assert_eq!(phase(&again, "c"), NodePhase::Succeeded);
}

#[test]
fn retry_with_restart_successful_reruns_the_selected_succeeded_task() {
    let failed = failing_b();
    let options = RetryOptions {
        restart_successful: true,
        node_selector: selector("displayName=a"),
        parameters: Vec::new(),
    };
    let retried = operations::retry(&failed.workflow, &options).expect("retry");
    let a_id = argo_engine::node_id::node_id("o", "o.a");
    assert!(!retried.workflow.status.nodes.contains_key(&a_id));
    let mut again = Simulation::new(retried.workflow);
    again.now = failed.now;
    again.run(50);
    assert_phase(&again, WorkflowPhase::Succeeded);
    assert_eq!(again.created_pods.len(), 3);
}

#[test]
fn retry_reports_the_failed_pods_to_delete() {
    let failed = failing_b();
    let retried = operations::retry(&failed.workflow, &RetryOptions::default()).expect("retry");
    assert_eq!(
        retried.pods_to_delete,
        [argo_engine::node_id::pod_name("o", "o.b", "leaf")]
    );
}

#[test]
fn retry_records_the_pods_and_task_results_to_delete_on_the_workflow() {
    let failed = failing_b();
    let retried = operations::retry(&failed.workflow, &RetryOptions::default()).expect("retry");
    let leftovers = operations::RetryLeftovers::of(&retried.workflow)
        .expect("a readable record")
        .expect("a record");
    let b_pod = argo_engine::node_id::pod_name("o", "o.b", "leaf");
    assert_eq!(leftovers.pods.iter().collect::<Vec<_>>(), [&b_pod]);
    let b_id = argo_engine::node_id::node_id("o", "o.b");
    assert_eq!(leftovers.task_results.iter().collect::<Vec<_>>(), [&b_id]);
    let c_id = argo_engine::node_id::node_id("o", "o.c");
    assert!(
        !retried.workflow.status.nodes.contains_key(&c_id),
        "the omitted task is judged again"
    );
}

#[test]
fn a_skipped_task_in_a_retried_dag_is_judged_again_and_stays_skipped() {
    let failed = run_with(
        "metadata: {name: o}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: a, template: leaf}
      - {name: never, template: leaf, when: 'false'}
      - {name: b, template: leaf, depends: a}
  - name: leaf
    container: {image: busybox}
",
        |req| {
            if req.node_name.ends_with(".a") {
                PodOutcome::exit(1)
            } else {
                PodOutcome::success()
            }
        },
    );
    assert_phase(&failed, WorkflowPhase::Failed);
    assert_eq!(phase(&failed, "never"), NodePhase::Skipped);
    let retried = operations::retry(&failed.workflow, &RetryOptions::default()).expect("retry");
    let mut again = Simulation::new(retried.workflow);
    again.now = failed.now;
    again.run(50);
    assert_phase(&again, WorkflowPhase::Succeeded);
    assert_eq!(phase(&again, "never"), NodePhase::Skipped);
    assert_eq!(phase(&again, "b"), NodePhase::Succeeded);
    assert_eq!(again.created_pods.len(), 2, "a and b run");
}

#[test]
fn a_skipped_step_of_a_group_that_stays_succeeded_is_kept_on_retry() {
    let failed = run_with(
        "metadata: {name: o}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: hello, template: leaf}
      - {name: never, template: leaf, when: 'false'}
    - - {name: flaky, template: leaf}
  - name: leaf
    container: {image: busybox}
",
        |req| {
            if req.node_name.ends_with(".flaky") {
                PodOutcome::exit(1)
            } else {
                PodOutcome::success()
            }
        },
    );
    assert_phase(&failed, WorkflowPhase::Failed);
    assert_eq!(phase(&failed, "never"), NodePhase::Skipped);
    let retried = operations::retry(&failed.workflow, &RetryOptions::default()).expect("retry");
    let kept = retried.workflow.status.nodes.values();
    assert!(kept.into_iter().any(|n| n.display_name == "never"));
    let mut again = Simulation::new(retried.workflow);
    again.now = failed.now;
    again.run(50);
    assert_phase(&again, WorkflowPhase::Succeeded);
    assert_eq!(phase(&again, "never"), NodePhase::Skipped);
    assert_eq!(again.created_pods.len(), 1, "only flaky runs again");
}

#[test]
fn retrying_one_failed_node_by_id_reruns_it() {
    let failed = failing_b();
    let b_id = argo_engine::node_id::node_id("o", "o.b");
    let options = RetryOptions {
        restart_successful: true,
        node_selector: selector(&format!("id={b_id}")),
        parameters: Vec::new(),
    };
    let retried = operations::retry(&failed.workflow, &options).expect("retry");
    assert_eq!(
        retried.pods_to_delete,
        [argo_engine::node_id::pod_name("o", "o.b", "leaf")]
    );
    let mut again = Simulation::new(retried.workflow);
    again.now = failed.now;
    again.run(50);
    assert_phase(&again, WorkflowPhase::Succeeded);
    assert_eq!(phase(&again, "a"), NodePhase::Succeeded);
    assert_eq!(again.created_pods.len(), 2, "b and c run; a is kept");
}

#[test]
fn resubmit_starts_over_with_no_status() {
    let failed = failing_b();
    let fresh = operations::resubmit(&failed.workflow, "o2", false, &[]).expect("resubmit");
    assert_eq!(fresh.metadata.name.as_deref(), Some("o2"));
    assert!(fresh.status.nodes.is_empty());
    let mut again = Simulation::new(fresh);
    again.run(50);
    assert_phase(&again, WorkflowPhase::Succeeded);
    assert_eq!(again.created_pods.len(), 3);
}

#[test]
fn resubmit_applies_new_parameters() {
    let done = run("metadata: {name: o}
spec:
  entrypoint: main
  arguments: {parameters: [{name: msg, value: old}]}
  templates:
  - name: main
    container: {image: busybox, args: ['{{workflow.parameters.msg}}']}
");
    let fresh = operations::resubmit(&done.workflow, "o2", false, &["msg=new".to_owned()])
        .expect("resubmit");
    let mut again = Simulation::with_script(
        fresh,
        Box::new(|req| {
            let args = req.template.container.as_ref().and_then(|c| c.args.clone());
            assert_eq!(args, Some(vec!["new".to_owned()]));
            PodOutcome::success()
        }),
    );
    again.run(20);
    assert_phase(&again, WorkflowPhase::Succeeded);
}
