//! Retry and resubmit as pure functions, then run again in the simulation.

mod harness;

use argo_core::{NodePhase, WorkflowPhase};
use argo_engine::operations::{self, NodeSelector, RetryOptions};
use argo_engine::simulation::{PodOutcome, Simulation};
use harness::*;

fn failed_steps() -> Simulation {
    run_with("steps-sequence", |req| {
        if req.node_name.ends_with("hello2b") {
            PodOutcome::exit(1)
        } else {
            PodOutcome::success()
        }
    })
}

#[test]
fn retry_removes_failed_pods_and_reopens_their_ancestors() {
    let sim = failed_steps();
    assert_eq!(sim.workflow.status.phase, WorkflowPhase::Failed);
    let retried = operations::retry(&sim.workflow, &RetryOptions::default()).expect("retry");
    let wf = &retried.workflow;
    assert_eq!(wf.status.phase, WorkflowPhase::Running);
    assert!(wf.status.finished_at.is_none());
    let failed_id = argo_engine::node_id::node_id("steps", "steps[1].hello2b");
    assert!(!wf.status.nodes.contains_key(&failed_id));
    assert_eq!(
        retried.pods_to_delete,
        [argo_engine::node_id::pod_name(
            "steps",
            "steps[1].hello2b",
            "print"
        )]
    );
    let root = &wf.status.nodes["steps"];
    assert_eq!(root.phase, NodePhase::Running);
    let kept = &wf.status.nodes[&argo_engine::node_id::node_id("steps", "steps[1].hello2a")];
    assert_eq!(kept.phase, NodePhase::Succeeded);
    let labels = wf.metadata.labels.clone().expect("labels");
    assert_eq!(
        labels
            .get("workflows.argoproj.io/completed")
            .map(String::as_str),
        Some("false")
    );
}

#[test]
fn a_retried_workflow_reruns_only_the_failed_step() {
    let sim = failed_steps();
    let retried = operations::retry(&sim.workflow, &RetryOptions::default()).expect("retry");
    let mut again = Simulation::new(retried.workflow);
    again.now = sim.now;
    again.run(50);
    assert_eq!(
        again.workflow.status.phase,
        WorkflowPhase::Succeeded,
        "{:?}",
        names(&again)
    );
    assert_eq!(
        again.created_pods,
        [argo_engine::node_id::pod_name(
            "steps",
            "steps[1].hello2b",
            "print"
        )]
    );
}

#[test]
fn retrying_a_running_workflow_is_refused() {
    let mut sim = Simulation::new(fixture("hello-world"));
    sim.step();
    let err = operations::retry(&sim.workflow, &RetryOptions::default()).expect_err("running");
    assert_eq!(err.to_string(), "Cannot retry a workflow in phase Running");
}

#[test]
fn retrying_a_succeeded_workflow_needs_restart_successful_and_a_selector() {
    let sim = run("steps-sequence");
    let err = operations::retry(&sim.workflow, &RetryOptions::default()).expect_err("succeeded");
    assert_eq!(
        err.to_string(),
        "To retry a succeeded workflow, set the options restartSuccessful and nodeFieldSelector"
    );
    let options = RetryOptions {
        restart_successful: true,
        node_selector: NodeSelector::parse("displayName=hello2a").expect("selector"),
        parameters: vec![],
    };
    let retried = operations::retry(&sim.workflow, &options).expect("retry");
    let mut again = Simulation::new(retried.workflow);
    again.run(50);
    assert_eq!(
        again.workflow.status.phase,
        WorkflowPhase::Succeeded,
        "{:?}",
        names(&again)
    );
    assert_eq!(again.created_pods.len(), 1);
}

#[test]
fn retry_applies_new_parameters() {
    let sim = run_with("global-params", |_| PodOutcome::exit(1));
    let options = RetryOptions {
        parameters: vec!["message=again".into()],
        ..RetryOptions::default()
    };
    let retried = operations::retry(&sim.workflow, &options).expect("retry");
    assert_eq!(
        retried.workflow.spec.arguments.parameters[0]
            .value
            .as_ref()
            .map(|v| v.0.as_str()),
        Some("again")
    );
    assert!(
        operations::retry(
            &sim.workflow,
            &RetryOptions {
                parameters: vec!["bad".into()],
                ..RetryOptions::default()
            }
        )
        .is_err()
    );
}

#[test]
fn resubmit_creates_a_fresh_workflow_labelled_with_its_origin() {
    let sim = run("hello-world");
    let new = operations::resubmit(&sim.workflow, "hello-world-2", false, &[]).expect("resubmit");
    assert_eq!(new.name(), "hello-world-2");
    assert!(new.status.nodes.is_empty());
    let labels = new.metadata.labels.clone().expect("labels");
    assert_eq!(
        labels
            .get("workflows.argoproj.io/resubmitted-from-workflow")
            .map(String::as_str),
        Some("hello-world")
    );
    assert!(!labels.contains_key("workflows.argoproj.io/completed"));
    let mut again = Simulation::new(new);
    again.run(20);
    assert_eq!(again.workflow.status.phase, WorkflowPhase::Succeeded);
}

#[test]
fn memoized_resubmit_keeps_succeeded_nodes_under_the_new_name() {
    let sim = failed_steps();
    let new = operations::resubmit(&sim.workflow, "steps-2", true, &[]).expect("resubmit");
    let kept = argo_engine::node_id::node_id("steps-2", "steps-2[0].hello1");
    assert_eq!(new.status.nodes[&kept].phase, NodePhase::Succeeded);
    let mut again = Simulation::new(new);
    again.run(50);
    assert_eq!(
        again.workflow.status.phase,
        WorkflowPhase::Succeeded,
        "{:?}",
        names(&again)
    );
    assert_eq!(
        again.created_pods,
        [argo_engine::node_id::pod_name(
            "steps-2",
            "steps-2[1].hello2b",
            "print"
        )]
    );
}

#[test]
fn memoized_resubmit_requires_a_failed_workflow() {
    let sim = run("hello-world");
    let err = operations::resubmit(&sim.workflow, "x", true, &[]).expect_err("succeeded");
    assert_eq!(
        err.to_string(),
        "workflow must be Failed/Error to resubmit in memoized mode"
    );
}

#[test]
fn set_without_a_selector_is_refused() {
    let mut sim = Simulation::new(fixture("suspend"));
    sim.run(3);
    let err = operations::set(
        &sim.workflow,
        &NodeSelector::default(),
        &Default::default(),
        sim.now,
    )
    .expect_err("no selector");
    assert!(
        err.to_string()
            .starts_with("'set' currently only targets suspend nodes")
    );
    let selector = NodeSelector::parse("displayName=nothing").expect("selector");
    assert!(operations::set(&sim.workflow, &selector, &Default::default(), sim.now).is_err());
}

#[test]
fn set_refuses_undeclared_output_parameters() {
    let mut sim = Simulation::new(fixture("suspend"));
    sim.run(3);
    let selector = NodeSelector::parse("displayName=approve").expect("selector");
    let values = operations::SetValues {
        output_parameters: vec![("other".into(), "x".into())],
        ..Default::default()
    };
    let err = operations::set(&sim.workflow, &selector, &values, sim.now).expect_err("undeclared");
    assert_eq!(
        err.to_string(),
        "node is not expecting output parameter 'other'"
    );
}
