//! Test harness: load a fixture workflow, run it in the simulation with a pod script, and
//! look at the final node tree.

#![allow(dead_code)]

use std::path::PathBuf;

use argo_core::{NodePhase, NodeStatus, Workflow};
use argo_engine::simulation::{PodOutcome, PodRequest, Simulation};

/// Loads `tests/fixtures/<name>.yaml`.
pub fn fixture(name: &str) -> Workflow {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(format!("{name}.yaml"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let mut wf: Workflow =
        serde_norway::from_str(&text).unwrap_or_else(|e| panic!("parsing {}: {e}", path.display()));
    if wf.metadata.name.is_none() {
        wf.metadata.name = wf
            .metadata
            .generate_name
            .clone()
            .map(|g| format!("{g}test"));
    }
    if wf.metadata.namespace.is_none() {
        wf.metadata.namespace = Some("argo".into());
    }
    wf
}

/// Runs a fixture where every pod succeeds.
pub fn run(name: &str) -> Simulation {
    run_with(name, |_| PodOutcome::success())
}

/// Runs a fixture with a pod script.
pub fn run_with(name: &str, script: impl FnMut(&PodRequest) -> PodOutcome + 'static) -> Simulation {
    let mut sim = Simulation::with_script(fixture(name), Box::new(script));
    sim.run(200);
    sim
}

/// The node with this display name.
pub fn node<'a>(sim: &'a Simulation, display_name: &str) -> &'a NodeStatus {
    sim.node_by_display_name(display_name)
        .unwrap_or_else(|| panic!("no node {display_name:?}; nodes: {:?}", names(sim)))
}

/// Display names and phases of every node, sorted by name.
pub fn names(sim: &Simulation) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = sim
        .workflow
        .status
        .nodes
        .values()
        .map(|n| (n.name.clone(), n.phase.as_str().to_owned()))
        .collect();
    out.sort();
    out
}

/// The phase of the node with this display name.
pub fn phase(sim: &Simulation, display_name: &str) -> NodePhase {
    node(sim, display_name).phase.clone()
}

/// The value of an output parameter of a node.
pub fn output(sim: &Simulation, display_name: &str, parameter: &str) -> Option<String> {
    node(sim, display_name)
        .outputs
        .as_ref()?
        .parameter(parameter)?
        .value
        .as_ref()
        .map(|v| v.0.clone())
}

/// Display names of a node's children, in order.
pub fn children(sim: &Simulation, display_name: &str) -> Vec<String> {
    node(sim, display_name)
        .children
        .iter()
        .map(|id| {
            sim.workflow
                .status
                .nodes
                .get(id)
                .map(|n| n.display_name.clone())
                .unwrap_or_default()
        })
        .collect()
}

/// Display names of the pods' nodes, in creation order.
pub fn pods_created(sim: &Simulation) -> usize {
    sim.created_pods.len()
}

/// The value of the workflow output parameter `name` (None when the workflow has no outputs or
/// no such parameter, or it has no value).
pub fn workflow_output(sim: &Simulation, name: &str) -> Option<String> {
    let outputs = sim.workflow.status.outputs.as_ref()?;
    outputs.parameter(name)?.value.clone().map(|v| v.0)
}
