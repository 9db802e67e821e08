//! The limit on pods running at once (`LocalRuntimeConfig::max_running_pods`): pods beyond it
//! stay `Pending` with nothing started, start in order as running pods end, are started by a
//! restarted runtime, and leave the line when deleted. Unsandboxed, so it runs anywhere.
#![allow(clippy::unwrap_used)]

mod harness;

use std::time::Duration;

use argo_runtime::{LocalRuntime, PodRuntime};
use harness::*;
use k8s_openapi::api::core::v1::PodStatus;
use tempfile::TempDir;

/// True when no container of the pod has started.
fn nothing_started(status: &PodStatus) -> bool {
    status.phase.as_deref() == Some("Pending")
        && status
            .container_statuses
            .iter()
            .flatten()
            .all(|c| c.state.as_ref().is_some_and(|s| s.waiting.is_some()))
}

async fn status(runtime: &LocalRuntime, name: &str) -> PodStatus {
    runtime.inspect(NS, name).await.unwrap().unwrap()
}

#[tokio::test]
async fn pods_beyond_the_limit_stay_pending_and_start_in_order_as_others_end() {
    let root = TempDir::new().unwrap();
    let gate = root.path().join("gate");
    let runtime = limited(root.path(), 1);
    runtime.create(&held_pod("first", &gate)).await.unwrap();
    runtime
        .create(&shell_pod("second", "echo second"))
        .await
        .unwrap();
    runtime
        .create(&shell_pod("third", "echo third"))
        .await
        .unwrap();
    wait_phase(&runtime, "first", &["Running"]).await;
    // Inspecting the waiting pods again and again starts nothing while the slot is taken.
    for _ in 0..5 {
        for name in ["second", "third"] {
            let waiting = status(&runtime, name).await;
            assert!(nothing_started(&waiting), "{name}: {waiting:?}");
        }
    }
    std::fs::write(&gate, b"").unwrap();
    let first = wait_finished(&runtime, "first").await;
    let second = wait_finished(&runtime, "second").await;
    let third = wait_finished(&runtime, "third").await;
    for finished in [&first, &second, &third] {
        assert_eq!(finished.phase.as_deref(), Some("Succeeded"));
    }
    let (first, second, third) = (
        terminated(&first, "main"),
        terminated(&second, "main"),
        terminated(&third, "main"),
    );
    assert!(first.finished_at.unwrap().0 <= second.started_at.unwrap().0);
    assert!(second.finished_at.unwrap().0 <= third.started_at.unwrap().0);
    assert_eq!(log_text(&runtime, "third", "main").await, ["third"]);
}

#[tokio::test]
async fn a_restarted_runtime_starts_the_pods_left_waiting() {
    let root = TempDir::new().unwrap();
    let gate = root.path().join("gate");
    {
        let runtime = limited(root.path(), 1);
        runtime.create(&held_pod("holder", &gate)).await.unwrap();
        runtime
            .create(&shell_pod("waiter", "echo late"))
            .await
            .unwrap();
        wait_phase(&runtime, "holder", &["Running"]).await;
        assert!(nothing_started(&status(&runtime, "waiter").await));
    }
    let restarted = limited(root.path(), 1);
    // The holder's live supervisor counts against the limit in the new runtime too.
    assert_eq!(
        status(&restarted, "holder").await.phase.as_deref(),
        Some("Running")
    );
    assert!(nothing_started(&status(&restarted, "waiter").await));
    std::fs::write(&gate, b"").unwrap();
    let waiter = wait_finished(&restarted, "waiter").await;
    assert_eq!(waiter.phase.as_deref(), Some("Succeeded"));
    assert_eq!(log_text(&restarted, "waiter", "main").await, ["late"]);
}

#[tokio::test]
async fn a_deleted_waiting_pod_never_runs_and_the_line_moves_on() {
    let root = TempDir::new().unwrap();
    let gate = root.path().join("gate");
    let runtime = limited(root.path(), 1);
    let marker = root.path().join("ran");
    runtime.create(&held_pod("busy", &gate)).await.unwrap();
    let script = format!("touch {}", marker.display());
    runtime.create(&shell_pod("doomed", &script)).await.unwrap();
    runtime
        .create(&shell_pod("next", "echo next"))
        .await
        .unwrap();
    wait_phase(&runtime, "busy", &["Running"]).await;
    runtime
        .delete(NS, "doomed", Duration::from_secs(1))
        .await
        .unwrap();
    assert!(runtime.inspect(NS, "doomed").await.unwrap().is_none());
    std::fs::write(&gate, b"").unwrap();
    let next = wait_finished(&runtime, "next").await;
    assert_eq!(next.phase.as_deref(), Some("Succeeded"));
    assert!(!marker.exists(), "the deleted pod ran");
}

#[tokio::test]
async fn pods_within_the_limit_run_together() {
    let root = TempDir::new().unwrap();
    let gate = root.path().join("gate");
    let runtime = limited(root.path(), 2);
    runtime.create(&held_pod("one", &gate)).await.unwrap();
    runtime.create(&held_pod("two", &gate)).await.unwrap();
    wait_phase(&runtime, "one", &["Running"]).await;
    wait_phase(&runtime, "two", &["Running"]).await;
    std::fs::write(&gate, b"").unwrap();
    for name in ["one", "two"] {
        let finished = wait_finished(&runtime, name).await;
        assert_eq!(finished.phase.as_deref(), Some("Succeeded"));
    }
}
