//! A runtime that adopts a pod whose supervisor died part-way through starting a container (it
//! runs on a thread of the caller, so it dies with it): a container marked started whose process
//! never began runs now, exactly once; one whose process began and vanished unreported is not
//! run again. The half-started state is built on disk from a pod that waited for admission (so
//! nothing of it had started). Unsandboxed, so it runs anywhere.
#![allow(clippy::unwrap_used)]

mod harness;

use std::path::{Path, PathBuf};

use argo_runtime::{LocalRuntime, PodRuntime, Sandbox};
use harness::*;
use k8s_openapi::api::core::v1::PodStatus;
use tempfile::TempDir;

/// Creates `name` (appending a line to `marks` when it runs) behind a pod that holds the only
/// slot until `<root>/gate` exists, so it waits with nothing started; then the runtime goes.
/// Returns its main container's directory.
async fn waiting_pod(root: &Path, name: &str, marks: &Path) -> PathBuf {
    let mut limited = config(root, Sandbox::None);
    limited.max_running_pods = Some(1);
    let runtime = LocalRuntime::new(limited).unwrap();
    let holder = format!(
        "while [ ! -e {} ]; do sleep 0.02; done",
        root.join("gate").display()
    );
    runtime.create(&shell_pod("holder", &holder)).await.unwrap();
    let script = format!("echo ran >> {}; echo ran", marks.display());
    runtime.create(&shell_pod(name, &script)).await.unwrap();
    let status = runtime.inspect(NS, name).await.unwrap().unwrap();
    assert_eq!(status.phase.as_deref(), Some("Pending"));
    drop(runtime);
    let container = root
        .join("pods")
        .join(NS)
        .join(name)
        .join("containers/main");
    std::fs::create_dir_all(&container).unwrap();
    container
}

fn runs(marks: &Path) -> usize {
    std::fs::read_to_string(marks).map_or(0, |text| text.lines().count())
}

/// Creates `name` as [`waiting_pod`] does, leaves `markers` in its main container's directory
/// (what a supervisor that died part-way through starting it left), then starts a runtime on the
/// same root, lets the slot holder end, and waits for the pod to end.
async fn adopt_half_started(
    root: &Path,
    name: &str,
    marks: &Path,
    markers: &[&str],
) -> (LocalRuntime, PodStatus) {
    let container = waiting_pod(root, name, marks).await;
    for marker in markers {
        std::fs::write(container.join(marker), b"").unwrap();
    }
    let restarted = LocalRuntime::new(config(root, Sandbox::None)).unwrap();
    std::fs::write(root.join("gate"), b"").unwrap();
    let status = wait_finished(&restarted, name).await;
    (restarted, status)
}

#[tokio::test]
async fn a_container_marked_started_whose_process_never_began_runs_once() {
    let root = TempDir::new().unwrap();
    let marks = root.path().join("marks");
    // The supervisor's process died after marking the start, before the spawn.
    let (restarted, status) = adopt_half_started(root.path(), "half", &marks, &["started"]).await;
    assert_eq!(status.phase.as_deref(), Some("Succeeded"), "{status:?}");
    assert_eq!(runs(&marks), 1);
    assert_eq!(log_text(&restarted, "half", "main").await, ["ran"]);
}

#[tokio::test]
async fn a_container_whose_process_began_and_vanished_is_not_run_again() {
    let root = TempDir::new().unwrap();
    let marks = root.path().join("marks");
    // Its process began (and could have run the command), then died without a report.
    let markers = ["started", "began"];
    let (_restarted, status) = adopt_half_started(root.path(), "vanished", &marks, &markers).await;
    assert_eq!(status.phase.as_deref(), Some("Failed"), "{status:?}");
    let main = terminated(&status, "main");
    assert_eq!(main.signal, Some(9), "{main:?}");
    assert_eq!(runs(&marks), 0);
}
