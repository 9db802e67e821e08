//! The controller driven pass by pass against the memory store and the fake runtime: pods are
//! finished by the test, so every outcome is deterministic.

use std::collections::BTreeSet;
use std::sync::Arc;

use argo_core::k8s_openapi::api::core::v1::{
    ContainerState, ContainerStateTerminated, ContainerStatus, PodStatus,
};
use argo_core::{Workflow, WorkflowPhase};
use argo_runtime::{FakeRuntime, PodRuntime};
use argo_store::{MemoryStore, ResourceStore};
use controller::{Cluster, Controller, ControllerConfig, LoopSettings, Pass, WorkflowKey};

fn fixture(name: &str) -> Workflow {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("fixture exists");
    serde_norway::from_str(&text).expect("fixture parses")
}

struct Harness {
    store: Arc<dyn ResourceStore>,
    runtime: Arc<FakeRuntime>,
    cluster: Cluster,
    /// Every pod name the harness has seen run to completion, in order.
    finished: Vec<String>,
}

fn terminated(name: &str, code: i32) -> ContainerStatus {
    ContainerStatus {
        name: name.to_owned(),
        state: Some(ContainerState {
            terminated: Some(ContainerStateTerminated {
                exit_code: code,
                reason: Some(if code == 0 { "Completed" } else { "Error" }.to_owned()),
                finished_at: Some(
                    argo_core::k8s_openapi::apimachinery::pkg::apis::meta::v1::Time(
                        jiff::Timestamp::now(),
                    ),
                ),
                ..ContainerStateTerminated::default()
            }),
            ..ContainerState::default()
        }),
        ..ContainerStatus::default()
    }
}

fn exited(code: i32) -> PodStatus {
    PodStatus {
        phase: Some(if code == 0 { "Succeeded" } else { "Failed" }.to_owned()),
        container_statuses: Some(vec![terminated("wait", 0), terminated("main", code)]),
        ..PodStatus::default()
    }
}

impl Harness {
    fn new() -> Self {
        let store: Arc<dyn ResourceStore> = Arc::new(MemoryStore::default());
        let runtime = Arc::new(FakeRuntime::new());
        let cluster = Cluster::new(store.clone(), runtime.clone());
        Harness {
            store,
            runtime,
            cluster,
            finished: Vec::new(),
        }
    }

    fn controller(&self, config: ControllerConfig) -> Controller {
        Controller::new(self.cluster.clone(), config, LoopSettings::default())
    }

    async fn submit(&self, workflow: &Workflow) -> WorkflowKey {
        let created = self
            .cluster
            .workflows()
            .create(workflow)
            .await
            .expect("created");
        WorkflowKey::new(created.namespace(), created.name())
    }

    /// Finishes every pod that has no status yet, with `exit_code(pod name)`.
    async fn finish_pods(&mut self, exit_code: impl Fn(&str) -> i32) {
        for pod in self.runtime.list(None).await.expect("list") {
            let done = pod
                .status
                .as_ref()
                .and_then(|s| s.phase.as_deref())
                .is_some_and(|p| p == "Succeeded" || p == "Failed");
            if !done {
                self.runtime
                    .set_status(&pod.namespace, &pod.name, exited(exit_code(&pod.name)));
                self.finished.push(pod.name.clone());
            }
        }
    }

    async fn phase(&self, key: &WorkflowKey) -> WorkflowPhase {
        self.cluster
            .workflows()
            .get(Some(&key.namespace), &key.name)
            .await
            .expect("workflow")
            .status
            .phase
    }

    /// Alternates controller passes and pod completions until the workflow completes.
    async fn run_to_completion(
        &mut self,
        controller: &Controller,
        key: &WorkflowKey,
        exit_code: impl Fn(&str) -> i32 + Copy,
    ) -> WorkflowPhase {
        for _ in 0..50 {
            controller.process(key).await.expect("pass");
            let phase = self.phase(key).await;
            if phase.is_completed() {
                return phase;
            }
            self.finish_pods(exit_code).await;
        }
        panic!("workflow {key} did not complete");
    }
}

