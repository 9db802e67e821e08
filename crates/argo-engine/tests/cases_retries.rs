//! Targeted cases: retry strategies (each policy, limits, backoff factor/cap/maxDuration,
//! expressions, retried steps and DAG tasks), each asserting the node and workflow statuses.

#[path = "golden/case_support.rs"]
mod support;

use argo_core::{NodePhase, NodeType, WorkflowPhase};
use argo_engine::simulation::PodOutcome;
use support::*;

/// A single retried container; `strategy` is the YAML body of its retryStrategy.
fn retried(strategy: &str, outputs: bool) -> String {
    let outputs = if outputs {
        "    outputs:\n      parameters:\n      - name: out\n        valueFrom: {path: /tmp/out}\n"
    } else {
        ""
    };
    format!(
        "metadata: {{name: r}}
spec:
  entrypoint: main
  templates:
  - name: main
    retryStrategy:
{strategy}
{outputs}    container: {{image: busybox, command: [sh, -c, 'exit 1']}}
"
    )
}

fn attempts(sim: &argo_engine::simulation::Simulation) -> Vec<NodePhase> {
    (0..)
        .map_while(|i| sim.node(&format!("r({i})")).map(|n| n.phase.clone()))
        .collect()
}

#[test]
fn always_retries_failures_until_the_limit() {
    let sim = run_with(
        &retried("      limit: 2\n      retryPolicy: Always", false),
        |_| PodOutcome::exit(1),
    );
    assert_phase(&sim, WorkflowPhase::Failed);
    assert_eq!(attempts(&sim), vec![NodePhase::Failed; 3]);
    let root = sim.node("r").expect("retry node");
    assert_eq!(root.node_type, NodeType::Retry);
    assert_eq!(root.phase, NodePhase::Failed);
    assert_eq!(root.message, "No more retries left");
}

#[test]
fn always_retries_errors_too() {
    let sim = run_with(
        &retried("      limit: 2\n      retryPolicy: Always", true),
        |_| PodOutcome::success(),
    );
    assert_phase(&sim, WorkflowPhase::Error);
    assert_eq!(attempts(&sim), vec![NodePhase::Error; 3]);
    assert_eq!(sim.node("r").expect("retry").phase, NodePhase::Error);
}

#[test]
fn on_failure_is_the_default_and_does_not_retry_errors() {
    let sim = run_with(&retried("      limit: 2", true), |_| PodOutcome::success());
    assert_eq!(attempts(&sim), vec![NodePhase::Error]);
    let root = sim.node("r").expect("retry");
    assert_eq!(root.phase, NodePhase::Error);
    assert_eq!(root.message, sim.node("r(0)").expect("attempt").message);
    assert_phase(&sim, WorkflowPhase::Error);
}

#[test]
fn on_failure_retries_failures() {
    let sim = run_with(
        &retried("      limit: 1\n      retryPolicy: OnFailure", false),
        |_| PodOutcome::exit(3),
    );
    assert_eq!(attempts(&sim), vec![NodePhase::Failed; 2]);
    assert_eq!(
        sim.node("r(1)").expect("attempt").message,
        "main: Error (exit code 3)"
    );
    assert_phase(&sim, WorkflowPhase::Failed);
}

#[test]
fn on_error_retries_errors() {
    let sim = run_with(
        &retried("      limit: 1\n      retryPolicy: OnError", true),
        |_| PodOutcome::success(),
    );
    assert_eq!(attempts(&sim), vec![NodePhase::Error; 2]);
    assert_eq!(
        sim.node("r").expect("retry").message,
        "No more retries left"
    );
}

#[test]
fn on_transient_error_retries_a_transient_pod_failure() {
    let mut calls = 0;
    let sim = run_with(
        &retried("      limit: 3\n      retryPolicy: OnTransientError", false),
        move |_| {
            calls += 1;
            if calls == 1 {
                PodOutcome {
                    pod_message: Some("dial tcp: i/o timeout".into()),
                    ..PodOutcome::exit(1)
                }
            } else {
                PodOutcome::success()
            }
        },
    );
    assert_eq!(
        attempts(&sim),
        vec![NodePhase::Failed, NodePhase::Succeeded]
    );
    assert_eq!(
        sim.node("r(0)").expect("attempt").message,
        "dial tcp: i/o timeout"
    );
    assert_phase(&sim, WorkflowPhase::Succeeded);
}

