//! The local runtime in its sandboxed mode: ordering, exit codes, isolation of writes, volumes,
//! environment and the image shims. Skipped, with the reason printed, where namespaces are not
//! available (non-root).
#![allow(clippy::unwrap_used)]

mod harness;

use argo_runtime::{PodRuntime, Sandbox};
use harness::*;
use serde_json::json;

#[tokio::test]
async fn init_containers_run_in_order_before_the_main_container() {
    let Some((_root, rt)) = runtime(Sandbox::Namespaces) else {
        return;
    };
    let p = pod(json!({
        "metadata": {"name": "ordered"},
        "spec": {
            "volumes": [{"name": "shared", "emptyDir": {}}],
            "initContainers": [
                {"name": "first", "image": "alpine", "command": ["sh", "-c", "echo first >> /shared/order"],
                 "volumeMounts": [{"name": "shared", "mountPath": "/shared"}]},
                {"name": "second", "image": "alpine", "command": ["sh", "-c", "echo second >> /shared/order"],
                 "volumeMounts": [{"name": "shared", "mountPath": "/shared"}]}
            ],
            "containers": [
                {"name": "main", "image": "alpine", "command": ["sh", "-c", "echo main >> /shared/order; cat /shared/order"],
                 "volumeMounts": [{"name": "shared", "mountPath": "/shared"}]}
            ]
        }
    }));
    let created = rt.create(&p).await.unwrap();
    assert_eq!(created.phase.as_deref(), Some("Pending"));
    let status = wait_finished(&rt, "ordered").await;
    assert_eq!(status.phase.as_deref(), Some("Succeeded"));
    assert_eq!(
        log_text(&rt, "ordered", "main").await,
        ["first", "second", "main"]
    );
    let first = terminated(&status, "first");
    let main = terminated(&status, "main");
    assert_eq!(first.reason.as_deref(), Some("Completed"));
    assert!(first.finished_at.unwrap().0 <= main.started_at.unwrap().0);
}

#[tokio::test]
async fn a_failing_init_container_fails_the_pod_and_main_never_starts() {
    let Some((_root, rt)) = runtime(Sandbox::Namespaces) else {
        return;
    };
    let p = pod(json!({
        "metadata": {"name": "init-fails"},
        "spec": {
            "initContainers": [{"name": "init", "image": "alpine", "command": ["sh", "-c", "exit 7"]}],
            "containers": [{"name": "main", "image": "alpine", "command": ["true"]}]
        }
    }));
    rt.create(&p).await.unwrap();
    let status = wait_finished(&rt, "init-fails").await;
    assert_eq!(status.phase.as_deref(), Some("Failed"));
    assert_eq!(terminated(&status, "init").exit_code, 7);
    let main = &status.container_statuses.as_ref().unwrap()[0];
    assert!(
        main.state.as_ref().unwrap().waiting.is_some(),
        "main must not start: {main:?}"
    );
}

#[tokio::test]
async fn exit_codes_propagate_to_container_statuses_and_the_pod_phase() {
    let Some((_root, rt)) = runtime(Sandbox::Namespaces) else {
        return;
    };
    let p = pod(json!({
        "metadata": {"name": "exits"},
        "spec": {"containers": [
            {"name": "ok", "image": "alpine", "command": ["sh", "-c", "exit 0"]},
            {"name": "bad", "image": "alpine", "command": ["sh", "-c", "echo failing >&2; exit 3"]}
        ]}
    }));
    rt.create(&p).await.unwrap();
    let status = wait_finished(&rt, "exits").await;
    assert_eq!(status.phase.as_deref(), Some("Failed"));
    assert_eq!(terminated(&status, "ok").exit_code, 0);
    let bad = terminated(&status, "bad");
    assert_eq!((bad.exit_code, bad.reason.as_deref()), (3, Some("Error")));
    assert_eq!(log_text(&rt, "exits", "bad").await, ["failing"]);
}

