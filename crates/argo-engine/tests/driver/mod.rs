//! A small hand-driven runtime for tests that need what the simulation does not script
//! (output artifacts, container states): each round reconciles, turns every CreatePod effect
//! into a finished pod whose outcome the test's function decides, and feeds the pods and task
//! results back with the clock one second later.

#![allow(dead_code)]

use std::collections::BTreeMap;

use argo_core::k8s_openapi::api::core::v1::Pod;
use argo_core::{NodeResult, NodeStatus, Outputs, Template, Workflow, WorkflowPhase};
use argo_engine::{
    ContainerObservation, Effect, EngineConfig, Observed, PodObservation, PodPhase, reconcile,
};
use jiff::{SignedDuration, Timestamp};

/// How a pod of the driver ends.
#[derive(Debug, Clone, Default)]
pub struct Ending {
    /// Exit code per container (`main` when absent: 0).
    pub exit_codes: BTreeMap<String, i32>,
    /// What the executor reports.
    pub outputs: Option<Outputs>,
}

impl Ending {
    pub fn ok() -> Self {
        Ending::default()
    }

    pub fn with_outputs(outputs: Outputs) -> Self {
        Ending {
            outputs: Some(outputs),
            ..Ending::default()
        }
    }

    pub fn exit(container: &str, code: i32) -> Self {
        let mut ending = Ending::default();
        ending.exit_codes.insert(container.to_owned(), code);
        ending
    }
}

/// One pod the engine asked for.
#[derive(Debug, Clone)]
pub struct Request {
    pub node_name: String,
    pub node_id: String,
    pub template: Template,
    pub pod: Pod,
}

/// The workflow and everything the driver saw.
pub struct Driver {
    pub workflow: Workflow,
    pub observed: Observed,
    pub now: Timestamp,
    pub config: EngineConfig,
    pub requests: Vec<Request>,
}

pub fn parse(yaml: &str) -> Workflow {
    let mut wf: Workflow = serde_norway::from_str(yaml).expect("workflow yaml");
    wf.metadata.name.get_or_insert_with(|| "wf".to_owned());
    wf.metadata
        .namespace
        .get_or_insert_with(|| "argo".to_owned());
    wf
}

impl Driver {
    pub fn new(yaml: &str) -> Self {
        Driver {
            workflow: parse(yaml),
            observed: Observed::default(),
            now: Timestamp::from_second(1_700_000_000).expect("time"),
            config: EngineConfig::default(),
            requests: Vec::new(),
        }
    }

    /// Runs until the workflow completes (or 100 rounds), ending pods with `end`.
    pub fn run(&mut self, mut end: impl FnMut(&Request) -> Ending) -> WorkflowPhase {
        for _ in 0..100 {
            let reconciled = reconcile(&self.workflow, &self.observed, self.now, &self.config);
            self.workflow = reconciled.apply_to(&self.workflow);
            for effect in &reconciled.effects {
                if let Effect::CreatePod { node_id, pod } = effect {
                    let request = request_of(node_id, &pod.render());
                    let ending = end(&request);
                    self.finish(&request, &ending);
                    self.requests.push(request);
                }
            }
            if self.workflow.status.phase.is_completed() {
                break;
            }
            self.now += SignedDuration::from_secs(1);
        }
        self.workflow.status.phase.clone()
    }

    fn finish(&mut self, request: &Request, ending: &Ending) {
        let at = self.now + SignedDuration::from_secs(1);
        let mains = main_names(&request.template);
        let mut containers = vec![ContainerObservation::terminated("wait", 0, "Completed", at)];
        let mut failed = false;
        for name in &mains {
            let code = ending.exit_codes.get(name).copied().unwrap_or(0);
            failed |= code != 0;
            let reason = if code == 0 { "Completed" } else { "Error" };
            containers.push(ContainerObservation::terminated(name, code, reason, at));
        }
        let pod = PodObservation {
            phase: if failed {
                PodPhase::Failed
            } else {
                PodPhase::Succeeded
            },
            containers,
            ..PodObservation::default()
        };
        let name = request.pod.metadata.name.clone().expect("pod name");
        self.observed.pods.insert(name, pod);
        self.observed.task_results.insert(
            request.node_id.clone(),
            NodeResult {
                outputs: Some(ending.outputs.clone().unwrap_or_default()),
                ..NodeResult::default()
            },
        );
    }

    /// The node with this display name.
    pub fn node(&self, display_name: &str) -> &NodeStatus {
        self.workflow
            .status
            .nodes
            .values()
            .find(|n| n.display_name == display_name)
            .unwrap_or_else(|| {
                let names: Vec<_> = self
                    .workflow
                    .status
                    .nodes
                    .values()
                    .map(|n| (n.display_name.clone(), n.phase.to_string()))
                    .collect();
                panic!("no node {display_name:?} in {names:?}")
            })
    }

    /// The request made for the node with this display name's pod.
    pub fn request(&self, node_display_name: &str) -> &Request {
        let id = self.node(node_display_name).id.clone();
        self.requests
            .iter()
            .find(|r| r.node_id == id)
            .unwrap_or_else(|| panic!("no pod for {node_display_name:?}"))
    }
}

fn main_names(template: &Template) -> Vec<String> {
    match &template.container_set {
        Some(set) => set
            .containers
            .iter()
            .map(|c| c.container.name.clone())
            .collect(),
        None => vec!["main".to_owned()],
    }
}

fn request_of(node_id: &str, pod: &Pod) -> Request {
    let annotations = pod.metadata.annotations.clone().unwrap_or_default();
    let spec = pod.spec.clone().unwrap_or_default();
    let template = spec
        .containers
        .iter()
        .flat_map(|c| c.env.iter().flatten())
        .find(|e| e.name == "ARGO_TEMPLATE")
        .and_then(|e| e.value.as_deref())
        .map(|json| serde_json::from_str(json).expect("ARGO_TEMPLATE"))
        .unwrap_or_default();
    Request {
        node_name: annotations
            .get("workflows.argoproj.io/node-name")
            .cloned()
            .unwrap_or_default(),
        node_id: node_id.to_owned(),
        template,
        pod: pod.clone(),
    }
}

/// An output artifact as the executor reports it, stored under `key`.
pub fn stored(name: &str, key: &str) -> argo_core::Artifact {
    serde_json::from_value(serde_json::json!({
        "name": name,
        "s3": {"bucket": "argo-artifacts", "key": key},
    }))
    .expect("artifact")
}

/// The input artifact called `name` of a pod's template.
pub fn input_artifact<'a>(request: &'a Request, name: &str) -> &'a argo_core::Artifact {
    request
        .template
        .inputs
        .artifacts
        .iter()
        .find(|a| a.name == name)
        .unwrap_or_else(|| panic!("no input artifact {name}"))
}

/// The S3 key of an artifact.
pub fn key(artifact: &argo_core::Artifact) -> &str {
    artifact
        .location
        .s3
        .as_ref()
        .map(|s| s.key.as_str())
        .unwrap_or("")
}
