//! Shared-examples conformance: every Workflow of host class H and H+ in
//! `../shared/argo-examples/EXPECTED.tsv` (or `$ARGO_EXAMPLES`) runs to completion on the
//! embedded store and local runtime, after every WorkflowTemplate, ClusterWorkflowTemplate and
//! ConfigMap of the examples is applied, and ends in the expected phase.
//! Slow (it runs real pods), so it is ignored by default:
//! `cargo build -p executor -p argo-runtime && cargo nextest run -p controller --run-ignored all conformance`.
//! Skips with a message when the examples are absent.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use argo_core::k8s_openapi::api::core::v1::ConfigMap;
use argo_core::{ClusterWorkflowTemplate, Workflow, WorkflowTemplate};
use argo_store::Typed;
use controller::{Controller, ControllerConfig, EmbeddedOptions, LoopSettings};

fn examples_dir() -> PathBuf {
    std::env::var_os("ARGO_EXAMPLES").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/argo-examples"),
        PathBuf::from,
    )
}

fn documents(text: &str) -> Vec<serde_json::Value> {
    serde_norway::Deserializer::from_str(text)
        .filter_map(|d| serde::Deserialize::deserialize(d).ok())
        .filter(|v: &serde_json::Value| !v.is_null())
        .collect()
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "runs every H/H+ example as real local pods; minutes"]
async fn every_host_class_example_ends_in_its_expected_phase() {
    let dir = examples_dir();
    let Ok(table) = std::fs::read_to_string(dir.join("EXPECTED.tsv")) else {
        eprintln!(
            "skipping: no examples at {} (set ARGO_EXAMPLES)",
            dir.display()
        );
        return;
    };
    let data = tempfile::tempdir().expect("temp dir");
    let embedded = controller::embedded::open(&EmbeddedOptions {
        data_dir: data.path().to_path_buf(),
        sandbox: argo_runtime::Sandbox::Namespaces,
        argoexec: None,
    })
    .await
    .expect("embedded store and runtime");
    let store = embedded.cluster.store.clone();
    let mut files = Vec::new();
    yaml_files(&dir, &mut files);
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        for mut value in documents(&text) {
            let kind = value["kind"].as_str().unwrap_or("").to_owned();
            if kind != "ClusterWorkflowTemplate" && value["metadata"]["namespace"].is_null() {
                value["metadata"]["namespace"] = "argo".into();
            }
            let result = match kind.as_str() {
                "WorkflowTemplate" => match serde_json::from_value::<WorkflowTemplate>(value) {
                    Ok(t) => Typed::<WorkflowTemplate>::new(store.clone())
                        .create(&t)
                        .await
                        .map(|_| ()),
                    Err(_) => Ok(()),
                },
                "ClusterWorkflowTemplate" => {
                    match serde_json::from_value::<ClusterWorkflowTemplate>(value) {
                        Ok(t) => Typed::<ClusterWorkflowTemplate>::new(store.clone())
                            .create(&t)
                            .await
                            .map(|_| ()),
                        Err(_) => Ok(()),
                    }
                }
                "ConfigMap" => match serde_json::from_value::<ConfigMap>(value) {
                    Ok(t) => Typed::<ConfigMap>::new(store.clone())
                        .create(&t)
                        .await
                        .map(|_| ()),
                    Err(_) => Ok(()),
                },
                _ => Ok(()),
            };
            if let Err(error) = result {
                eprintln!("applying {}: {error}", file.display());
            }
        }
    }
    let controller = Arc::new(
        Controller::new(
            embedded.cluster.clone(),
            ControllerConfig::default(),
            LoopSettings {
                workers: 4,
                resync: Duration::from_millis(500),
                namespace: None,
            },
        )
        .with_pod_rewriter(Arc::new(embedded.pods.clone())),
    );
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(controller.clone().run(async {
        let _ = stopped.await;
    }));

    let mut submitted = Vec::new();
    for row in table.lines().skip(1) {
        let cells: Vec<&str> = row.split('\t').collect();
        let [file, kind_name, class, _needs, expected, ..] = cells[..] else {
            continue;
        };
        if !(class == "H" || class == "H+") || !kind_name.starts_with("Workflow ") {
            continue;
        }
        let expected_phase = expected.split_whitespace().next().unwrap_or("").to_owned();
        let text = std::fs::read_to_string(dir.join(file)).unwrap_or_default();
        let Some(value) = documents(&text)
            .into_iter()
            .find(|v| v["kind"] == "Workflow")
        else {
            continue;
        };
        let mut workflow: Workflow = match serde_json::from_value(value) {
            Ok(w) => w,
            Err(error) => {
                submitted.push((
                    file.to_owned(),
                    class.to_owned(),
                    expected_phase,
                    Err(error.to_string()),
                ));
                continue;
            }
        };
        workflow.metadata.namespace = Some("argo".to_owned());
        let created = embedded.cluster.workflows().create(&workflow).await;
        submitted.push((
            file.to_owned(),
            class.to_owned(),
            expected_phase,
            created
                .map(|w| w.name().to_owned())
                .map_err(|e| e.to_string()),
        ));
    }

    // Below nextest's slow-timeout so the tally is always printed; unfinished ones count as failed.
    let budget = std::env::var("ARGO_CONFORMANCE_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(240);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(budget);
    let mut outcomes: BTreeMap<String, (String, String, String)> = BTreeMap::new();
    loop {
        outcomes.clear();
        let mut pending = 0;
        for (file, class, expected, created) in &submitted {
            let actual = match created {
                Err(error) => format!("not submitted: {error}"),
                Ok(name) => match embedded.cluster.workflows().get(Some("argo"), name).await {
                    Ok(w) if w.status.phase.is_completed() => w.status.phase.to_string(),
                    Ok(_) => {
                        pending += 1;
                        "unfinished".to_owned()
                    }
                    Err(error) => format!("gone: {error}"),
                },
            };
            outcomes.insert(file.clone(), (class.clone(), expected.clone(), actual));
        }
        if pending == 0 || tokio::time::Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    let _ = stop.send(());
    let _ = running.await;

    let mut passed: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (file, (class, expected, actual)) in &outcomes {
        let tally = passed.entry(class.clone()).or_default();
        tally.1 += 1;
        if expected == actual {
            tally.0 += 1;
        } else {
            println!("FAIL {class} {file}: expected {expected}, got {actual}");
        }
    }
    for (class, (ok, total)) in &passed {
        println!("class {class}: {ok}/{total} passed");
    }
    let failures: usize = passed.values().map(|(ok, total)| total - ok).sum();
    assert_eq!(failures, 0, "see the FAIL lines above");
}
