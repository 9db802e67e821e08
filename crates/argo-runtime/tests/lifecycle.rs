//! The local runtime's pod lifecycle: signals and deletion kill whole process groups, the
//! deadline, logs, idempotent creation, events, and finding pods again after a restart. Each test
//! runs in the sandboxed mode when available and always in the unsandboxed mode.
#![allow(clippy::unwrap_used)]

mod harness;

use std::os::unix::process::CommandExt;
use std::time::Duration;

use argo_runtime::{LocalRuntime, LogOptions, PodRuntime, Sandbox, Signal};
use futures::StreamExt;
use harness::*;
use serde_json::json;
use tempfile::TempDir;

/// The runtimes to test with: sandboxed (when possible) and unsandboxed.
fn runtimes() -> Vec<(TempDir, LocalRuntime)> {
    [Sandbox::Namespaces, Sandbox::None]
        .into_iter()
        .filter_map(runtime)
        .collect()
}

async fn wait_no_process_with(token: &str) {
    eventually(
        Duration::from_secs(15),
        &format!("processes with {token} to end"),
        async || (!process_with_token_exists(token)).then_some(()),
    )
    .await;
}

#[tokio::test]
async fn signal_kills_the_whole_group_including_grandchildren() {
    for (_root, rt) in runtimes() {
        let token = sleep_token();
        let script = format!("sleep {token} & sleep {token}");
        rt.create(&shell_pod("signalled", &script)).await.unwrap();
        wait_phase(&rt, "signalled", &["Running"]).await;
        eventually(
            Duration::from_secs(10),
            "both sleeps to start",
            async || {
                let count = std::fs::read_dir("/proc").unwrap().flatten().filter(|e| {
                    let cmdline = std::fs::read(e.path().join("cmdline")).unwrap_or_default();
                    String::from_utf8_lossy(&cmdline)
                        .replace('\0', " ")
                        .starts_with(&format!("sleep {token}"))
                });
                (count.count() == 2).then_some(())
            },
        )
        .await;
        rt.signal(NS, "signalled", Some("main"), Signal::SIGTERM)
            .await
            .unwrap();
        let status = wait_finished(&rt, "signalled").await;
        assert_eq!(status.phase.as_deref(), Some("Failed"));
        assert_eq!(terminated(&status, "main").exit_code, 143);
        wait_no_process_with(&token).await;
    }
}

#[tokio::test]
async fn delete_kills_the_group_and_forgets_the_pod() {
    for (_root, rt) in runtimes() {
        let token = sleep_token();
        // The shell ignores SIGTERM, so only SIGKILL after the grace period ends it.
        let script = format!("trap '' TERM; sleep {token} & sleep {token}; wait");
        rt.create(&shell_pod("deleted", &script)).await.unwrap();
        wait_phase(&rt, "deleted", &["Running"]).await;
        eventually(Duration::from_secs(10), "the sleep to start", async || {
            process_with_token_exists(&token).then_some(())
        })
        .await;
        rt.delete(NS, "deleted", Duration::from_millis(300))
            .await
            .unwrap();
        assert_eq!(rt.inspect(NS, "deleted").await.unwrap(), None);
        wait_no_process_with(&token).await;
        rt.delete(NS, "deleted", Duration::ZERO).await.unwrap();
    }
}

#[tokio::test]
async fn active_deadline_seconds_kills_the_pod_and_fails_it() {
    for (_root, rt) in runtimes() {
        let token = sleep_token();
        let p = pod(json!({
            "metadata": {"name": "deadline"},
            "spec": {
                "activeDeadlineSeconds": 1,
                "terminationGracePeriodSeconds": 1,
                "containers": [{"name": "main", "image": "alpine", "command": ["sleep", token]}]
            }
        }));
        rt.create(&p).await.unwrap();
        let status = wait_finished(&rt, "deadline").await;
        assert_eq!(status.phase.as_deref(), Some("Failed"));
        assert_eq!(status.reason.as_deref(), Some("DeadlineExceeded"));
        assert_ne!(terminated(&status, "main").exit_code, 0);
        wait_no_process_with(&token).await;
    }
}

