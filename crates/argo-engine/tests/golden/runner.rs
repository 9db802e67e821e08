//! Runs one shared example through the engine's simulation and checks the result: the
//! expected phase from `EXPECTED.tsv` and the node tree against `tests/golden/<example>.json`
//! (`UPDATE_GOLDEN=1` rewrites the file).
//!
//! Must not: copy the examples into the repository (they are read from `ARGO_EXAMPLES` or
//! `../shared/argo-examples`); the golden files hold our engine's output only.

use std::path::{Path, PathBuf};

use argo_core::k8s_openapi::api::core::v1::ConfigMap;
use argo_core::{ClusterWorkflowTemplate, NodePhase, NodeType, Workflow, WorkflowTemplate};
use argo_engine::operations::{self, NodeSelector, SetValues};
use argo_engine::simulation::Simulation;
use argo_engine::{Observed, TemplateResolver};
use serde_json::{Map, Value, json};

use crate::pods::Pods;

/// Reconciles allowed per example before it counts as stuck.
const ROUNDS: usize = 2_000;

/// The examples folder, or None (with a message) when it is absent.
pub fn examples_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("ARGO_EXAMPLES").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/argo-examples"),
        PathBuf::from,
    );
    if dir.join("EXPECTED.tsv").is_file() {
        Some(dir)
    } else {
        eprintln!(
            "skipping golden test: no examples at {} (set ARGO_EXAMPLES)",
            dir.display()
        );
        None
    }
}

/// One row of EXPECTED.tsv.
#[derive(Debug, Clone)]
pub struct Row {
    pub file: String,
    pub kind_name: String,
    pub class: String,
    pub expected: String,
}

/// The H and H+ Workflow rows.
pub fn host_workflow_rows(dir: &Path) -> Vec<Row> {
    let table = std::fs::read_to_string(dir.join("EXPECTED.tsv")).unwrap_or_default();
    table
        .lines()
        .skip(1)
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('\t').collect();
            let [file, kind_name, class, _needs, expected, ..] = cells[..] else {
                return None;
            };
            Some(Row {
                file: file.to_owned(),
                kind_name: kind_name.to_owned(),
                class: class.to_owned(),
                expected: expected.to_owned(),
            })
        })
        .filter(|r| (r.class == "H" || r.class == "H+") && r.kind_name.starts_with("Workflow "))
        .collect()
}

fn documents(text: &str) -> Vec<Value> {
    serde_norway::Deserializer::from_str(text)
        .filter_map(|d| serde::Deserialize::deserialize(d).ok())
        .filter(|v: &Value| !v.is_null())
        .collect()
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}

/// Every (Cluster)WorkflowTemplate and ConfigMap of the examples, as the controller would
/// observe them.
fn stored_objects(dir: &Path) -> Observed {
    let mut files = Vec::new();
    yaml_files(dir, &mut files);
    files.sort();
    let mut templates = TemplateResolver::default();
    let mut observed = Observed::default();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        if ![
            "kind: WorkflowTemplate",
            "kind: ClusterWorkflowTemplate",
            "kind: ConfigMap",
        ]
        .iter()
        .any(|k| text.contains(k))
        {
            continue;
        }
        for value in documents(&text) {
            match value["kind"].as_str().unwrap_or("") {
                "WorkflowTemplate" => {
                    if let Ok(t) = serde_json::from_value::<WorkflowTemplate>(value) {
                        templates = templates.with_workflow_template(t);
                    }
                }
                "ClusterWorkflowTemplate" => {
                    if let Ok(t) = serde_json::from_value::<ClusterWorkflowTemplate>(value) {
                        templates = templates.with_cluster_workflow_template(t);
                    }
                }
                "ConfigMap" => {
                    if let Ok(c) = serde_json::from_value::<ConfigMap>(value) {
                        let name = c.metadata.name.clone().unwrap_or_default();
                        let data = c.data.unwrap_or_default().into_iter().collect();
                        observed.config_maps.insert(name, data);
                    }
                }
                _ => {}
            }
        }
    }
    observed.templates = templates;
    observed
}

