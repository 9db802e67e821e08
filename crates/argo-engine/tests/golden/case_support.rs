//! Support for the targeted cases (`tests/cases_*.rs`): inline YAML workflows, running them
//! in the simulation with a pod script (to the end, or one reconcile a second), and reading
//! node phases, messages, parameters, times, children and created pods by display name.
//!
//! Must not: hide assertions; helpers only build and look up, the cases assert.

#![allow(dead_code)]

use argo_core::k8s_openapi::api::core::v1::Pod;
use argo_core::{NodePhase, NodeStatus, NodeType, Workflow, WorkflowPhase};
use argo_engine::simulation::{PodOutcome, PodRequest, Simulation};
use argo_engine::{Effect, PodPhase};
use jiff::{SignedDuration, Timestamp};

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
    node_in(&sim.workflow, display_name)
}

/// The single node of a workflow with this display name (panics when there are several or
/// none); for cases that reconcile a workflow themselves.
pub fn node_in<'a>(workflow: &'a Workflow, display_name: &str) -> &'a NodeStatus {
    let found: Vec<&NodeStatus> = workflow
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
            summary_of(workflow)
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
    summary_of(&sim.workflow)
}

/// Every node of a workflow as "name phase message", for assertion messages.
pub fn summary_of(workflow: &Workflow) -> Vec<String> {
    workflow
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

/// The value of an input parameter of the node with this display name.
pub fn input(sim: &Simulation, display_name: &str, parameter: &str) -> Option<String> {
    node(sim, display_name)
        .inputs
        .as_ref()?
        .parameters
        .iter()
        .find(|p| p.name == parameter)?
        .value
        .as_ref()
        .map(|v| v.0.clone())
}

/// When a node started (panics when it has not).
pub fn started(node: &NodeStatus) -> Timestamp {
    node.started_at.as_ref().expect("started").0
}

/// When a node finished (panics when it has not).
pub fn finished(node: &NodeStatus) -> Timestamp {
    node.finished_at.as_ref().expect("finished").0
}

/// A pod that succeeds after `seconds`.
pub fn succeeding_after(seconds: i64) -> PodOutcome {
    PodOutcome::success().taking(SignedDuration::from_secs(seconds))
}

/// A pod that succeeds after five seconds (long enough to overlap with others).
pub fn slow() -> PodOutcome {
    succeeding_after(5)
}

/// How many of the simulation's pods are Running now.
pub fn running_pods(sim: &Simulation) -> usize {
    sim.observed
        .pods
        .values()
        .filter(|p| p.phase == PodPhase::Running)
        .count()
}

/// Reconciles once a second (as pod status changes would make a controller do) until the
/// workflow completes or `rounds` pass, so phases such as a pod's Running are seen; returns
/// the most pods seen Running at once after a reconcile.
pub fn tick(sim: &mut Simulation, rounds: usize) -> usize {
    let mut max = 0;
    for _ in 0..rounds {
        sim.step();
        max = max.max(running_pods(sim));
        if sim.is_completed() {
            break;
        }
        sim.advance_by(SignedDuration::from_secs(1));
    }
    max
}

/// Display names of a node's children, in order.
pub fn children(sim: &Simulation, display_name: &str) -> Vec<String> {
    node(sim, display_name)
        .children
        .iter()
        .filter_map(|id| sim.workflow.status.nodes.get(id))
        .map(|n| n.display_name.clone())
        .collect()
}

/// The pods the simulation created, in order.
pub fn created_pods(sim: &Simulation) -> Vec<Pod> {
    sim.effects
        .iter()
        .filter_map(|e| match e {
            Effect::CreatePod { pod, .. } => Some(pod.render()),
            _ => None,
        })
        .collect()
}

/// The command of a pod's `main` container.
pub fn main_container(pod: &Pod) -> Vec<String> {
    let spec = pod.spec.as_ref().expect("a pod spec");
    spec.containers
        .iter()
        .find(|c| c.name == "main")
        .and_then(|c| c.command.clone())
        .unwrap_or_default()
}