#[tokio::test]
async fn logs_can_be_tailed_filtered_and_followed() {
    for (_root, rt) in runtimes() {
        // The container waits for a gate file the test creates in its volume. Unsandboxed, the
        // mount path is a link on the host, so it must be unique.
        let gate_dir = match rt.config().sandbox {
            Sandbox::None => format!("/tmp/argo-runtime-gate-{}", sleep_token()),
            Sandbox::Namespaces => "/gate".to_string(),
        };
        let script = "for i in 1 2 3; do echo line$i; done; echo err >&2; \
                      while [ ! -f \"$GATE/open\" ]; do sleep 0.05; done; echo after-gate";
        let p = pod(json!({
            "metadata": {"name": "logs"},
            "spec": {
                "volumes": [{"name": "gate", "emptyDir": {}}],
                "containers": [{
                    "name": "main", "image": "alpine", "command": ["sh", "-c", script],
                    "env": [{"name": "GATE", "value": gate_dir}],
                    "volumeMounts": [{"name": "gate", "mountPath": gate_dir}]
                }]
            }
        }));
        rt.create(&p).await.unwrap();

        let follow = LogOptions {
            follow: true,
            ..LogOptions::default()
        };
        let followed = tokio::spawn({
            let rt = rt.clone();
            async move {
                let stream = rt.logs(NS, "logs", "main", &follow).await.unwrap();
                stream.map(|l| l.unwrap().text).collect::<Vec<_>>().await
            }
        });
        eventually(
            Duration::from_secs(10),
            "the first four lines",
            async || (log_text(&rt, "logs", "main").await.len() >= 4).then_some(()),
        )
        .await;
        let tail = LogOptions {
            tail_lines: Some(2),
            ..LogOptions::default()
        };
        let tailed: Vec<_> = rt
            .logs(NS, "logs", "main", &tail)
            .await
            .unwrap()
            .map(|l| l.unwrap())
            .collect()
            .await;
        // stdout and stderr are separate pipes, so their interleaving is not fixed: compare the
        // tail with the end of the whole log.
        let whole = log_text(&rt, "logs", "main").await;
        let texts: Vec<_> = tailed.iter().map(|l| l.text.clone()).collect();
        assert_eq!(texts, whole[whole.len() - 2..]);
        let err = tailed.iter().find(|l| l.text == "err");
        if let Some(err) = err {
            assert_eq!(err.stream, argo_runtime::LogStream::Stderr);
            assert!(err.render(true).ends_with("Z err"), "{}", err.render(true));
        }
        let future = LogOptions {
            since: Some(jiff::Timestamp::now() + jiff::SignedDuration::from_hours(1)),
            ..LogOptions::default()
        };
        assert_eq!(
            rt.logs(NS, "logs", "main", &future)
                .await
                .unwrap()
                .count()
                .await,
            0
        );

        std::fs::write(rt.volume_dir(NS, "logs", "gate").join("open"), b"").unwrap();
        let all = tokio::time::timeout(Duration::from_secs(20), followed)
            .await
            .unwrap()
            .unwrap();
        let mut sorted = all.clone();
        sorted.sort();
        assert_eq!(sorted, ["after-gate", "err", "line1", "line2", "line3"]);
        assert_eq!(all.last().map(String::as_str), Some("after-gate"));
        wait_finished(&rt, "logs").await;
    }
}

#[tokio::test]
async fn creating_an_existing_pod_returns_it_without_running_it_again() {
    for (_root, rt) in runtimes() {
        let p = shell_pod("once", "echo ran");
        let (first, second) = tokio::join!(rt.create(&p), rt.create(&p));
        first.unwrap();
        second.unwrap();
        wait_finished(&rt, "once").await;
        let again = rt.create(&p).await.unwrap();
        assert_eq!(again.phase.as_deref(), Some("Succeeded"));
        assert_eq!(log_text(&rt, "once", "main").await, ["ran"]);
        let stored = rt.get(NS, "once").await.unwrap().unwrap();
        assert_eq!(stored.metadata.name.as_deref(), Some("once"));
        assert_eq!(
            stored.status.and_then(|s| s.phase).as_deref(),
            Some("Succeeded")
        );
        assert!(rt.get(NS, "never-created").await.unwrap().is_none());
        let listed = rt.list(Some(NS)).await.unwrap();
        assert_eq!(
            listed.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(),
            ["once"]
        );
    }
}

