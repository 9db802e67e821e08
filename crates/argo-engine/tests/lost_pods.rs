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

/// hello-world recorded with its pod observed Running at `now()`, and that pod's name.
fn running_hello_world() -> (Workflow, String) {
    let (stored, pods) = recorded_without_pods("hello-world");
    let mut observed = listed();
    observed
        .pods
        .insert(pods[0].clone(), PodObservation::in_phase(PodPhase::Running));
    let running = reconcile(&stored, &observed, now(), &EngineConfig::default()).apply_to(&stored);
    assert!(
        running
            .status
            .nodes
            .values()
            .any(|n| n.phase == NodePhase::Running),
        "the pod's node runs"
    );
    (running, pods[0].clone())
}

fn pod_node_phase(workflow: &Workflow) -> (NodePhase, String) {
    let node = workflow
        .status
        .nodes
        .values()
        .find(|n| n.node_type == argo_core::NodeType::Pod)
        .expect("a pod node");
    (node.phase.clone(), node.message.clone())
}

#[test]
fn a_running_node_whose_pod_vanished_from_a_complete_listing_errs_after_the_grace() {
    let (running, _) = running_hello_world();
    let config = EngineConfig::default();
    let grace = config.pod_missing_grace;

    // Within the grace: still Running, and the engine asks to look again when it ends.
    let early = now() + grace / 2;
    let within = reconcile(&running, &listed(), early, &config);
    assert_eq!(
        pod_node_phase(&within.apply_to(&running)).0,
        NodePhase::Running
    );
    assert!(within.requeue_after.is_some_and(|after| after <= grace / 2));

    // Past it: the node errs as Argo's does.
    let late = now() + grace + jiff::SignedDuration::from_secs(1);
    let after = reconcile(&running, &listed(), late, &config).apply_to(&running);
    assert_eq!(
        pod_node_phase(&after),
        (NodePhase::Error, "pod deleted".to_owned())
    );
    assert!(
        after.status.phase.is_completed(),
        "{:?}",
        after.status.phase
    );
}

#[test]
fn a_running_node_is_not_judged_on_a_view_that_may_lag() {
    let (running, _) = running_hello_world();
    let late = now() + jiff::SignedDuration::from_secs(3600);
    let after = reconcile(
        &running,
        &Observed::default(),
        late,
        &EngineConfig::default(),
    )
    .apply_to(&running);
    assert_eq!(pod_node_phase(&after).0, NodePhase::Running);
}

#[test]
fn a_pod_known_deleted_errs_its_running_node_at_once() {
    let (running, pod) = running_hello_world();
    let mut deleted = Observed::default();
    deleted.deleted_pods.insert(pod);
    let after = reconcile(&running, &deleted, now(), &EngineConfig::default()).apply_to(&running);
    assert_eq!(
        pod_node_phase(&after),
        (NodePhase::Error, "pod deleted".to_owned())
    );
}
