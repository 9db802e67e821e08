//! In-process programs: a host container whose command the caller registered runs on a runtime
//! thread, with its arguments, environment, log, signals and exit code, and runs again when the
//! process that ran it died before it reported.
#![allow(clippy::unwrap_used)]

mod harness;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use argo_runtime::{
    InProcessContainer, InProcessProgram, LocalRuntime, PodRuntime, Sandbox, Signal,
};
use harness::*;
use serde_json::json;

const PROGRAM: &str = "in-process-probe";

/// Answers to `in-process-probe <what> ...`.
struct Probe {
    gate: PathBuf,
}

impl InProcessProgram for Probe {
    fn run(&self, container: InProcessContainer) -> i32 {
        let InProcessContainer {
            args,
            env,
            log,
            signals,
        } = container;
        log.stdout(&format!("args: {}", args.join(" ")));
        let until = Instant::now() + Duration::from_secs(30);
        match args.first().map(String::as_str) {
            Some("exit") => {
                log.stderr(&format!("GREETING={}", env["GREETING"]));
                args[1].parse().unwrap()
            }
            Some("gate") => {
                while !self.gate.exists() && Instant::now() < until {
                    std::thread::sleep(Duration::from_millis(10));
                }
                0
            }
            Some("signal") => loop {
                if let Some(signal) = *signals.borrow() {
                    log.stdout(&format!("got {}", signal.as_str()));
                    return 128 + signal as i32;
                }
                assert!(Instant::now() < until, "no signal came");
                std::thread::sleep(Duration::from_millis(10));
            },
            _ => 99,
        }
    }
}

fn with_probe(runtime: LocalRuntime, gate: &Path) -> LocalRuntime {
    let probe = Arc::new(Probe { gate: gate.into() });
    runtime.with_in_process_program(vec![PROGRAM.into()], probe)
}

fn probe_pod(name: &str, args: &[&str]) -> k8s_openapi::api::core::v1::Pod {
    let mut command = vec![PROGRAM];
    command.extend(args);
    pod(json!({
        "metadata": {"name": name},
        "spec": {"containers": [{"name": "main", "image": "alpine", "command": command,
            "env": [{"name": "GREETING", "value": "hello"}]}]}
    }))
}

#[tokio::test]
async fn a_registered_command_runs_in_process_with_its_arguments_environment_and_log() {
    let Some((root, runtime)) = runtime(Sandbox::None) else {
        return;
    };
    let runtime = with_probe(runtime, &root.path().join("gate"));
    runtime
        .create(&probe_pod("exits", &["exit", "3"]))
        .await
        .unwrap();
    let status = wait_finished(&runtime, "exits").await;
    assert_eq!(status.phase.as_deref(), Some("Failed"));
    assert_eq!(terminated(&status, "main").exit_code, 3);
    assert_eq!(
        log_text(&runtime, "exits", "main").await,
        ["args: exit 3", "GREETING=hello"]
    );
    let pod_dir = root.path().join("pods").join(NS).join("exits");
    assert!(
        !pod_dir.join("containers/main/pgid").exists(),
        "no process was started for it"
    );
}

#[tokio::test]
async fn a_sandboxed_container_never_runs_in_process() {
    let Some((root, runtime)) = runtime(Sandbox::Namespaces) else {
        return;
    };
    let runtime = with_probe(runtime, &root.path().join("gate"));
    runtime
        .create(&probe_pod("boxed", &["exit", "0"]))
        .await
        .unwrap();
    let status = wait_finished(&runtime, "boxed").await;
    // Run as a process, the command does not exist.
    assert_eq!(status.phase.as_deref(), Some("Failed"));
    assert_eq!(
        terminated(&status, "main").reason.as_deref(),
        Some("StartError")
    );
}

#[tokio::test]
async fn signals_and_deletion_reach_an_in_process_container() {
    let Some((root, runtime)) = runtime(Sandbox::None) else {
        return;
    };
    let runtime = with_probe(runtime, &root.path().join("gate"));
    runtime
        .create(&probe_pod("signalled", &["signal"]))
        .await
        .unwrap();
    wait_phase(&runtime, "signalled", &["Running"]).await;
    runtime
        .signal(NS, "signalled", Some("main"), Signal::SIGTERM)
        .await
        .unwrap();
    let status = wait_finished(&runtime, "signalled").await;
    assert_eq!(terminated(&status, "main").exit_code, 128 + 15);
    assert_eq!(
        log_text(&runtime, "signalled", "main").await,
        ["args: signal", "got SIGTERM"]
    );

    runtime
        .create(&probe_pod("deleted", &["signal"]))
        .await
        .unwrap();
    wait_phase(&runtime, "deleted", &["Running"]).await;
    runtime
        .delete(NS, "deleted", Duration::from_secs(5))
        .await
        .unwrap();
    assert!(runtime.inspect(NS, "deleted").await.unwrap().is_none());
}

#[tokio::test]
async fn an_in_process_container_that_died_unreported_runs_again() {
    let Some((root, first)) = runtime(Sandbox::None) else {
        return;
    };
    let gate = root.path().join("gate");
    let first = with_probe(first, &gate);
    first.create(&probe_pod("rerun", &["gate"])).await.unwrap();
    wait_phase(&first, "rerun", &["Running"]).await;
    // The runtime goes (its supervisor lets go of the pod); then the program ends, and its
    // report is lost: what a crash of the process that ran it leaves behind.
    drop(first);
    let pod_dir = root.path().join("pods").join(NS).join("rerun");
    wait_unlocked(&pod_dir.join("supervisor.lock")).await;
    std::fs::write(&gate, b"").unwrap();
    let container = pod_dir.join("containers/main");
    wait_unlocked(&container.join("shim.lock")).await;
    std::fs::remove_file(container.join("exit.json")).unwrap();

    let second = with_probe(
        LocalRuntime::new(config(root.path(), Sandbox::None)).unwrap(),
        &gate,
    );
    let status = wait_finished(&second, "rerun").await;
    assert_eq!(status.phase.as_deref(), Some("Succeeded"));
    assert_eq!(
        log_text(&second, "rerun", "main").await,
        ["args: gate", "args: gate"],
        "it ran once more"
    );
}

/// Waits until nobody holds the lock file at `path`.
async fn wait_unlocked(path: &Path) {
    eventually(
        Duration::from_secs(10),
        &format!("{} to be free", path.display()),
        async || {
            let file = std::fs::File::open(path).ok()?;
            file.try_lock().ok()?;
            file.unlock().ok()
        },
    )
    .await;
}