#[tokio::test]
async fn events_announce_status_changes_and_deletion() {
    for (_root, rt) in runtimes() {
        let mut events = rt.events();
        rt.create(&shell_pod("watched", "exit 0")).await.unwrap();
        let succeeded = tokio::time::timeout(Duration::from_secs(20), async {
            loop {
                let event = events.recv().await.unwrap();
                if event.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Succeeded") {
                    return event;
                }
            }
        })
        .await
        .unwrap();
        assert_eq!(
            (succeeded.namespace.as_str(), succeeded.name.as_str()),
            (NS, "watched")
        );
        rt.delete(NS, "watched", Duration::ZERO).await.unwrap();
        let deleted = tokio::time::timeout(Duration::from_secs(20), async {
            loop {
                let event = events.recv().await.unwrap();
                if event.status.is_none() {
                    return event;
                }
            }
        })
        .await
        .unwrap();
        assert_eq!(deleted.name, "watched");
    }
}

#[tokio::test]
async fn a_restarted_runtime_finds_finished_and_running_pods_and_runs_nothing_twice() {
    for (root, rt) in runtimes() {
        let gate = tempfile::tempdir().unwrap();
        rt.create(&shell_pod("finished", "echo done"))
            .await
            .unwrap();
        wait_finished(&rt, "finished").await;
        let sandbox = rt.config().sandbox;
        rt.create(&gated_pod("running", gate.path(), sandbox))
            .await
            .unwrap();
        wait_phase(&rt, "running", &["Running"]).await;
        eventually(
            Duration::from_secs(10),
            "the container to log",
            async || (!log_text(&rt, "running", "main").await.is_empty()).then_some(()),
        )
        .await;
        // Dropping the runtime ends its supervision as a crash of its process would: its
        // supervisor threads let go of the pods, and the container keeps running.
        drop(rt);

        let restarted = LocalRuntime::new(config(root.path(), sandbox)).unwrap();
        let finished = restarted.inspect(NS, "finished").await.unwrap().unwrap();
        assert_eq!(finished.phase.as_deref(), Some("Succeeded"));
        let running = restarted.inspect(NS, "running").await.unwrap().unwrap();
        assert_eq!(running.phase.as_deref(), Some("Running"));
        std::fs::write(gate.path().join("go"), b"").unwrap();
        let status = wait_finished(&restarted, "running").await;
        assert_eq!(status.phase.as_deref(), Some("Succeeded"));
        assert_eq!(
            log_text(&restarted, "running", "main").await,
            ["started", "finished"]
        );
    }
}

#[tokio::test]
async fn the_unsandboxed_mode_shares_volumes_through_links_and_gives_each_pod_a_tmpdir() {
    let Some((_root, rt)) = runtime(Sandbox::None) else {
        return;
    };
    let mount_path = format!("/tmp/argo-runtime-unsandboxed-{}", sleep_token());
    let mount = json!([{"name": "data", "mountPath": mount_path}]);
    let p = pod(json!({
        "metadata": {"name": "plain"},
        "spec": {
            "volumes": [{"name": "data", "emptyDir": {}}],
            "initContainers": [{"name": "write", "image": "alpine", "volumeMounts": mount,
                "command": ["sh", "-c", format!("echo $TMPDIR > {mount_path}/tmpdir; pwd > {mount_path}/pwd")]}],
            "containers": [{"name": "read", "image": "alpine", "volumeMounts": mount,
                "command": ["sh", "-c", format!("cat {mount_path}/tmpdir {mount_path}/pwd")]}]
        }
    }));
    rt.create(&p).await.unwrap();
    let status = wait_finished(&rt, "plain").await;
    assert_eq!(status.phase.as_deref(), Some("Succeeded"));
    let lines = log_text(&rt, "plain", "read").await;
    assert!(
        lines[0].ends_with("/scratch/tmp") && lines[1].ends_with("/scratch"),
        "{lines:?}"
    );
    assert!(
        !std::path::Path::new(&mount_path).exists(),
        "the pod's links must be removed when it ends"
    );
}

