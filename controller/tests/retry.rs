//! Retry through the controller, pass by pass, against the memory store and the fake runtime:
//! a step fails, the workflow is retried as svc-workflow would (the pure operation, stored),
//! and the controller deletes the reset node's old pod and task result before it reconciles,
//! so the step runs again and the workflow ends Succeeded.

use std::sync::Arc;

use argo_core::k8s_openapi::api::core::v1::{
    ContainerState, ContainerStateTerminated, ContainerStatus, PodStatus,
};
use argo_core::k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use argo_core::{Workflow, WorkflowPhase, WorkflowTaskResult};
use argo_engine::node_id::{node_id, pod_name};
use argo_engine::operations::{self, NodeSelector, RetryLeftovers, RetryOptions};
use argo_runtime::{FakeRuntime, PodRuntime};
use argo_store::MemoryStore;
use controller::{Cluster, Controller, ControllerConfig, LoopSettings, WorkflowKey};

fn fixture(name: &str) -> Workflow {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("fixture exists");
    serde_norway::from_str(&text).expect("fixture parses")
}

fn terminated(name: &str, code: i32) -> ContainerStatus {
    ContainerStatus {
        name: name.to_owned(),
        state: Some(ContainerState {
            terminated: Some(ContainerStateTerminated {
                exit_code: code,
                reason: Some(if code == 0 { "Completed" } else { "Error" }.to_owned()),
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

/// The pod of `steps.yaml`'s step `third`, which fails on its first run.
fn third_pod() -> String {
    pod_name("steps", "steps[1].third", "say")
}

struct Harness {
    runtime: Arc<FakeRuntime>,
    cluster: Cluster,
    controller: Controller,
    key: WorkflowKey,
    /// Pods the harness finished, in order (a pod run twice appears twice).
    finished: Vec<String>,
}

impl Harness {
    async fn submit_steps() -> Self {
        let runtime = Arc::new(FakeRuntime::new());
        let cluster = Cluster::new(Arc::new(MemoryStore::default()), runtime.clone());
        let controller = Controller::new(
            cluster.clone(),
            ControllerConfig::default(),
            LoopSettings::default(),
        );
        let created = cluster
            .workflows()
            .create(&fixture("steps.yaml"))
            .await
            .expect("created");
        let key = WorkflowKey::new(created.namespace(), created.name());
        Harness {
            runtime,
            cluster,
            controller,
            key,
            finished: Vec::new(),
        }
    }

    async fn workflow(&self) -> Workflow {
        self.cluster
            .workflows()
            .get(Some(&self.key.namespace), &self.key.name)
            .await
            .expect("workflow")
    }

    /// Alternates controller passes and pod completions (`third` exits with `third_exit`)
    /// until the workflow completes.
    async fn run(&mut self, third_exit: i32) -> WorkflowPhase {
        for _ in 0..50 {
            self.controller.process(&self.key).await.expect("pass");
            let phase = self.workflow().await.status.phase;
            if phase.is_completed() {
                return phase;
            }
            for pod in self.runtime.list(None).await.expect("list") {
                let done = pod
                    .status
                    .as_ref()
                    .and_then(|s| s.phase.as_deref())
                    .is_some_and(|p| p == "Succeeded" || p == "Failed");
                if done {
                    continue;
                }
                let code = if pod.name == third_pod() {
                    third_exit
                } else {
                    0
                };
                self.runtime
                    .set_status(&pod.namespace, &pod.name, exited(code));
                self.finished.push(pod.name.clone());
            }
        }
        panic!("workflow {} did not complete", self.key);
    }

    /// Retries the stored workflow as svc-workflow does: the pure operation, then an update.
    async fn retry(&self, options: &RetryOptions) {
        let retried = operations::retry(&self.workflow().await, options).expect("retry");
        self.cluster
            .workflows()
            .update(&retried.workflow)
            .await
            .expect("stored");
    }

    /// An executor's report for `third`, as left by its failed run.
    async fn report_third(&self) {
        let mut labels = std::collections::BTreeMap::new();
        labels.insert(
            controller::observe::LABEL_WORKFLOW.to_owned(),
            "steps".to_owned(),
        );
        let result = WorkflowTaskResult {
            metadata: ObjectMeta {
                name: Some(node_id("steps", "steps[1].third")),
                namespace: Some("argo".to_owned()),
                labels: Some(labels),
                ..ObjectMeta::default()
            },
            ..WorkflowTaskResult::default()
        };
        self.cluster
            .task_results()
            .create(&result)
            .await
            .expect("task result");
    }
}

async fn failed_steps() -> Harness {
    let mut harness = Harness::submit_steps().await;
    assert_eq!(harness.run(1).await, WorkflowPhase::Failed);
    harness.report_third().await;
    harness
}

#[tokio::test]
async fn a_retried_workflow_reruns_its_failed_step_and_succeeds() {
    let mut harness = failed_steps().await;
    harness.retry(&RetryOptions::default()).await;
    assert_eq!(harness.run(0).await, WorkflowPhase::Succeeded);
    assert!(
        harness
            .runtime
            .deleted()
            .iter()
            .any(|(_, name)| *name == third_pod()),
        "the failed pod was deleted: {:?}",
        harness.runtime.deleted()
    );
    let runs_of_third = harness
        .finished
        .iter()
        .filter(|name| **name == third_pod())
        .count();
    assert_eq!(runs_of_third, 2, "{:?}", harness.finished);
    assert_eq!(harness.finished.len(), 4, "only the failed step ran again");
    let workflow = harness.workflow().await;
    assert_eq!(
        RetryLeftovers::of(&workflow).expect("readable"),
        None,
        "the record is dropped once the leftovers are gone"
    );
    let results = harness
        .cluster
        .task_results()
        .get(Some("argo"), &node_id("steps", "steps[1].third"))
        .await;
    assert!(
        matches!(results, Err(argo_store::Error::NotFound { .. })),
        "the old task result was deleted: {results:?}"
    );
}

#[tokio::test]
async fn retrying_one_node_by_id_reruns_that_node_and_succeeds() {
    let mut harness = failed_steps().await;
    let third = node_id("steps", "steps[1].third");
    harness
        .retry(&RetryOptions {
            restart_successful: true,
            node_selector: NodeSelector::parse(&format!("id={third}")).expect("selector"),
            parameters: Vec::new(),
        })
        .await;
    assert_eq!(harness.run(0).await, WorkflowPhase::Succeeded);
    let deleted: Vec<String> = harness
        .runtime
        .deleted()
        .into_iter()
        .map(|(_, name)| name)
        .collect();
    assert_eq!(deleted, [third_pod()], "only the selected node's pod goes");
    let workflow = harness.workflow().await;
    assert_eq!(
        workflow.status.nodes[&third].phase,
        argo_core::NodePhase::Succeeded
    );
}

#[tokio::test]
async fn a_malformed_leftovers_record_is_dropped_and_the_workflow_still_reconciles() {
    let harness = failed_steps().await;
    harness.retry(&RetryOptions::default()).await;
    let mut workflow = harness.workflow().await;
    workflow
        .metadata
        .annotations
        .get_or_insert_with(Default::default)
        .insert(
            operations::ANNOTATION_RETRY_LEFTOVERS.to_owned(),
            "not json".to_owned(),
        );
    harness
        .cluster
        .workflows()
        .update(&workflow)
        .await
        .expect("stored");
    harness
        .controller
        .process(&harness.key)
        .await
        .expect("pass");
    let after = harness.workflow().await;
    assert_eq!(RetryLeftovers::of(&after).expect("readable"), None);
}