#[test]
fn on_transient_error_does_not_retry_an_ordinary_failure() {
    let sim = run_with(
        &retried("      limit: 3\n      retryPolicy: OnTransientError", false),
        |_| PodOutcome::exit(1),
    );
    assert_eq!(attempts(&sim), vec![NodePhase::Failed]);
    assert_eq!(
        sim.node("r").expect("retry").message,
        "main: Error (exit code 1)"
    );
    assert_phase(&sim, WorkflowPhase::Failed);
}

#[test]
fn limit_zero_runs_exactly_once() {
    let sim = run_with(&retried("      limit: 0", false), |_| PodOutcome::exit(1));
    assert_eq!(attempts(&sim), vec![NodePhase::Failed]);
    assert_eq!(
        sim.node("r").expect("retry").message,
        "No more retries left"
    );
}

#[test]
fn a_string_limit_is_an_integer() {
    let sim = run_with(&retried("      limit: \"2\"", false), |_| {
        PodOutcome::exit(1)
    });
    assert_eq!(attempts(&sim).len(), 3);
    assert_phase(&sim, WorkflowPhase::Failed);
}

#[test]
fn a_non_numeric_limit_errors_the_node() {
    let sim = run_with(&retried("      limit: lots", false), |_| {
        PodOutcome::exit(1)
    });
    assert!(
        matches!(
            sim.workflow.status.phase,
            WorkflowPhase::Error | WorkflowPhase::Failed
        ),
        "{:?}",
        summary(&sim)
    );
    assert!(
        sim.workflow.status.message.contains("lots")
            || summary(&sim).iter().any(|m| m.contains("lots")),
        "the error names the bad value: {:?} {:?}",
        sim.workflow.status.message,
        summary(&sim)
    );
}

#[test]
fn success_on_the_third_attempt_succeeds_the_retry_node() {
    let mut calls = 0;
    let sim = run_with(&retried("      limit: 5", false), move |_| {
        calls += 1;
        PodOutcome::exit(if calls < 3 { 1 } else { 0 })
    });
    assert_eq!(
        attempts(&sim),
        vec![NodePhase::Failed, NodePhase::Failed, NodePhase::Succeeded]
    );
    let root = sim.node("r").expect("retry");
    assert_eq!(root.phase, NodePhase::Succeeded);
    assert_eq!(root.children.len(), 3);
    assert_phase(&sim, WorkflowPhase::Succeeded);
}

#[test]
fn backoff_cap_limits_each_wait() {
    let mut sim = sim_with(
        &retried(
            "      limit: 3\n      backoff: {duration: 10s, factor: 10, cap: 30s}",
            false,
        ),
        |_| PodOutcome::exit(1),
    );
    sim.run(100);
    assert_phase(&sim, WorkflowPhase::Failed);
    let starts: Vec<i64> = (0..4)
        .map(|i| {
            sim.node(&format!("r({i})"))
                .and_then(|n| n.started_at.clone())
                .expect("attempt started")
                .0
                .as_second()
        })
        .collect();
    // Each attempt runs 1 s; waits are 10 s, then 100 s and 1000 s capped to 30 s.
    assert_eq!(starts[1] - starts[0], 11);
    assert_eq!(starts[2] - starts[1], 31);
    assert_eq!(starts[3] - starts[2], 31);
}

#[test]
fn backoff_beyond_max_duration_stops_retrying() {
    let sim = run_with(
        &retried(
            "      limit: 5\n      backoff: {duration: 1m, maxDuration: 30s}",
            false,
        ),
        |_| PodOutcome::exit(1),
    );
    assert_eq!(attempts(&sim), vec![NodePhase::Failed]);
    let root = sim.node("r").expect("retry");
    assert_eq!(root.phase, NodePhase::Failed);
    assert_eq!(root.message, "Backoff would exceed max duration limit");
}

#[test]
fn a_backoff_without_a_duration_is_an_error() {
    let sim = run_with(
        &retried("      limit: 2\n      backoff: {factor: 2}", false),
        |_| PodOutcome::exit(1),
    );
    assert!(
        summary(&sim)
            .iter()
            .any(|n| n.contains("no base duration specified for retryStrategy"))
            || sim
                .workflow
                .status
                .message
                .contains("no base duration specified for retryStrategy"),
        "{:?} {:?}",
        sim.workflow.status.message,
        summary(&sim)
    );
    assert_ne!(sim.workflow.status.phase, WorkflowPhase::Succeeded);
}

