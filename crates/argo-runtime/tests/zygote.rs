//! Containers started by the runtime's zygote (a copy of it, no new program) rather than by a
//! program of their own, in both modes; and what happens when the zygote dies: its containers
//! run on and are reported, and the next pod gets a new zygote.
#![allow(clippy::unwrap_used)]

mod harness;

use std::path::{Path, PathBuf};
use std::time::Duration;

use argo_runtime::{LocalRuntime, PodRuntime, Sandbox, ZygoteMode};
use harness::*;
use k8s_openapi::api::core::v1::Pod;
use serde_json::json;
use tempfile::TempDir;

/// A runtime in `sandbox` mode with `zygote`, or `None` when the sandbox is unavailable here.
fn runtime_with(root: &Path, sandbox: Sandbox, zygote: ZygoteMode) -> Option<LocalRuntime> {
    let mut config = config(root, sandbox);
    config.zygote = zygote;
    match LocalRuntime::new(config) {
        Ok(runtime) => Some(runtime),
        Err(error) => {
            eprintln!("skipped: {error}");
            None
        }
    }
}

/// A pod that runs until the file `gate` exists in `root`, then prints `done`. In the sandbox,
/// where `/tmp` is private, `root` is reached through a `hostPath` volume.
fn gated_pod(root: &Path, name: &str, gate: &str, sandbox: Sandbox) -> Pod {
    let (dir, volumes, mounts) = match sandbox {
        Sandbox::Namespaces => (
            PathBuf::from("/gates"),
            json!([{"name": "gates", "hostPath": {"path": root}}]),
            json!([{"name": "gates", "mountPath": "/gates"}]),
        ),
        Sandbox::None => (root.to_path_buf(), json!([]), json!([])),
    };
    let gate = dir.join(gate);
    let script = format!(
        "while [ ! -e {} ]; do sleep 0.02; done; echo done",
        gate.display()
    );
    pod(json!({
        "metadata": {"name": name},
        "spec": {
            "volumes": volumes,
            "containers": [{
                "name": "main", "image": "alpine", "command": ["sh", "-c", script],
                "volumeMounts": mounts,
            }],
        }
    }))
}

fn container_dir(root: &Path, pod: &str) -> PathBuf {
    root.join("pods").join(NS).join(pod).join("containers/main")
}

/// The parent of process `pid`, from `/proc`.
fn parent_of(pid: i32) -> Option<i32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // `pid (comm) state ppid ...`; the name may hold spaces, so count from its closing bracket.
    stat.rsplit_once(')')?
        .1
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn command_line(pid: i32) -> String {
    std::fs::read(format!("/proc/{pid}/cmdline"))
        .map(|bytes| String::from_utf8_lossy(&bytes).replace('\0', " "))
        .unwrap_or_default()
}

/// The process group recorded for the main container of `pod`, once it is.
async fn recorded_group(root: &Path, pod: &str) -> i32 {
    let pgid_file = container_dir(root, pod).join("pgid");
    eventually(Duration::from_secs(10), "the process group", async || {
        std::fs::read_to_string(&pgid_file)
            .ok()?
            .trim()
            .parse()
            .ok()
    })
    .await
}

/// The process that started the container's first process: for the sandbox, the parent of its
/// `init` (which leads the recorded group); without it, the parent of the shim (the parent of
/// the command, which leads the group).
async fn starter_of(root: &Path, pod: &str, sandbox: Sandbox) -> i32 {
    let group = recorded_group(root, pod).await;
    let first = match sandbox {
        Sandbox::Namespaces => group,
        Sandbox::None => parent_of(group).unwrap(),
    };
    parent_of(first).unwrap()
}

/// Runs a pod; the process that started its first process (its PID, and whether it is a
/// zygote), or `None` when the sandbox is unavailable.
async fn started_by(sandbox: Sandbox, zygote: ZygoteMode) -> Option<(i32, bool)> {
    let root = TempDir::new().unwrap();
    let runtime = runtime_with(root.path(), sandbox, zygote)?;
    let pod = gated_pod(root.path(), "p", "gate", sandbox);
    runtime.create(&pod).await.unwrap();
    let starter = starter_of(root.path(), "p", sandbox).await;
    let is_zygote = command_line(starter).ends_with("argo-pod-supervisor zygote ");
    std::fs::write(root.path().join("gate"), b"").unwrap();
    let status = wait_finished(&runtime, "p").await;
    assert_eq!(status.phase.as_deref(), Some("Succeeded"), "{status:?}");
    assert_eq!(log_text(&runtime, "p", "main").await, ["done"]);
    Some((starter, is_zygote))
}

