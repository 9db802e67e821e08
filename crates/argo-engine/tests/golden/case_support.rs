//! Support for the targeted cases (`tests/cases_*.rs`): inline YAML workflows, running them
//! in the simulation with a pod script, and reading node phases and messages by display name.
//!
//! Must not: hide assertions; helpers only build and look up, the cases assert.

#![allow(dead_code)]

use argo_core::{NodePhase, NodeStatus, NodeType, Workflow, WorkflowPhase};
use argo_engine::simulation::{PodOutcome, PodRequest, Simulation};

/// Parses an inline workflow; names it `<generateName>c` when it has no name.
pub fn wf(yaml: &str) -> Workflow {
    let mut wf: Workflow = serde_norway::from_str(yaml).expect("a valid workflow in the case");
    if wf.metadata.name.is_none() {
        wf.metadata.name = Some(format!(
            "{}c",
            wf.metadata.generate_name.clone().unwrap_or_default()
        ));
    }
    wf.metadata.namespace.get_or_insert_with(|| "argo".into());
    wf
}

/// Runs a workflow to completion (or 300 reconciles) with every pod succeeding.
pub fn run(yaml: &str) -> Simulation {
    run_with(yaml, |_| PodOutcome::success())
}

/// Runs a workflow with a pod script.
pub fn run_with(yaml: &str, script: impl FnMut(&PodRequest) -> PodOutcome + 'static) -> Simulation {
    let mut sim = sim_with(yaml, script);
    sim.run(300);
    sim
}

/// A simulation that has not run yet.
pub fn sim_with(yaml: &str, script: impl FnMut(&PodRequest) -> PodOutcome + 'static) -> Simulation {
    Simulation::with_script(wf(yaml), Box::new(script))
}

/// The single node with this display name (panics when there are several or none).
pub fn node<'a>(sim: &'a Simulation, display_name: &str) -> &'a NodeStatus {
    let found: Vec<&NodeStatus> = sim
        .workflow
        .status
        .nodes
        .values()
        .filter(|n| n.display_name == display_name)
        .collect();
    match found[..] {
        [one] => one,
        _ => panic!(
            "{} nodes named {display_name:?}; nodes: {:?}",
            found.len(),
            summary(sim)
        ),
    }
}

/// The phase of the node with this display name.
pub fn phase(sim: &Simulation, display_name: &str) -> NodePhase {
    node(sim, display_name).phase.clone()
}

/// The message of the node with this display name.
pub fn message(sim: &Simulation, display_name: &str) -> String {
    node(sim, display_name).message.clone()
}

/// True when some node has this display name.
pub fn has(sim: &Simulation, display_name: &str) -> bool {
    sim.workflow
        .status
        .nodes
        .values()
        .any(|n| n.display_name == display_name)
}

/// How many nodes have this type.
pub fn count_type(sim: &Simulation, node_type: NodeType) -> usize {
    sim.workflow
        .status
        .nodes
        .values()
        .filter(|n| n.node_type == node_type)
        .count()
}

/// Every node as "name phase message", for assertion messages.
pub fn summary(sim: &Simulation) -> Vec<String> {
    sim.workflow
        .status
        .nodes
        .values()
        .map(|n| format!("{} {} {:?}", n.name, n.phase, n.message))
        .collect()
}

/// Asserts the workflow's phase, printing the nodes when it differs.
pub fn assert_phase(sim: &Simulation, expected: WorkflowPhase) {
    assert_eq!(
        sim.workflow.status.phase,
        expected,
        "message {:?}; nodes {:?}",
        sim.workflow.status.message,
        summary(sim)
    );
}

/// The output parameter of a node.
pub fn output(sim: &Simulation, display_name: &str, parameter: &str) -> Option<String> {
    node(sim, display_name)
        .outputs
        .as_ref()?
        .parameter(parameter)?
        .value
        .as_ref()
        .map(|v| v.0.clone())
}