/// The Workflow document of a row (matched on `name` or `generateName`).
fn workflow_of(dir: &Path, row: &Row) -> Workflow {
    let pattern = row
        .kind_name
        .trim_start_matches("Workflow ")
        .trim_matches('`')
        .trim_end_matches('*')
        .to_owned();
    let path = dir.join(&row.file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let value = documents(&text)
        .into_iter()
        .find(|v| {
            v["kind"] == "Workflow"
                && (v["metadata"]["generateName"] == pattern.as_str()
                    || v["metadata"]["name"] == pattern.as_str())
        })
        .unwrap_or_else(|| panic!("{}: no Workflow document {pattern:?}", row.file));
    let mut wf: Workflow = serde_json::from_value(value)
        .unwrap_or_else(|e| panic!("{}: not a valid Workflow: {e}", row.file));
    if wf.metadata.name.is_none() {
        wf.metadata.name = Some(format!("{pattern}golden"));
    }
    wf.metadata.namespace = Some("argo".to_owned());
    wf
}

/// What a row expects, given our scripted choices for random examples.
fn expected_phase(row: &Row) -> (String, bool) {
    let first = row.expected.split_whitespace().next().unwrap_or("");
    let suspends = first.starts_with("Running/suspended");
    let phase = match (row.file.as_str(), first) {
        (_, "random:") => {
            // The pod script fixes the random choice; see pods.rs.
            if row.file == "resubmit.yaml" {
                "Failed"
            } else {
                "Succeeded"
            }
        }
        _ if suspends => "Succeeded",
        (_, phase) => phase,
    };
    (phase.to_owned(), suspends)
}

/// Output parameters supplied when resuming a suspended example (as `argo node set` would).
fn supplied(file: &str) -> Vec<(String, String)> {
    match file {
        "intermediate-parameters.yaml" => vec![("approve".to_owned(), "YES".to_owned())],
        "suspend-template-outputs.yaml" => {
            vec![(
                "message".to_owned(),
                "approved by the golden test".to_owned(),
            )]
        }
        _ => Vec::new(),
    }
}

fn active_suspends(sim: &Simulation) -> Vec<String> {
    sim.workflow
        .status
        .nodes
        .values()
        .filter(|n| n.node_type == NodeType::Suspend && n.phase == NodePhase::Running)
        .map(|n| n.display_name.clone())
        .collect()
}

/// Runs the example named by `file` and checks it.
pub fn check(file: &str) {
    let Some(dir) = examples_dir() else {
        return;
    };
    let row = host_workflow_rows(&dir)
        .into_iter()
        .find(|r| r.file == file)
        .unwrap_or_else(|| panic!("{file}: not an H/H+ Workflow row of EXPECTED.tsv"));
    let (expected, suspends) = expected_phase(&row);
    let workflow = workflow_of(&dir, &row);
    let mut pods = Pods::new(file);
    let mut sim = Simulation::with_script(workflow, Box::new(move |r| pods.outcome(r)));
    sim.observed = stored_objects(&dir);
    // The environment Argo's synchronization examples document: ConfigMap `my-config`
    // (workflow: 1, template: 2) and database semaphore limits of the same sizes.
    sim.observed
        .config_maps
        .entry("my-config".into())
        .or_insert_with(|| {
            [("workflow", "1"), ("template", "2")]
                .map(|(k, v)| (k.into(), v.into()))
                .into()
        });
    for (key, limit) in [("workflow", 1), ("template", 2)] {
        let database_limit = format!("{}/Database/{key}", sim.workflow.namespace());
        sim.locks.borrow_mut().set_limit(&database_limit, limit);
    }
    sim.run(ROUNDS);
    if suspends {
        let waiting = active_suspends(&sim);
        assert!(
            !sim.is_completed() && !waiting.is_empty(),
            "{file}: expected to wait in a suspend node, got {} with nodes {:?}",
            sim.workflow.status.phase,
            tree_summary(&sim)
        );
        let values = supplied(file);
        for name in waiting {
            let selector =
                NodeSelector::parse(&format!("displayName={name}")).expect("a node selector");
            sim.workflow = if values.is_empty() {
                operations::resume(&sim.workflow, &selector, sim.now).expect("resume")
            } else {
                let set = SetValues {
                    phase: Some(NodePhase::Succeeded),
                    message: None,
                    output_parameters: values.clone(),
                };
                operations::set(&sim.workflow, &selector, &set, sim.now).expect("node set")
            };
        }
        sim.run(ROUNDS);
    }
    assert!(
        sim.is_completed(),
        "{file}: not completed after {ROUNDS} reconciles: {} {:?}",
        sim.workflow.status.phase,
        tree_summary(&sim)
    );
    assert_eq!(
        sim.workflow.status.phase.to_string(),
        expected,
        "{file}: workflow message {:?}; nodes {:?}",
        sim.workflow.status.message,
        tree_summary(&sim)
    );
    compare_golden(file, &tree(&sim));
}

fn tree_summary(sim: &Simulation) -> Vec<String> {
    sim.workflow
        .status
        .nodes
        .values()
        .map(|n| format!("{} {} {:?}", n.name, n.phase, n.message))
        .collect()
}

/// The node tree without times: the fields a golden file pins.
fn tree(sim: &Simulation) -> Value {
    const KEPT: &[&str] = &[
        "name",
        "displayName",
        "type",
        "templateName",
        "templateRef",
        "templateScope",
        "phase",
        "boundaryID",
        "message",
        "children",
        "outboundNodes",
        "outputs",
        "nodeFlag",
    ];
    let mut nodes = Map::new();
    for (id, node) in &sim.workflow.status.nodes {
        let full = serde_json::to_value(node).expect("a node serializes");
        let kept: Map<String, Value> = full
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(k, _)| KEPT.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        nodes.insert(id.clone(), Value::Object(kept));
    }
    json!({
        "workflow": sim.workflow.name(),
        "phase": sim.workflow.status.phase.to_string(),
        "message": sim.workflow.status.message,
        "pods": sim.created_pods.len(),
        "nodes": nodes,
    })
}

fn golden_path(file: &str) -> PathBuf {
    let stem = file.trim_end_matches(".yaml").replace('/', "__");
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(format!("{stem}.json"))
}

fn compare_golden(file: &str, actual: &Value) {
    let path = golden_path(file);
    let text = serde_json::to_string_pretty(actual).expect("json") + "\n";
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &text).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
        return;
    }
    let stored = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{file}: no golden file {} ({e}); run with UPDATE_GOLDEN=1 to create it",
            path.display()
        )
    });
    let stored: Value = serde_json::from_str(&stored)
        .unwrap_or_else(|e| panic!("{}: not JSON: {e}", path.display()));
    pretty_assertions::assert_eq!(
        &stored,
        actual,
        "{file}: node tree differs from {} (UPDATE_GOLDEN=1 rewrites it)",
        path.display()
    );
}