#[tokio::test]
async fn a_missing_command_is_a_start_error() {
    let Some((_root, rt)) = runtime(Sandbox::Namespaces) else {
        return;
    };
    let p = pod(json!({
        "metadata": {"name": "no-such-command"},
        "spec": {"containers": [{"name": "main", "image": "alpine", "command": ["definitely-not-a-command-here"]}]}
    }));
    rt.create(&p).await.unwrap();
    let status = wait_finished(&rt, "no-such-command").await;
    let main = terminated(&status, "main");
    assert_eq!(
        (main.exit_code, main.reason.as_deref()),
        (128, Some("StartError"))
    );
    assert!(main.message.unwrap().contains("executable file not found"));
}

#[tokio::test]
async fn pods_do_not_see_each_others_writes_and_the_host_sees_none() {
    let Some((_root, rt)) = runtime(Sandbox::Namespaces) else {
        return;
    };
    let marker = format!("/mnt/out/argo-runtime-test-{}", std::process::id());
    assert!(!std::path::Path::new(&marker).exists());
    let script = |who: &str| {
        format!(
            "test ! -e /tmp/x || exit 10; test ! -e {marker} || exit 11; \
             echo {who} > /tmp/x; mkdir -p /mnt/out; echo {who} > {marker}; cat /tmp/x {marker}"
        )
    };
    rt.create(&shell_pod("writer-a", &script("a")))
        .await
        .unwrap();
    let a = wait_finished(&rt, "writer-a").await;
    rt.create(&shell_pod("writer-b", &script("b")))
        .await
        .unwrap();
    let b = wait_finished(&rt, "writer-b").await;
    assert_eq!(terminated(&a, "main").exit_code, 0);
    assert_eq!(
        terminated(&b, "main").exit_code,
        0,
        "pod b saw pod a's files"
    );
    assert_eq!(log_text(&rt, "writer-b", "main").await, ["b", "b"]);
    assert!(
        !std::path::Path::new(&marker).exists(),
        "the host sees a pod's write"
    );
    let kept = rt
        .container_writes(NS, "writer-a", "main")
        .join(marker.trim_start_matches('/'));
    assert_eq!(std::fs::read_to_string(kept).unwrap(), "a\n");
}

#[tokio::test]
async fn an_empty_dir_is_shared_by_the_containers_of_a_pod() {
    let Some((_root, rt)) = runtime(Sandbox::Namespaces) else {
        return;
    };
    let mount = json!([{"name": "data", "mountPath": "/mnt/data"}]);
    let p = pod(json!({
        "metadata": {"name": "sharing"},
        "spec": {
            "volumes": [{"name": "data", "emptyDir": {}}],
            "containers": [
                {"name": "writer", "image": "alpine", "volumeMounts": mount,
                 "command": ["sh", "-c", "echo shared-hello > /mnt/data/msg.tmp && mv /mnt/data/msg.tmp /mnt/data/msg"]},
                {"name": "reader", "image": "alpine", "volumeMounts": mount,
                 "command": ["sh", "-c", "i=0; while [ ! -f /mnt/data/msg ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done; cat /mnt/data/msg"]}
            ]
        }
    }));
    rt.create(&p).await.unwrap();
    let status = wait_finished(&rt, "sharing").await;
    assert_eq!(status.phase.as_deref(), Some("Succeeded"));
    assert_eq!(log_text(&rt, "sharing", "reader").await, ["shared-hello"]);
    assert!(rt.volume_dir(NS, "sharing", "data").join("msg").exists());
}

#[tokio::test]
async fn a_mount_path_under_a_host_symlink_is_bound_inside_the_container() {
    let Some((_root, rt)) = runtime(Sandbox::Namespaces) else {
        return;
    };
    // On most hosts `/var/run` links to `/run`: the volume must appear where the container
    // looks, and nothing may be created on the host.
    let dir = "/var/run/argo-runtime-link-test";
    let mount = json!([{"name": "data", "mountPath": dir}]);
    let p = pod(json!({
        "metadata": {"name": "linked"},
        "spec": {
            "volumes": [{"name": "data", "emptyDir": {}}],
            "containers": [
                {"name": "main", "image": "alpine", "volumeMounts": mount,
                 "command": ["sh", "-c", format!("echo through-the-link > {dir}/msg")]}
            ]
        }
    }));
    rt.create(&p).await.unwrap();
    let status = wait_finished(&rt, "linked").await;
    assert_eq!(status.phase.as_deref(), Some("Succeeded"));
    let written = rt.volume_dir(NS, "linked", "data").join("msg");
    assert_eq!(
        std::fs::read_to_string(written).unwrap(),
        "through-the-link\n"
    );
    assert!(
        !std::path::Path::new(dir).exists(),
        "the mount path leaked onto the host"
    );
}

