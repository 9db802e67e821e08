//! Container and script templates end to end in the simulation.

mod harness;

use argo_core::{NodePhase, NodeType, WorkflowPhase};
use argo_engine::simulation::PodOutcome;
use harness::*;

#[test]
fn a_single_container_workflow_succeeds() {
    let sim = run("hello-world");
    assert_eq!(
        sim.workflow.status.phase,
        WorkflowPhase::Succeeded,
        "{:?}",
        names(&sim)
    );
    let root = sim.node("hello-world").expect("root node");
    assert_eq!(root.node_type, NodeType::Pod);
    assert_eq!(root.phase, NodePhase::Succeeded);
    assert_eq!(sim.created_pods, ["hello-world"]);
}

#[test]
fn a_failing_container_fails_the_workflow_with_argos_message() {
    let sim = run_with("hello-world", |_| PodOutcome::exit(1));
    assert_eq!(sim.workflow.status.phase, WorkflowPhase::Failed);
    assert_eq!(sim.workflow.status.message, "main: Error (exit code 1)");
    let root = sim.node("hello-world").expect("root");
    assert_eq!(
        root.outputs
            .as_ref()
            .and_then(|o| o.exit_code.clone())
            .as_deref(),
        Some("1")
    );
}