#[tokio::test]
async fn a_single_container_workflow_succeeds_with_one_pod() {
    let mut harness = Harness::new();
    let controller = harness.controller(ControllerConfig::default());
    let key = harness.submit(&fixture("hello.yaml")).await;
    let phase = harness.run_to_completion(&controller, &key, |_| 0).await;
    assert_eq!(phase, WorkflowPhase::Succeeded);
    assert_eq!(harness.finished, vec!["hello".to_owned()]);
    assert!(
        harness
            .store
            .get(
                &controller.cluster().workflows().kind().clone(),
                Some("argo"),
                "hello"
            )
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn steps_run_in_order_and_each_pod_runs_once() {
    let mut harness = Harness::new();
    let controller = harness.controller(ControllerConfig::default());
    let key = harness.submit(&fixture("steps.yaml")).await;
    let phase = harness.run_to_completion(&controller, &key, |_| 0).await;
    assert_eq!(phase, WorkflowPhase::Succeeded);
    assert_eq!(harness.finished.len(), 3, "{:?}", harness.finished);
    let unique: BTreeSet<&String> = harness.finished.iter().collect();
    assert_eq!(unique.len(), 3);
}

#[tokio::test]
async fn a_non_zero_exit_fails_the_node_and_the_workflow_with_argos_message() {
    let mut harness = Harness::new();
    let controller = harness.controller(ControllerConfig::default());
    let key = harness.submit(&fixture("hello.yaml")).await;
    let phase = harness.run_to_completion(&controller, &key, |_| 3).await;
    assert_eq!(phase, WorkflowPhase::Failed);
    let workflow = harness
        .cluster
        .workflows()
        .get(Some("argo"), "hello")
        .await
        .expect("workflow");
    let root = workflow.status.nodes.values().next().expect("a node");
    assert_eq!(root.message, "main: Error (exit code 3)");
}

#[tokio::test]
async fn a_restarted_controller_finds_running_pods_and_creates_none_twice() {
    let mut harness = Harness::new();
    let key = harness.submit(&fixture("steps.yaml")).await;
    let first = harness.controller(ControllerConfig::default());
    for _ in 0..3 {
        first.process(&key).await.expect("pass");
    }
    drop(first);
    // A new controller with no memory of the first one, over the same store and runtime.
    let second = harness.controller(ControllerConfig::default());
    let phase = harness.run_to_completion(&second, &key, |_| 0).await;
    assert_eq!(phase, WorkflowPhase::Succeeded);
    let unique: BTreeSet<&String> = harness.finished.iter().collect();
    assert_eq!(unique.len(), harness.finished.len(), "a pod finished twice");
    assert_eq!(harness.finished.len(), 3);
}

#[tokio::test]
async fn controller_parallelism_postpones_the_second_workflow() {
    let harness = Harness::new();
    let config = ControllerConfig {
        parallelism: 1,
        ..ControllerConfig::default()
    };
    let controller = harness.controller(config);
    let first = harness.submit(&fixture("hello.yaml")).await;
    let mut other = fixture("hello.yaml");
    other.metadata.name = Some("hello-two".to_owned());
    let second = harness.submit(&other).await;
    controller.process(&first).await.expect("pass");
    assert_eq!(harness.phase(&first).await, WorkflowPhase::Running);
    assert_eq!(
        controller.process(&second).await.expect("pass"),
        Pass::Postponed
    );
    assert_eq!(harness.phase(&second).await, WorkflowPhase::Unknown);
}

#[tokio::test]
async fn pod_gc_deletes_succeeded_pods_and_ttl_deletes_the_workflow() {
    let mut harness = Harness::new();
    let controller = harness.controller(ControllerConfig::default());
    let key = harness.submit(&fixture("gc-ttl.yaml")).await;
    let phase = harness.run_to_completion(&controller, &key, |_| 0).await;
    assert_eq!(phase, WorkflowPhase::Succeeded);
    assert!(
        harness
            .runtime
            .deleted()
            .iter()
            .any(|(_, name)| name == "tidy"),
        "pod deleted by podGC: {:?}",
        harness.runtime.deleted()
    );
    assert_eq!(controller.process(&key).await.expect("pass"), Pass::Expired);
    assert_eq!(controller.process(&key).await.expect("pass"), Pass::Gone);
}

/// Two workflows sharing the mutex of `locks.yaml`.
fn locked() -> Workflow {
    let mut workflow = fixture("locks.yaml");
    workflow.spec.arguments.parameters = vec![argo_core::Parameter {
        name: "dir".to_owned(),
        value: Some("/nonexistent".to_owned().into()),
        ..argo_core::Parameter::default()
    }];
    workflow
}

#[tokio::test]
async fn a_lock_holder_is_stored_before_its_pod_starts_and_keeps_the_lock_across_a_restart() {
    let mut harness = Harness::new();
    let first = harness.submit(&locked()).await;
    let second = harness.submit(&locked()).await;
    let controller = harness.controller(ControllerConfig::default());
    // The pass that takes the mutex cannot create its pod: it stops where a controller killed
    // between its status write and its pod creation would.
    harness.runtime.fail_next_creates(1);
    let mut failed = false;
    for _ in 0..5 {
        if controller.process(&first).await.is_err() {
            failed = true;
            break;
        }
    }
    assert!(failed, "the lock-taking pass tried to create the pod");
    let stored = harness
        .cluster
        .workflows()
        .get(Some("argo"), &first.name)
        .await
        .expect("stored");
    let holding = stored
        .status
        .synchronization
        .as_ref()
        .and_then(|s| s.mutex.as_ref())
        .map(|m| m.holding.len());
    assert_eq!(holding, Some(1), "the holder is stored before any pod runs");
    assert!(harness.runtime.list(None).await.expect("list").is_empty());
    drop(controller);

    // A controller with no memory of the first takes the holds back from the store.
    let controller = harness.controller(ControllerConfig::default());
    controller.restore_locks().await.expect("restore");
    for _ in 0..3 {
        controller.process(&second).await.expect("pass");
    }
    assert!(
        harness.runtime.list(None).await.expect("list").is_empty(),
        "the second workflow waits for the mutex"
    );
    let phase = harness.run_to_completion(&controller, &first, |_| 0).await;
    assert_eq!(phase, WorkflowPhase::Succeeded);
    let phase = harness.run_to_completion(&controller, &second, |_| 0).await;
    assert_eq!(phase, WorkflowPhase::Succeeded);
    assert_eq!(
        harness.finished,
        vec![first.name.clone(), second.name.clone()],
        "each pod ran once, the first workflow's (created again) before the second's"
    );
}
