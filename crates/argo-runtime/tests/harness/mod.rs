//! Shared set-up for the local runtime's tests: a runtime on a temporary root using this crate's
//! own binaries, pod builders, and bounded polling (no sleep is ever an assertion).
#![allow(dead_code, clippy::unwrap_used)]

use std::path::Path;
use std::time::{Duration, Instant};

use argo_runtime::{
    Error, ImageShims, LocalRuntime, LocalRuntimeConfig, LogOptions, PodRuntime, Sandbox,
};
use futures::StreamExt;
use k8s_openapi::api::core::v1::{ContainerStateTerminated, Pod, PodStatus};
use tempfile::TempDir;

pub const NS: &str = "tests";

pub fn config(root: &Path, sandbox: Sandbox) -> LocalRuntimeConfig {
    let mut config = LocalRuntimeConfig::new(root);
    config.sandbox = sandbox;
    config.supervisor_program = env!("CARGO_BIN_EXE_argo-pod-supervisor").into();
    config.images = ImageShims::with_argosay(Path::new(env!("CARGO_BIN_EXE_argosay")));
    config.poll_interval = Duration::from_millis(50);
    config
}

/// A runtime on a fresh root, or `None` (with the reason printed) when the sandbox is unavailable.
pub fn runtime(sandbox: Sandbox) -> Option<(TempDir, LocalRuntime)> {
    let mut root = tempfile::Builder::new()
        .prefix("argo-runtime-test")
        .tempdir()
        .unwrap();
    if std::env::var_os("ARGO_RUNTIME_KEEP").is_some() {
        root.disable_cleanup(true);
        eprintln!("keeping the runtime root {}", root.path().display());
    }
    match LocalRuntime::new(config(root.path(), sandbox)) {
        Ok(runtime) => Some((root, runtime)),
        Err(Error::SandboxUnavailable { reason }) => {
            eprintln!("skipped: the namespace sandbox is unavailable here: {reason}");
            None
        }
        Err(e) => panic!("cannot start the runtime: {e}"),
    }
}

/// A pod from JSON, in namespace [`NS`].
pub fn pod(json: serde_json::Value) -> Pod {
    let mut pod: Pod = serde_json::from_value(json).unwrap();
    pod.metadata.namespace.get_or_insert_with(|| NS.into());
    pod
}

/// A pod of one container running `sh -c script`.
/// An unsandboxed runtime on `root` that runs at most `limit` pods at once.
pub fn limited(root: &Path, limit: usize) -> LocalRuntime {
    let mut config = config(root, Sandbox::None);
    config.max_running_pods = Some(limit);
    LocalRuntime::new(config).unwrap()
}

/// A pod that runs until `gate` exists.
pub fn held_pod(name: &str, gate: &Path) -> Pod {
    let script = format!(
        "while [ ! -e {} ]; do sleep 0.02; done; echo done",
        gate.display()
    );
    shell_pod(name, &script)
}

pub fn shell_pod(name: &str, script: &str) -> Pod {
    pod(serde_json::json!({
        "metadata": {"name": name},
        "spec": {"containers": [{"name": "main", "image": "alpine", "command": ["sh", "-c", script]}]}
    }))
}

/// Polls `check` every 25 ms until it returns `Some`, for at most `limit`.
pub async fn eventually<T>(
    limit: Duration,
    what: &str,
    mut check: impl AsyncFnMut() -> Option<T>,
) -> T {
    let started = Instant::now();
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(
            started.elapsed() < limit,
            "timed out after {limit:?} waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

pub async fn wait_phase(runtime: &LocalRuntime, name: &str, phases: &[&str]) -> PodStatus {
    eventually(
        Duration::from_secs(30),
        &format!("pod {name} to reach {phases:?}"),
        async || {
            let status = runtime.inspect(NS, name).await.unwrap()?;
            phases.contains(&status.phase.as_deref()?).then_some(status)
        },
    )
    .await
}

pub async fn wait_finished(runtime: &LocalRuntime, name: &str) -> PodStatus {
    wait_phase(runtime, name, &["Succeeded", "Failed"]).await
}

pub fn terminated(status: &PodStatus, container: &str) -> ContainerStateTerminated {
    let all = status
        .init_container_statuses
        .iter()
        .flatten()
        .chain(status.container_statuses.iter().flatten());
    let container_status = all
        .into_iter()
        .find(|c| c.name == container)
        .unwrap_or_else(|| panic!("no container {container}"));
    container_status
        .state
        .as_ref()
        .and_then(|s| s.terminated.clone())
        .unwrap_or_else(|| panic!("{container} has not terminated: {container_status:?}"))
}

pub async fn log_text(runtime: &LocalRuntime, name: &str, container: &str) -> Vec<String> {
    let stream = runtime
        .logs(NS, name, container, &LogOptions::default())
        .await
        .unwrap();
    stream.map(|line| line.unwrap().text).collect().await
}

/// Whether any process on the host has `token` in its command line.
pub fn process_with_token_exists(token: &str) -> bool {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return false;
    };
    entries.flatten().any(|entry| {
        let cmdline = std::fs::read(entry.path().join("cmdline")).unwrap_or_default();
        String::from_utf8_lossy(&cmdline)
            .replace('\0', " ")
            .contains(token)
    })
}

/// A token unique to this test run, usable as a `sleep` argument (`sleep 4242.<n>`).
pub fn sleep_token() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("4242.{}{}", std::process::id(), nanos % 100_000)
}
