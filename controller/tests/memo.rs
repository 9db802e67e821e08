//! Memoization through the controller: the first workflow runs the memoized step and leaves
//! its entry in a Cache ConfigMap in the store; a second workflow with the same key finds it
//! there and completes the step without a pod.

use std::sync::Arc;

use argo_core::k8s_openapi::api::core::v1::{
    ContainerState, ContainerStateTerminated, ContainerStatus, PodStatus,
};
use argo_core::{NodeType, Workflow, WorkflowPhase};
use argo_runtime::{FakeRuntime, PodRuntime};
use argo_store::{MemoryStore, ResourceStore};
use controller::{Cluster, Controller, ControllerConfig, LoopSettings, WorkflowKey};

fn memoized(name: &str) -> Workflow {
    let yaml = format!(
        "metadata: {{name: {name}, namespace: argo}}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {{name: gen, template: gen}}
  - name: gen
    memoize:
      key: greeting
      cache: {{configMap: {{name: memo-cache}}}}
    container: {{image: busybox, command: [echo, hi]}}
"
    );
    serde_norway::from_str(&yaml).expect("workflow parses")
}

fn terminated(name: &str) -> ContainerStatus {
    ContainerStatus {
        name: name.to_owned(),
        state: Some(ContainerState {
            terminated: Some(ContainerStateTerminated {
                exit_code: 0,
                reason: Some("Completed".to_owned()),
                ..ContainerStateTerminated::default()
            }),
            ..ContainerState::default()
        }),
        ..ContainerStatus::default()
    }
}

struct Harness {
    runtime: Arc<FakeRuntime>,
    cluster: Cluster,
    controller: Controller,
    /// Pods the harness finished, in order.
    finished: Vec<String>,
}

impl Harness {
    fn new() -> Self {
        let store: Arc<dyn ResourceStore> = Arc::new(MemoryStore::default());
        let runtime = Arc::new(FakeRuntime::new());
        let cluster = Cluster::new(store, runtime.clone());
        let controller = Controller::new(
            cluster.clone(),
            ControllerConfig::default(),
            LoopSettings::default(),
        );
        Harness {
            runtime,
            cluster,
            controller,
            finished: Vec::new(),
        }
    }

    async fn run(&mut self, workflow: &Workflow) -> Workflow {
        let created = self
            .cluster
            .workflows()
            .create(workflow)
            .await
            .expect("created");
        let key = WorkflowKey::new(created.namespace(), created.name());
        for _ in 0..30 {
            self.controller.process(&key).await.expect("pass");
            let current = self
                .cluster
                .workflows()
                .get(Some(&key.namespace), &key.name)
                .await
                .expect("workflow");
            if current.status.phase.is_completed() {
                return current;
            }
            for pod in self.runtime.list(None).await.expect("list") {
                if pod.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Succeeded") {
                    continue;
                }
                let status = PodStatus {
                    phase: Some("Succeeded".to_owned()),
                    container_statuses: Some(vec![terminated("wait"), terminated("main")]),
                    ..PodStatus::default()
                };
                self.runtime.set_status(&pod.namespace, &pod.name, status);
                self.finished.push(pod.name.clone());
            }
        }
        panic!("workflow {key} did not complete");
    }
}

#[tokio::test]
async fn a_memoized_step_of_a_second_workflow_runs_no_pod() {
    let mut harness = Harness::new();
    let first = harness.run(&memoized("memo-first")).await;
    assert_eq!(first.status.phase, WorkflowPhase::Succeeded);
    assert_eq!(harness.finished.len(), 1, "{:?}", harness.finished);

    let cache = harness
        .cluster
        .config_maps()
        .get(Some("argo"), "memo-cache")
        .await
        .expect("the cache ConfigMap was written");
    let labels = cache.metadata.labels.clone().unwrap_or_default();
    assert_eq!(
        labels
            .get("workflows.argoproj.io/configmap-type")
            .map(String::as_str),
        Some("Cache")
    );
    let entry = cache
        .data
        .as_ref()
        .and_then(|d| d.get("greeting"))
        .expect("an entry under the key");
    let gen_first = first
        .status
        .nodes
        .values()
        .find(|n| n.display_name == "gen")
        .expect("gen node");
    assert!(entry.contains(&gen_first.id), "{entry}");

    let second = harness.run(&memoized("memo-second")).await;
    assert_eq!(second.status.phase, WorkflowPhase::Succeeded);
    assert_eq!(
        harness.finished.len(),
        1,
        "no new pod: {:?}",
        harness.finished
    );
    let gen_second = second
        .status
        .nodes
        .values()
        .find(|n| n.display_name == "gen")
        .expect("gen node");
    assert_eq!(gen_second.node_type, NodeType::Pod);
    let status = gen_second
        .memoization_status
        .clone()
        .expect("a memoization status");
    assert!(status.hit);
    assert_eq!(status.key, "greeting");
    assert_eq!(status.cache_name, "memo-cache");
}