#[test]
fn the_expression_sees_the_last_exit_code() {
    let mut calls = 0;
    let sim = run_with(
        &retried(
            "      limit: 10\n      expression: asInt(lastRetry.exitCode) == 2",
            false,
        ),
        move |_| {
            calls += 1;
            PodOutcome::exit(if calls == 1 { 2 } else { 1 })
        },
    );
    assert_eq!(attempts(&sim), vec![NodePhase::Failed; 2]);
    assert_eq!(
        sim.node("r").expect("retry").message,
        "retryStrategy.expression evaluated to false"
    );
    assert_phase(&sim, WorkflowPhase::Failed);
}

#[test]
fn the_expression_sees_the_retry_count() {
    let sim = run_with(
        &retried(
            "      limit: 10\n      expression: asInt(retries) < 2",
            false,
        ),
        |_| PodOutcome::exit(1),
    );
    assert_eq!(attempts(&sim).len(), 3);
    assert_phase(&sim, WorkflowPhase::Failed);
}

#[test]
fn the_expression_sees_the_last_status() {
    let sim = run_with(
        &retried(
            "      limit: 4\n      retryPolicy: Always\n      expression: lastRetry.status == 'Error'",
            true,
        ),
        |_| PodOutcome::success(),
    );
    assert_eq!(attempts(&sim), vec![NodePhase::Error; 5]);
    assert_eq!(
        sim.node("r").expect("retry").message,
        "No more retries left"
    );
}

#[test]
fn a_retried_steps_template_reruns_its_groups() {
    let mut calls = 0;
    let sim = run_with(
        "metadata: {name: r}
spec:
  entrypoint: main
  templates:
  - name: main
    retryStrategy: {limit: 2}
    steps:
    - - {name: a, template: leaf}
    - - {name: b, template: leaf}
  - name: leaf
    container: {image: busybox}
",
        move |req| {
            calls += 1;
            if req.node_name.ends_with(".b") && calls < 4 {
                PodOutcome::exit(1)
            } else {
                PodOutcome::success()
            }
        },
    );
    assert_phase(&sim, WorkflowPhase::Succeeded);
    let root = sim.node("r").expect("retry node");
    assert_eq!(root.node_type, NodeType::Retry);
    assert_eq!(root.children.len(), 2);
    assert_eq!(sim.node("r(0)").expect("first").phase, NodePhase::Failed);
    assert_eq!(
        sim.node("r(1)").expect("second").phase,
        NodePhase::Succeeded
    );
    assert_eq!(
        sim.node("r(1)[1].b").expect("b").phase,
        NodePhase::Succeeded
    );
    assert_eq!(sim.created_pods.len(), 4);
}

#[test]
fn a_retried_dag_task_lets_dependents_run_after_it_succeeds() {
    let mut calls = 0;
    let sim = run_with(
        "metadata: {name: r}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: a, template: flaky}
      - {name: b, template: leaf, depends: a}
  - name: flaky
    retryStrategy: {limit: 3}
    container: {image: busybox}
  - name: leaf
    container: {image: busybox}
",
        move |req| {
            calls += 1;
            if req.node_name.starts_with("r.a") && calls < 3 {
                PodOutcome::exit(1)
            } else {
                PodOutcome::success()
            }
        },
    );
    assert_phase(&sim, WorkflowPhase::Succeeded);
    let a = sim.node("r.a").expect("task a");
    assert_eq!(a.node_type, NodeType::Retry);
    assert_eq!(a.phase, NodePhase::Succeeded);
    assert_eq!(a.children.len(), 3);
    assert_eq!(sim.node("r.b").expect("b").phase, NodePhase::Succeeded);
}

#[test]
fn retry_attempts_are_flagged_as_retried() {
    let sim = run_with(&retried("      limit: 1", false), |_| PodOutcome::exit(1));
    for i in 0..2 {
        let attempt = sim.node(&format!("r({i})")).expect("attempt");
        assert!(
            attempt.node_flag.as_ref().is_some_and(|f| f.retried),
            "attempt {i} carries the retried flag"
        );
    }
}