#[tokio::test]
async fn without_root_the_sandbox_probe_names_the_missing_privilege() {
    if !nix::unistd::geteuid().is_root() {
        let root = tempfile::tempdir().unwrap();
        let err = LocalRuntime::new(config(root.path(), Sandbox::Namespaces)).unwrap_err();
        assert!(err.to_string().contains("Sandbox::None"), "{err}");
        return;
    }
    let scratch = tempfile::tempdir().unwrap();
    std::fs::set_permissions(
        scratch.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o777),
    )
    .unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_argo-pod-supervisor"))
        .arg("probe")
        .arg(scratch.path().join("probe"))
        .uid(65534)
        .gid(65534)
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("not running as root"));
}

#[tokio::test]
async fn names_that_are_not_path_components_are_rejected() {
    let Some((_root, rt)) = runtime(Sandbox::None) else {
        return;
    };
    let bad_container = pod(json!({
        "metadata": {"name": "bad"},
        "spec": {"containers": [{"name": "../escape", "image": "alpine", "command": ["true"]}]}
    }));
    let err = rt.create(&bad_container).await.unwrap_err();
    assert!(
        matches!(err, argo_runtime::Error::InvalidPod { .. }),
        "{err}"
    );
    assert!(rt.inspect("..", "x").await.is_err());
    assert!(rt.create(&shell_pod(".hidden", "true")).await.is_err());
    assert!(rt.list(None).await.unwrap().is_empty());
}

/// A pod that logs `started`, waits for `<gate>/go`, then logs `finished`.
fn gated_pod(
    name: &str,
    gate: &std::path::Path,
    sandbox: Sandbox,
) -> k8s_openapi::api::core::v1::Pod {
    let gate = gate.to_string_lossy();
    let script =
        format!("echo started; while [ ! -f {gate}/go ]; do sleep 0.05; done; echo finished");
    let mut gated = shell_pod(name, &script);
    if sandbox == Sandbox::Namespaces {
        // The sandbox's /tmp is private: bring the host's gate directory in as a volume.
        let spec = gated.spec.as_mut().unwrap();
        spec.volumes = Some(vec![
            serde_json::from_value(json!({"name": "gate", "hostPath": {"path": gate}})).unwrap(),
        ]);
        spec.containers[0].volume_mounts = Some(vec![
            serde_json::from_value(json!({"name": "gate", "mountPath": gate})).unwrap(),
        ]);
    }
    gated
}

/// Run by `a_pod_survives_its_caller_being_killed` in a child process: creates a pod, reports
/// that it runs, then waits to be killed. Does nothing when run on its own.
#[tokio::test]
#[ignore = "a helper process for another test"]
async fn helper_caller_that_creates_a_pod_and_waits_to_be_killed() {
    let (Some(root), Some(gate), Some(sandbox)) = (
        std::env::var_os("ARGO_RUNTIME_TEST_ROOT"),
        std::env::var_os("ARGO_RUNTIME_TEST_GATE"),
        std::env::var_os("ARGO_RUNTIME_TEST_SANDBOX"),
    ) else {
        return;
    };
    let sandbox = if sandbox == "none" {
        Sandbox::None
    } else {
        Sandbox::Namespaces
    };
    let rt = LocalRuntime::new(config(std::path::Path::new(&root), sandbox)).unwrap();
    rt.create(&gated_pod("survivor", std::path::Path::new(&gate), sandbox))
        .await
        .unwrap();
    wait_phase(&rt, "survivor", &["Running"]).await;
    std::fs::write(std::path::Path::new(&gate).join("caller-ready"), b"").unwrap();
    loop {
        tokio::time::sleep(Duration::from_secs(60)).await;
    }
}