#[tokio::test]
async fn env_values_field_refs_and_dollar_references_are_expanded() {
    let Some((_root, rt)) = runtime(Sandbox::Namespaces) else {
        return;
    };
    let p = pod(json!({
        "metadata": {"name": "env", "annotations": {"note": "from-annotation"}},
        "spec": {"containers": [{
            "name": "main", "image": "alpine",
            "env": [
                {"name": "A", "value": "1"},
                {"name": "B", "value": "$(A)-two"},
                {"name": "POD", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
                {"name": "NOTE", "valueFrom": {"fieldRef": {"fieldPath": "metadata.annotations['note']"}}},
                {"name": "IP", "valueFrom": {"fieldRef": {"fieldPath": "status.podIP"}}}
            ],
            "command": ["sh", "-c", "echo \"$B|$POD|$NOTE|$IP|$1|$(hostname)\"", "sh"],
            "args": ["$(A)-$$(A)-$(UNDEFINED)"]
        }]}
    }));
    rt.create(&p).await.unwrap();
    wait_finished(&rt, "env").await;
    assert_eq!(
        log_text(&rt, "env", "main").await,
        ["1-two|env|from-annotation|127.0.0.1|1-$(A)-$(UNDEFINED)|env"]
    );
}

#[tokio::test]
async fn the_working_dir_is_created_inside_the_sandbox_only() {
    let Some((_root, rt)) = runtime(Sandbox::Namespaces) else {
        return;
    };
    let dir = format!("/var/lib/argo-runtime-test-{}/sub", std::process::id());
    let p = pod(json!({
        "metadata": {"name": "workdir"},
        "spec": {"containers": [{"name": "main", "image": "alpine", "workingDir": dir, "command": ["pwd"]}]}
    }));
    rt.create(&p).await.unwrap();
    wait_finished(&rt, "workdir").await;
    assert_eq!(log_text(&rt, "workdir", "main").await, vec![dir.clone()]);
    assert!(!std::path::Path::new(&dir).exists());
}

#[tokio::test]
async fn python_runs_with_python3_when_python_is_absent() {
    let Some((_root, rt)) = runtime(Sandbox::Namespaces) else {
        return;
    };
    let path = "/usr/bin:/bin";
    if path
        .split(':')
        .any(|d| std::path::Path::new(d).join("python").exists())
        || !path
            .split(':')
            .any(|d| std::path::Path::new(d).join("python3").exists())
    {
        eprintln!("skipped: needs python3 but no python in {path}");
        return;
    }
    let p = pod(json!({
        "metadata": {"name": "python"},
        "spec": {"containers": [{
            "name": "main", "image": "python:alpine3.6", "env": [{"name": "PATH", "value": path}],
            "command": ["python", "-c", "import sys; print('python', sys.version_info[0])"]
        }]}
    }));
    rt.create(&p).await.unwrap();
    let status = wait_finished(&rt, "python").await;
    assert_eq!(status.phase.as_deref(), Some("Succeeded"));
    assert_eq!(log_text(&rt, "python", "main").await, ["python 3"]);
}

#[tokio::test]
async fn argosay_image_commands_are_provided_by_the_project() {
    let Some((_root, rt)) = runtime(Sandbox::Namespaces) else {
        return;
    };
    let mount = json!([{"name": "out", "mountPath": "/mnt/out"}]);
    let p = pod(json!({
        "metadata": {"name": "argosay"},
        "spec": {
            "volumes": [{"name": "out", "emptyDir": {}}],
            "initContainers": [
                {"name": "hello", "image": "argoproj/argosay:v2"},
                {"name": "save", "image": "argoproj/argosay:v2", "args": ["echo", "saved text", "/mnt/out/file"], "volumeMounts": mount}
            ],
            "containers": [
                {"name": "check", "image": "argoproj/argosay:v2", "command": ["/argosay"],
                 "args": ["assert_contains", "/mnt/out/file", "saved"], "volumeMounts": mount},
                {"name": "exit", "image": "docker.io/argoproj/argosay:v2", "args": ["exit", "4"]}
            ]
        }
    }));
    rt.create(&p).await.unwrap();
    let status = wait_finished(&rt, "argosay").await;
    assert_eq!(log_text(&rt, "argosay", "hello").await, ["hello argo"]);
    assert_eq!(log_text(&rt, "argosay", "check").await, ["saved text"]);
    assert_eq!(terminated(&status, "check").exit_code, 0);
    assert_eq!(terminated(&status, "exit").exit_code, 4);
}

#[tokio::test]
async fn a_config_error_fails_the_pod_without_running_it() {
    let Some((_root, rt)) = runtime(Sandbox::Namespaces) else {
        return;
    };
    let p = pod(json!({
        "metadata": {"name": "config-error"},
        "spec": {"containers": [{
            "name": "main", "image": "alpine", "command": ["true"],
            "env": [{"name": "X", "valueFrom": {"configMapKeyRef": {"name": "missing", "key": "k"}}}]
        }]}
    }));
    let status = rt.create(&p).await.unwrap();
    assert_eq!(status.phase.as_deref(), Some("Failed"));
    assert_eq!(status.reason.as_deref(), Some("CreateContainerConfigError"));
    assert!(status.message.unwrap().contains("configmap \"missing\""));
}

#[tokio::test]
async fn many_pods_run_side_by_side() {
    let Some((_root, rt)) = runtime(Sandbox::Namespaces) else {
        return;
    };
    let names: Vec<String> = (0..12).map(|i| format!("many-{i}")).collect();
    for name in &names {
        let script = format!(
            "echo {name} > /tmp/me; mkdir -p /work/out; cp /tmp/me /work/out/me; cat /work/out/me"
        );
        rt.create(&shell_pod(name, &script)).await.unwrap();
    }
    for name in &names {
        let status = wait_finished(&rt, name).await;
        assert_eq!(
            status.phase.as_deref(),
            Some("Succeeded"),
            "{name}: {status:?}"
        );
        assert_eq!(log_text(&rt, name, "main").await, vec![name.clone()]);
    }
}

#[tokio::test]
async fn what_a_command_leaves_running_dies_before_its_end_is_reported() {
    let Some((_root, rt)) = runtime(Sandbox::Namespaces) else {
        return;
    };
    let token = sleep_token();
    // The leftover would print a second after the command ended, were it still alive.
    let script = format!("(sleep 1; echo late) & sleep {token} & echo left");
    rt.create(&shell_pod("leaver", &script)).await.unwrap();
    let status = wait_finished(&rt, "leaver").await;
    assert_eq!(status.phase.as_deref(), Some("Succeeded"));
    assert_eq!(log_text(&rt, "leaver", "main").await, ["left"]);
    assert!(
        !process_with_token_exists(&token),
        "the background sleep outlived its container"
    );
}

#[tokio::test]
async fn a_command_starts_with_no_signal_blocked_and_its_output_is_read_to_the_end() {
    let Some((_root, rt)) = runtime(Sandbox::Namespaces) else {
        return;
    };
    // `init` blocks SIGCHLD for itself to wait on its children and output in one loop; the
    // command must not inherit that. Its last line has no newline and must still be logged.
    let script = "grep SigBlk /proc/self/status; printf 'no newline'";
    rt.create(&shell_pod("unblocked", script)).await.unwrap();
    let status = wait_finished(&rt, "unblocked").await;
    assert_eq!(status.phase.as_deref(), Some("Succeeded"), "{status:?}");
    assert_eq!(
        log_text(&rt, "unblocked", "main").await,
        ["SigBlk:\t0000000000000000", "no newline"]
    );
}
