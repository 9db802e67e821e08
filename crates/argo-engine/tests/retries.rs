//! Retry strategies in the simulation.

mod harness;

use argo_core::{NodePhase, NodeType, WorkflowPhase};
use argo_engine::simulation::PodOutcome;
use harness::*;

#[test]
fn a_retry_node_parents_each_attempt_and_stops_after_the_limit() {
    let sim = run_with("retry-limit", |_| PodOutcome::exit(1));
    assert_eq!(
        sim.workflow.status.phase,
        WorkflowPhase::Failed,
        "{:?}",
        names(&sim)
    );
    let root = sim.node("retry-limit").expect("root");
    assert_eq!(root.node_type, NodeType::Retry);
    assert_eq!(root.message, "No more retries left");
    assert_eq!(root.children.len(), 3);
    for attempt in 0..3 {
        let name = format!("retry-limit({attempt})");
        let node = sim.node(&name).expect("attempt");
        assert_eq!(node.phase, NodePhase::Failed);
        assert!(node.node_flag.as_ref().is_some_and(|f| f.retried), "{name}");
    }
    assert_eq!(sim.created_pods.len(), 3);
}

#[test]
fn a_retry_that_succeeds_succeeds_the_retry_node_with_its_outputs() {
    let mut attempts = 0;
    let sim = run_with("retry-limit", move |_| {
        attempts += 1;
        if attempts < 2 {
            PodOutcome::exit(1)
        } else {
            PodOutcome::success()
        }
    });
    assert_eq!(
        sim.workflow.status.phase,
        WorkflowPhase::Succeeded,
        "{:?}",
        names(&sim)
    );
    let root = sim.node("retry-limit").expect("root");
    assert_eq!(root.phase, NodePhase::Succeeded);
    assert_eq!(
        root.outputs
            .as_ref()
            .and_then(|o| o.exit_code.clone())
            .as_deref(),
        Some("0")
    );
    assert_eq!(sim.created_pods.len(), 2);
}

#[test]
fn retry_attempt_pods_are_named_after_the_attempt_nodes() {
    let sim = run_with("retry-limit", |_| PodOutcome::exit(1));
    assert_eq!(
        sim.created_pods[1],
        argo_engine::node_id::pod_name("retry-limit", "retry-limit(1)", "main")
    );
}

#[test]
fn backoff_waits_before_the_next_attempt_and_says_so() {
    let mut sim = argo_engine::simulation::Simulation::with_script(
        fixture("retry-backoff"),
        Box::new(|_| PodOutcome::exit(1)),
    );
    sim.run_until(20, |s| {
        s.created_pods.len() == 1
            && s.node("retry-backoff(0)")
                .is_some_and(|n| n.phase == NodePhase::Failed)
    });
    let reconciled = sim.step();
    let root = sim.node("retry-backoff").expect("root");
    assert_eq!(root.message, "Backoff for 10 seconds");
    assert!(reconciled.requeue_after.is_some_and(|d| d.as_secs() <= 10));
    sim.run(50);
    assert_eq!(sim.workflow.status.phase, WorkflowPhase::Failed);
    let starts: Vec<i64> = (0..4)
        .map(|i| {
            sim.node(&format!("retry-backoff({i})"))
                .expect("attempt")
                .started_at
                .clone()
                .expect("started")
                .0
                .as_second()
        })
        .collect();
    // Attempts finish one second after they start; backoff doubles: 10s, 20s, 40s.
    assert_eq!(starts[1] - starts[0], 11);
    assert_eq!(starts[2] - starts[1], 21);
    assert_eq!(starts[3] - starts[2], 41);
}

#[test]
fn retry_policy_on_error_does_not_retry_failures() {
    let sim = run_with("retry-policy", |_| PodOutcome::exit(1));
    assert_eq!(sim.workflow.status.phase, WorkflowPhase::Failed);
    assert_eq!(sim.created_pods.len(), 1);
    assert_eq!(
        sim.node("retry-policy").expect("root").message,
        "main: Error (exit code 1)"
    );
}

#[test]
fn a_false_retry_expression_stops_retrying() {
    let sim = run_with("retry-expression", |_| PodOutcome::exit(1));
    assert_eq!(
        sim.workflow.status.phase,
        WorkflowPhase::Failed,
        "{:?}",
        names(&sim)
    );
    assert_eq!(sim.created_pods.len(), 1);
    assert_eq!(
        sim.node("retry-expression").expect("root").message,
        "retryStrategy.expression evaluated to false"
    );
}

#[test]
fn a_true_retry_expression_keeps_retrying() {
    let sim = run_with("retry-expression", |_| PodOutcome::exit(2));
    assert_eq!(sim.created_pods.len(), 6, "{:?}", names(&sim));
}

#[test]
fn the_workflow_retry_strategy_applies_to_every_template() {
    let mut failed_once = false;
    let sim = run_with("retry-in-steps", move |req| {
        if req.node_name.contains("flaky") && !failed_once {
            failed_once = true;
            PodOutcome::exit(1)
        } else {
            PodOutcome::success()
        }
    });
    assert_eq!(
        sim.workflow.status.phase,
        WorkflowPhase::Succeeded,
        "{:?}",
        names(&sim)
    );
    assert_eq!(node(&sim, "flaky").node_type, NodeType::Retry);
    assert_eq!(
        sim.node("retry-in-steps").expect("root").node_type,
        NodeType::Retry
    );
    assert!(
        sim.node("retry-in-steps(0)[0].flaky(1)").is_some(),
        "{:?}",
        names(&sim)
    );
}
