//! A whole pod through the local runtime: `argoexec init`, `argoexec wait` and the main
//! container under `argoexec emissary`, rendered the way the engine renders pods, with the
//! store and the artifact repository shared through hostPath volumes. Checks the task result
//! the wait container reported and the artifact it saved.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use argo_artifact::archive::ArchiveKind;
use argo_artifact::{ArtifactRepository, LocalRepository, ObjectLocation, transfer};
use argo_core::WorkflowTaskResult;
use argo_core::k8s_openapi::api::core::v1::Pod;
use argo_runtime::{
    ImageShim, LocalRuntime, LocalRuntimeConfig, PodRuntime, Sandbox, ZygoteMode, ZygoteProgram,
};
use argo_store::ResourceKind;
use argo_store::prelude::*;
use serde_json::json;

/// The shared directory. Not `/var/run/argo`: on hosts where `/var/run` is an absolute symbolic
/// link to `/run`, the sandbox binds volumes through it onto the host's path instead of the
/// container's (an argo-runtime issue), so the containers would not share it.
const VAR_RUN: &str = "/run/argo";

const EXECUTOR_IMAGE: &str = "quay.io/argoproj/argoexec:latest";

fn supervisor() -> Option<PathBuf> {
    let argoexec = Path::new(env!("CARGO_BIN_EXE_argoexec"));
    let candidate = argoexec.parent()?.join("argo-pod-supervisor");
    candidate.exists().then_some(candidate)
}

fn runtime(root: &Path, zygote: ZygoteMode) -> Option<LocalRuntime> {
    let Some(supervisor) = supervisor() else {
        eprintln!("skipped: argo-pod-supervisor is not built (cargo build -p argo-runtime --bins)");
        return None;
    };
    let argoexec = PathBuf::from(env!("CARGO_BIN_EXE_argoexec"));
    let mut config = LocalRuntimeConfig::new(root);
    config.supervisor_program = supervisor;
    config.poll_interval = Duration::from_millis(50);
    config.zygote = zygote;
    let shim = ImageShim {
        entrypoint: vec![argoexec.to_string_lossy().into_owned()],
        programs: BTreeMap::from([
            ("argoexec".to_owned(), argoexec.clone()),
            ("/var/run/argo/argoexec".to_owned(), argoexec),
        ]),
    };
    // The runtime maps programs per image, and main runs the user's image: map the emissary
    // path for that image too (the runtime has no all-images mapping yet).
    config.images.insert("argoproj/argoexec", shim.clone());
    config.images.insert("alpine", shim);
    config.sandbox = Sandbox::Namespaces;
    match LocalRuntime::new(config.clone()) {
        Ok(runtime) => Some(runtime),
        Err(error) if Path::new("/var/run/argo").exists() => {
            eprintln!("skipped: no sandbox ({error}) and /var/run/argo exists on the host");
            None
        }
        Err(_) => {
            config.sandbox = Sandbox::None;
            Some(LocalRuntime::new(config).unwrap())
        }
    }
}

