//! A pod creation lost after its node was recorded (the controller stored the status, then
//! died before creating the pod): on a complete listing of the workflow's pods
//! (`Observed::pods_listed`) the engine asks for the missing pod again, the same pod; on a view
//! that may lag it never asks twice.

mod harness;

use argo_core::{NodePhase, Workflow};
use argo_engine::{EngineConfig, Observed, PodObservation, PodPhase, reconcile};
use harness::fixture;
use jiff::Timestamp;

fn now() -> Timestamp {
    "2026-11-23T10:00:00Z".parse().expect("timestamp")
}

/// The pod names a reconcile asks for.
fn requested(workflow: &Workflow, observed: &Observed) -> Vec<String> {
    reconcile(workflow, observed, now(), &EngineConfig::default())
        .effects
        .iter()
        .filter_map(|effect| effect.created_pod_name().map(str::to_owned))
        .collect()
}

/// The workflow as stored after its first reconcile, whose pods were never created.
fn recorded_without_pods(name: &str) -> (Workflow, Vec<String>) {
    let workflow = fixture(name);
    let first = reconcile(
        &workflow,
        &Observed::default(),
        now(),
        &EngineConfig::default(),
    );
    let pods: Vec<String> = first
        .effects
        .iter()
        .filter_map(|effect| effect.created_pod_name().map(str::to_owned))
        .collect();
    assert!(!pods.is_empty(), "{name} asks for a pod first");
    (first.apply_to(&workflow), pods)
}

fn listed() -> Observed {
    Observed {
        pods_listed: true,
        ..Observed::default()
    }
}

#[test]
fn a_pending_node_without_its_pod_gets_the_same_pod_again_on_a_complete_listing() {
    for name in [
        "hello-world",
        "dag-diamond",
        "steps-sequence",
        "retry-limit",
    ] {
        let (stored, pods) = recorded_without_pods(name);
        assert!(
            stored
                .status
                .nodes
                .values()
                .any(|n| n.phase == NodePhase::Pending),
            "{name}: a Pending node is recorded"
        );
        assert_eq!(requested(&stored, &listed()), pods, "{name}");
    }
}

#[test]
fn a_view_that_may_lag_never_asks_for_a_pod_twice() {
    let (stored, _) = recorded_without_pods("hello-world");
    assert!(requested(&stored, &Observed::default()).is_empty());
}

#[test]
fn an_observed_or_deleted_pod_is_not_asked_for_again() {
    let (stored, pods) = recorded_without_pods("dag-diamond");
    let mut running = listed();
    for pod in &pods {
        running
            .pods
            .insert(pod.clone(), PodObservation::in_phase(PodPhase::Pending));
    }
    assert!(requested(&stored, &running).is_empty());

    let mut deleted = listed();
    deleted.deleted_pods.extend(pods.iter().cloned());
    assert!(requested(&stored, &deleted).is_empty());
}

#[test]
fn a_terminated_workflow_does_not_get_its_lost_pods_back() {
    let (mut stored, _) = recorded_without_pods("hello-world");
    stored.spec.shutdown = Some(argo_core::ShutdownStrategy::Terminate);
    assert!(requested(&stored, &listed()).is_empty());
}