#[tokio::test]
async fn a_pod_survives_its_caller_being_killed_and_runs_once() {
    for (root, rt) in runtimes() {
        let sandbox = rt.config().sandbox;
        drop(rt);
        let gate = tempfile::tempdir().unwrap();
        let mut caller = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "helper_caller_that_creates_a_pod_and_waits_to_be_killed",
                "--ignored",
            ])
            .env("ARGO_RUNTIME_TEST_ROOT", root.path())
            .env("ARGO_RUNTIME_TEST_GATE", gate.path())
            .env(
                "ARGO_RUNTIME_TEST_SANDBOX",
                if sandbox == Sandbox::None {
                    "none"
                } else {
                    "namespaces"
                },
            )
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        eventually(
            Duration::from_secs(30),
            "the caller to start its pod",
            async || gate.path().join("caller-ready").exists().then_some(()),
        )
        .await;
        caller.kill().unwrap();
        caller.wait().unwrap();

        std::fs::write(gate.path().join("go"), b"").unwrap();
        let restarted = LocalRuntime::new(config(root.path(), sandbox)).unwrap();
        let status = wait_finished(&restarted, "survivor").await;
        assert_eq!(status.phase.as_deref(), Some("Succeeded"));
        assert_eq!(
            log_text(&restarted, "survivor", "main").await,
            ["started", "finished"]
        );
    }
}

fn ordered_pod(name: &str, first_exit: i32) -> k8s_openapi::api::core::v1::Pod {
    pod(json!({
        "metadata": {"name": name, "annotations": {
            "run-after.local.argoproj.io/second": "first",
            "run-after.local.argoproj.io/third": "second, first"
        }},
        "spec": {"containers": [
            {"name": "third", "image": "alpine", "command": ["sh", "-c", "echo third"]},
            {"name": "second", "image": "alpine", "command": ["sh", "-c", "echo second"]},
            {"name": "first", "image": "alpine", "command": ["sh", "-c", format!("sleep 0.2; exit {first_exit}")]}
        ]}
    }))
}

#[tokio::test]
async fn run_after_annotations_hold_containers_until_their_dependencies_succeed() {
    for (_root, rt) in runtimes() {
        rt.create(&ordered_pod("ordered", 0)).await.unwrap();
        let status = wait_finished(&rt, "ordered").await;
        assert_eq!(status.phase.as_deref(), Some("Succeeded"));
        let (first, second, third) = (
            terminated(&status, "first"),
            terminated(&status, "second"),
            terminated(&status, "third"),
        );
        assert!(first.finished_at.unwrap().0 <= second.started_at.unwrap().0);
        assert!(second.finished_at.unwrap().0 <= third.started_at.unwrap().0);
    }
}

#[tokio::test]
async fn a_failed_dependency_blocks_its_dependents_and_fails_the_pod() {
    for (_root, rt) in runtimes() {
        rt.create(&ordered_pod("blocked", 2)).await.unwrap();
        let status = wait_finished(&rt, "blocked").await;
        assert_eq!(status.phase.as_deref(), Some("Failed"));
        assert_eq!(terminated(&status, "first").exit_code, 2);
        for held in ["second", "third"] {
            let container = status
                .container_statuses
                .iter()
                .flatten()
                .find(|c| c.name == held)
                .unwrap();
            let waiting = container
                .state
                .as_ref()
                .and_then(|s| s.waiting.as_ref())
                .unwrap();
            assert_eq!(waiting.reason.as_deref(), Some("DependencyFailed"));
        }
    }
}

#[tokio::test]
async fn cyclic_run_after_annotations_are_a_config_error() {
    let Some((_root, rt)) = runtime(Sandbox::None) else {
        return;
    };
    let mut cyclic = ordered_pod("cyclic", 0);
    cyclic
        .metadata
        .annotations
        .as_mut()
        .unwrap()
        .insert("run-after.local.argoproj.io/first".into(), "third".into());
    let status = rt.create(&cyclic).await.unwrap();
    assert_eq!(status.reason.as_deref(), Some("CreateContainerConfigError"));
    assert!(status.message.unwrap().contains("cycle"));
}

#[tokio::test]
async fn a_missing_supervisor_program_is_reported_at_start() {
    let root = tempfile::tempdir().unwrap();
    let mut config = config(root.path(), Sandbox::None);
    config.supervisor_program = root.path().join("no-such-supervisor");
    let err = LocalRuntime::new(config).unwrap_err();
    assert!(err.to_string().contains("no-such-supervisor"), "{err}");
}