fn this_process() -> i32 {
    i32::try_from(std::process::id()).unwrap()
}

#[tokio::test]
async fn sandboxed_containers_start_from_the_zygote_unless_it_is_off() {
    let Some((starter, is_zygote)) = started_by(Sandbox::Namespaces, ZygoteMode::Supervisor).await
    else {
        return;
    };
    assert!(is_zygote && starter != this_process());
    let (starter, is_zygote) = started_by(Sandbox::Namespaces, ZygoteMode::Off)
        .await
        .unwrap();
    assert!(!is_zygote);
    assert_eq!(starter, this_process());
}

#[tokio::test]
async fn unsandboxed_containers_start_from_the_zygote_unless_it_is_off() {
    let (starter, is_zygote) = started_by(Sandbox::None, ZygoteMode::Supervisor)
        .await
        .unwrap();
    assert!(is_zygote && starter != this_process());
    let (starter, is_zygote) = started_by(Sandbox::None, ZygoteMode::Off).await.unwrap();
    assert!(!is_zygote);
    assert_eq!(starter, this_process());
}

#[tokio::test]
async fn a_killed_zygote_loses_no_container_and_is_replaced() {
    let root = TempDir::new().unwrap();
    let runtime = runtime_with(root.path(), Sandbox::None, ZygoteMode::Supervisor).unwrap();
    let before = gated_pod(root.path(), "before", "gate", Sandbox::None);
    runtime.create(&before).await.unwrap();
    let zygote = starter_of(root.path(), "before", Sandbox::None).await;
    assert!(command_line(zygote).contains("zygote"));
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(zygote),
        nix::sys::signal::Signal::SIGKILL,
    )
    .unwrap();
    // The container runs on and its end is seen without the zygote's word.
    std::fs::write(root.path().join("gate"), b"").unwrap();
    let status = wait_finished(&runtime, "before").await;
    assert_eq!(status.phase.as_deref(), Some("Succeeded"), "{status:?}");
    assert_eq!(log_text(&runtime, "before", "main").await, ["done"]);
    // The next pod gets a new zygote.
    let after = gated_pod(root.path(), "after", "second-gate", Sandbox::None);
    runtime.create(&after).await.unwrap();
    let replacement = starter_of(root.path(), "after", Sandbox::None).await;
    assert_ne!(replacement, zygote);
    assert!(command_line(replacement).contains("zygote"));
    std::fs::write(root.path().join("second-gate"), b"").unwrap();
    let status = wait_finished(&runtime, "after").await;
    assert_eq!(status.phase.as_deref(), Some("Succeeded"), "{status:?}");
}

#[tokio::test]
async fn an_init_killed_before_its_report_is_reported_from_its_signal() {
    let root = TempDir::new().unwrap();
    let Some(runtime) = runtime_with(root.path(), Sandbox::Namespaces, ZygoteMode::Supervisor)
    else {
        return;
    };
    let pod = gated_pod(root.path(), "p", "gate", Sandbox::Namespaces);
    runtime.create(&pod).await.unwrap();
    let init = recorded_group(root.path(), "p").await;
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(init),
        nix::sys::signal::Signal::SIGKILL,
    )
    .unwrap();
    let status = wait_finished(&runtime, "p").await;
    assert_eq!(status.phase.as_deref(), Some("Failed"), "{status:?}");
    let main = terminated(&status, "main");
    assert_eq!(main.exit_code, 137, "{main:?}");
    // The report comes from the zygote's word: without it nobody writes `exit.json` (the
    // supervisor only records the end in the pod's status).
    let exit = container_dir(root.path(), "p").join("exit.json");
    let report: serde_json::Value = eventually(Duration::from_secs(10), "the report", async || {
        serde_json::from_slice(&std::fs::read(&exit).ok()?).ok()
    })
    .await;
    assert_eq!(report["signal"], 9, "{report}");
}