fn pod(template: &serde_json::Value, shared: &Path) -> Pod {
    let shared = shared.to_string_lossy();
    let env = |container: &str| {
        json!([
            {"name": "ARGO_CONTAINER_NAME", "value": container},
            {"name": "ARGO_POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
            {"name": "ARGO_POD_UID", "valueFrom": {"fieldRef": {"fieldPath": "metadata.uid"}}},
            {"name": "ARGO_WORKFLOW_NAME", "value": "wf"},
            {"name": "ARGO_WORKFLOW_UID", "value": "wf-uid"},
            {"name": "ARGO_TEMPLATE", "value": template.to_string()},
            {"name": "ARGO_NODE_ID", "value": "wf-1234"},
            {"name": "ARGO_INCLUDE_SCRIPT_OUTPUT", "value": "true"},
            {"name": "ARGO_DEADLINE", "value": "0001-01-01T00:00:00Z"},
            {"name": "ARGO_NAMESPACE", "value": "argo"},
            {"name": "ARGO_STORE", "value": format!("sqlite://{shared}/argo.db")},
            {"name": "ARGO_ARTIFACT_ROOT", "value": format!("{shared}/artifacts")},
            {"name": "ARGO_ARCHIVE_LOGS", "value": "true"},
            {"name": "ARGO_VAR_RUN", "value": VAR_RUN}
        ])
    };
    let mounts = json!([
        {"name": "var-run-argo", "mountPath": VAR_RUN},
        {"name": "shared", "mountPath": shared}
    ]);
    let executor = |name: &str| {
        json!({"name": name, "image": EXECUTOR_IMAGE, "command": ["argoexec"], "args": [name],
               "env": env(name), "volumeMounts": mounts})
    };
    serde_json::from_value(json!({
        "metadata": {"name": "wf-produce-1234", "namespace": "argo"},
        "spec": {
            "restartPolicy": "Never",
            "initContainers": [executor("init")],
            "containers": [
                executor("wait"),
                {"name": "main", "image": "alpine:3.20",
                 "command": ["/var/run/argo/argoexec", "emissary", "--", "sh"],
                 "args": ["/argo/staging/script"],
                 "env": env("main"),
                 "volumeMounts": [{"name": "var-run-argo", "mountPath": VAR_RUN}]}
            ],
            "volumes": [
                {"name": "var-run-argo", "emptyDir": {}},
                {"name": "shared", "hostPath": {"path": shared}}
            ]
        }
    }))
    .unwrap()
}

/// Prints every container log under the runtime root, to explain a stuck or failed pod.
fn dump_logs(root: &Path) {
    let mut pending = vec![root.to_path_buf()];
    while let Some(directory) = pending.pop() {
        for entry in std::fs::read_dir(&directory)
            .into_iter()
            .flatten()
            .flatten()
        {
            let path = entry.path();
            if path.is_dir() && !path.ends_with("merged") && !path.ends_with("upper") {
                pending.push(path);
            } else if path.file_name().is_some_and(|n| {
                let n = n.to_string_lossy();
                n.contains("log") || n == "exit.json" || n == "status.json"
            }) {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                eprintln!(
                    "== {}\n{}",
                    path.display(),
                    text.chars().take(3000).collect::<String>()
                );
            }
        }
    }
}

#[tokio::test]
async fn a_script_pod_reports_parameters_result_exit_code_and_artifacts() {
    a_script_pod_reports(ZygoteMode::Off).await;
}

/// The same pod with `argoexec` as the runtime's zygote: the emissary then runs in a fork of
/// the container's `init`, not as a program of its own.
#[tokio::test]
async fn a_script_pod_reports_the_same_with_argoexec_as_the_zygote() {
    let zygote = ZygoteMode::Program(ZygoteProgram {
        program: env!("CARGO_BIN_EXE_argoexec").into(),
        args: vec!["local-zygote".into()],
    });
    a_script_pod_reports(zygote).await;
}

async fn a_script_pod_reports(zygote: ZygoteMode) {
    let root = tempfile::tempdir().unwrap();
    let Some(runtime) = runtime(&root.path().join("runtime"), zygote) else {
        return;
    };
    let shared = root.path().join("shared");
    std::fs::create_dir_all(&shared).unwrap();
    let store_url = format!("sqlite://{}", shared.join("argo.db").display());
    let store = executor::report::open_store(Some(&store_url))
        .await
        .unwrap();

    let repository = LocalRepository::new(shared.join("artifacts"));
    let message = root.path().join("message");
    std::fs::write(&message, "message from an earlier step\n").unwrap();
    let earlier = ObjectLocation::new("argo-artifacts", "earlier/earlier-pod/message.tgz");
    transfer::save(
        &repository,
        &message,
        ArchiveKind::TarGz { level: None },
        &earlier,
    )
    .await
    .unwrap();

    let template: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/script-template.json")).unwrap();
    runtime.create(&pod(&template, &shared)).await.unwrap();

    let started = Instant::now();
    let status = loop {
        let status = runtime
            .inspect("argo", "wf-produce-1234")
            .await
            .unwrap()
            .unwrap();
        let phase = status.phase.clone().unwrap_or_default();
        if phase == "Succeeded" || phase == "Failed" {
            break status;
        }
        if started.elapsed() > Duration::from_secs(30) {
            dump_logs(root.path());
            panic!("pod still {phase}: {status:#?}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    if status.phase.as_deref() != Some("Succeeded") {
        dump_logs(root.path());
        panic!("pod failed: {status:#?}");
    }

    let kind = ResourceKind::of::<WorkflowTaskResult>();
    let reported: WorkflowTaskResult = store
        .get(&kind, Some("argo"), "wf-1234")
        .await
        .unwrap()
        .into_resource()
        .unwrap();
    let labels = reported.metadata.labels.clone().unwrap();
    assert_eq!(labels["workflows.argoproj.io/workflow"], "wf");
    assert_eq!(
        labels["workflows.argoproj.io/report-outputs-completed"],
        "true"
    );
    let outputs = reported.result.outputs.unwrap();
    let parameters: Vec<_> = outputs
        .parameters
        .iter()
        .map(|p| (p.name.as_str(), p.value.as_ref().unwrap().0.as_str()))
        .collect();
    assert_eq!(
        parameters,
        [("hello", "hello world"), ("fallback", "the default")]
    );
    assert_eq!(
        outputs.result.as_deref(),
        Some("message from an earlier step")
    );
    assert_eq!(outputs.exit_code.as_deref(), Some("0"));

    let saved: Vec<_> = outputs
        .artifacts
        .iter()
        .map(|a| (a.name.clone(), a.location.s3.clone().unwrap().key))
        .collect();
    assert_eq!(
        saved,
        [
            (
                "result-file".to_owned(),
                "wf/wf-produce-1234/result-file.tgz".to_owned()
            ),
            (
                "main-logs".to_owned(),
                "wf/wf-produce-1234/main.log".to_owned()
            ),
        ]
    );
    let artifact = argo_core::Artifact::at_path("result-file", "/x");
    let loaded = root.path().join("loaded");
    let object = ObjectLocation::new("argo-artifacts", "wf/wf-produce-1234/result-file.tgz");
    transfer::load(&repository, &artifact, &object, &loaded)
        .await
        .unwrap();
    assert_eq!(std::fs::read_to_string(&loaded).unwrap(), "produced\n");
    let log = ObjectLocation::new("argo-artifacts", "wf/wf-produce-1234/main.log");
    assert!(repository.exists(&log).await.unwrap());
    let _keep: Arc<dyn ArtifactRepository> = Arc::new(repository);
}
