//! Signals inside a container reach the processes they are meant for, in both modes, and the
//! runtime announces a pod's changes as the supervisor writes them (not at its next scan).
#![allow(clippy::unwrap_used)]

mod harness;

use std::time::Duration;

use argo_runtime::{LocalRuntime, PodEvent, PodRuntime, Sandbox};
use harness::*;

/// A shell that starts `sleep` in the background and terminates it: the sleep must die of
/// SIGTERM (the shell's `wait` then returns 143), not finish its 30 seconds.
async fn terminate_a_background_child(sandbox: Sandbox) {
    let Some((_root, rt)) = runtime(sandbox) else {
        return;
    };
    let token = sleep_token();
    let script = format!("sleep {token} & kill -TERM $!; wait $!; echo status=$?");
    rt.create(&shell_pod("background-term", &script))
        .await
        .unwrap();
    let status = wait_finished(&rt, "background-term").await;
    let log = log_text(&rt, "background-term", "main").await;
    assert!(
        log.iter().any(|line| line == "status=143"),
        "{log:?} {status:?}"
    );
    assert!(!process_with_token_exists(&token));
}

#[tokio::test]
async fn sigterm_stops_a_background_child_in_the_sandbox() {
    terminate_a_background_child(Sandbox::Namespaces).await;
}

#[tokio::test]
async fn sigterm_stops_a_background_child_unsandboxed() {
    terminate_a_background_child(Sandbox::None).await;
}

/// With a scan interval of an hour, only the supervisor's notices can deliver the events.
async fn events_arrive_without_scanning(sandbox: Sandbox) {
    let root = tempfile::tempdir().unwrap();
    let mut config = config(root.path(), sandbox);
    config.poll_interval = Duration::from_secs(3600);
    let rt = match LocalRuntime::new(config) {
        Ok(rt) => rt,
        Err(argo_runtime::Error::SandboxUnavailable { reason }) => {
            eprintln!("skipped: {reason}");
            return;
        }
        Err(e) => panic!("{e}"),
    };
    let mut events = rt.events();
    // Let the watcher start (its first scan runs at once) before the pod exists.
    tokio::task::yield_now().await;
    rt.create(&shell_pod("noticed", "true")).await.unwrap();
    let finished = tokio::time::timeout(Duration::from_secs(60), async {
        loop {
            let event: PodEvent = events.recv().await.unwrap();
            let phase = event.status.as_ref().and_then(|s| s.phase.clone());
            if event.name == "noticed" && phase.as_deref() == Some("Succeeded") {
                return event;
            }
        }
    })
    .await
    .expect("no Succeeded event: notices are not delivered");
    assert_eq!(finished.namespace, NS);
}

#[tokio::test]
async fn pod_changes_are_announced_without_a_scan_in_the_sandbox() {
    events_arrive_without_scanning(Sandbox::Namespaces).await;
}

#[tokio::test]
async fn pod_changes_are_announced_without_a_scan_unsandboxed() {
    events_arrive_without_scanning(Sandbox::None).await;
}
