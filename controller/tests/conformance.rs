//! Shared-examples conformance: every Workflow of host class H and H+ in
//! `../shared/argo-examples/EXPECTED.tsv` (or `$ARGO_EXAMPLES`) runs on the embedded store and
//! the sandboxed local runtime, after every WorkflowTemplate, ClusterWorkflowTemplate and
//! ConfigMap of the examples is applied, and must end as EXPECTED.tsv says:
//! - a phase (`Succeeded`, `Failed`, ...): that final phase;
//! - a random outcome (`random: ...`, `≈99%`): any final phase;
//! - `Running/suspended until resume`: Running, with a suspend node waiting;
//! - a workflow with a `ttlStrategy`: its expected phase, then deleted by the TTL.
//!
//! The examples of [`KNOWN_FAILURES`] may miss (each with its reason); any other miss fails.
//!
//! Builds `argoexec` and the pod supervisor first (`cargo build -p executor -p argo-runtime`).
//! Skips, with a message, when the examples are absent. Runs in CI (a few minutes); the time
//! budget (`ARGO_CONFORMANCE_SECONDS`, default 480, counted after the build, which is a no-op
//! in CI where the workspace's test build made the binaries) stays under nextest's timeout for
//! it (600 s, `.config/nextest.toml`; synchronization-mutex-tmpl-level alone serializes five 50 s steps under one mutex), so the tally is always printed; unfinished workflows
//! count as failed.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use argo_core::k8s_openapi::api::core::v1::ConfigMap;
use argo_core::{ClusterWorkflowTemplate, NodePhase, NodeType, Workflow, WorkflowTemplate};
use argo_store::{ResourceStore, ResourceWriter as _, Typed};
use controller::{Controller, ControllerConfig, EmbeddedOptions, LoopSettings};

/// Examples known not to pass yet, with why (and whose work it is). The test fails on any
/// other miss; a listed example that passes is reported so the list can shrink.
const KNOWN_FAILURES: &[(&str, &str)] = &[
    (
        "synchronization-db-tmpl-level.yaml",
        "environment now supplied by apply_environment (SyncLimit argo/template); listed until a full CI run has shown it passing",
    ),
    (
        "synchronization-db-wf-level.yaml",
        "environment now supplied by apply_environment (SyncLimit argo/workflow); listed until a full CI run has shown it passing",
    ),
    (
        "synchronization-tmpl-level.yaml",
        "environment now supplied by apply_environment (ConfigMap my-config); listed until a full CI run has shown it passing",
    ),
    (
        "dag-inline-workflow.yaml",
        "passed in the last full run; kept while a wait-container hang seen once under load is unexplained",
    ),
    (
        "expression-tag-template-workflow.yaml",
        "passed in the last full run; kept while a wait-container hang seen once under load is unexplained",
    ),
    (
        "intermediate-parameters.yaml",
        "passed in the last full run; kept while a wait-container hang seen once under load is unexplained",
    ),
];

fn known_failure(file: &str) -> Option<&'static str> {
    KNOWN_FAILURES
        .iter()
        .find(|(known, _)| *known == file)
        .map(|(_, why)| *why)
}

/// What EXPECTED.tsv's last column asks of one example.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Expected {
    Phase(String),
    AnyFinalPhase,
    Suspended,
}

impl Expected {
    fn parse(text: &str) -> Self {
        if text.starts_with("random:") || text.contains('≈') {
            Expected::AnyFinalPhase
        } else if text.starts_with("Running/suspended") {
            Expected::Suspended
        } else {
            Expected::Phase(text.split_whitespace().next().unwrap_or("").to_owned())
        }
    }

    /// Whether a workflow that ended in `phase` meets the expectation.
    fn judge(&self, phase: &str) -> Result<(), String> {
        match self {
            Expected::Phase(expected) if expected == phase => Ok(()),
            Expected::AnyFinalPhase => Ok(()),
            _ => Err(format!("ended {phase}")),
        }
    }

    fn label(&self, ttl: bool) -> String {
        let base = match self {
            Expected::Phase(phase) => phase.clone(),
            Expected::AnyFinalPhase => "any final phase (random outcome)".to_owned(),
            Expected::Suspended => "Running and suspended".to_owned(),
        };
        if ttl {
            format!("{base}, then deleted by TTL")
        } else {
            base
        }
    }
}

/// One submitted example and what has been seen of it.
struct Case {
    file: String,
    class: String,
    expected: Expected,
    ttl: bool,
    name: Result<String, String>,
    /// The final phase once seen (a TTL may delete the workflow afterwards).
    finished: Option<String>,
    verdict: Option<Result<(), String>>,
}

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

async fn create<T>(store: &Arc<dyn ResourceStore>, value: serde_json::Value) -> Result<(), String>
where
    T: argo_core::k8s_openapi::Resource
        + argo_core::k8s_openapi::Metadata<
            Ty = argo_core::k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta,
        > + serde::Serialize
        + serde::de::DeserializeOwned,
    T::Scope: argo_store::ScopeOf,
{
    let resource: T = serde_json::from_value(value).map_err(|e| e.to_string())?;
    Typed::<T>::new(store.clone())
        .create(&resource)
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Applies every template and ConfigMap found under `dir`.
async fn apply_support_documents(store: &Arc<dyn ResourceStore>, dir: &Path) {
    let mut files = Vec::new();
    yaml_files(dir, &mut files);
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        for mut value in documents(&text) {
            let kind = value["kind"].as_str().unwrap_or("").to_owned();
            if kind != "ClusterWorkflowTemplate" && value["metadata"]["namespace"].is_null() {
                value["metadata"]["namespace"] = "argo".into();
            }
            let result = match kind.as_str() {
                "WorkflowTemplate" => create::<WorkflowTemplate>(store, value).await,
                "ClusterWorkflowTemplate" => create::<ClusterWorkflowTemplate>(store, value).await,
                "ConfigMap" => create::<ConfigMap>(store, value).await,
                _ => Ok(()),
            };
            if let Err(error) = result {
                eprintln!("applying {}: {error}", file.display());
            }
        }
    }
}

/// The environment that EXPECTED.tsv's "needs env" rows ask for, as the examples' own comments
/// describe it: the semaphore ConfigMap `my-config` (`template: "3"`) and the database semaphore
/// limits `<namespace>/workflow` and `<namespace>/template` (2 each; Argo keeps them in its sync
/// database, we keep them as SyncLimit objects, as svc-sync does).
async fn apply_environment(store: &Arc<dyn ResourceStore>) {
    let config_map = serde_json::json!({
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "my-config", "namespace": "argo"},
        "data": {"template": "3"},
    });
    if let Err(error) = create::<ConfigMap>(store, config_map).await {
        panic!("applying the ConfigMap my-config: {error}");
    }
    let kind = argo_store::ResourceKind::new(
        "argors.io/v1alpha1",
        "SyncLimit",
        argo_store::Scope::Namespaced,
    );
    for name in ["workflow", "template"] {
        let mut limit = argo_store::Object::new(&kind, Some("argo"), name);
        limit
            .fields
            .insert("spec".to_owned(), serde_json::json!({"limit": 2}));
        if let Err(error) = store.create(&kind, limit).await {
            panic!("applying the SyncLimit argo/{name}: {error}");
        }
    }
}

/// Submits every H and H+ Workflow of the table.
async fn submit_examples(cluster: &controller::Cluster, dir: &Path, table: &str) -> Vec<Case> {
    let mut cases = Vec::new();
    for row in table.lines().skip(1) {
        let cells: Vec<&str> = row.split('\t').collect();
        let [file, kind_name, class, _needs, expected, ..] = cells[..] else {
            continue;
        };
        if !(class == "H" || class == "H+") || !kind_name.starts_with("Workflow ") {
            continue;
        }
        let text = std::fs::read_to_string(dir.join(file)).unwrap_or_default();
        let Some(value) = named_workflow(documents(&text), kind_name) else {
            continue;
        };
        let mut case = Case {
            file: file.to_owned(),
            class: class.to_owned(),
            expected: Expected::parse(expected),
            ttl: false,
            name: Err(String::new()),
            finished: None,
            verdict: None,
        };
        case.name = match serde_json::from_value::<Workflow>(value) {
            Ok(mut workflow) => {
                case.ttl = workflow.spec.ttl_strategy.is_some();
                workflow.metadata.namespace = Some("argo".to_owned());
                match cluster.workflows().create(&workflow).await {
                    Ok(created) => Ok(created.name().to_owned()),
                    Err(error) => Err(format!("not submitted: {error}")),
                }
            }
            Err(error) => Err(format!("not parsed: {error}")),
        };
        if let Err(error) = &case.name {
            case.verdict = Some(Err(error.clone()));
        }
        cases.push(case);
    }
    cases
}

/// The Workflow document a table row names (`Workflow `name`` or `Workflow `prefix-*``): a
/// file may hold several Workflows, each with its own row.
fn named_workflow(documents: Vec<serde_json::Value>, kind_name: &str) -> Option<serde_json::Value> {
    let wanted = kind_name.trim_start_matches("Workflow ").trim_matches('`');
    let matches = |v: &serde_json::Value| match wanted.strip_suffix('*') {
        Some(prefix) => v["metadata"]["generateName"] == prefix,
        None => v["metadata"]["name"] == wanted,
    };
    let workflows: Vec<serde_json::Value> = documents
        .into_iter()
        .filter(|v| v["kind"] == "Workflow")
        .collect();
    match workflows.iter().position(matches) {
        Some(index) => workflows.into_iter().nth(index),
        None => workflows.into_iter().next(),
    }
}

fn waiting_on_a_suspend_node(workflow: &Workflow) -> bool {
    workflow
        .status
        .nodes
        .values()
        .any(|n| n.node_type == NodeType::Suspend && n.phase == NodePhase::Running)
}

/// Looks at one undecided case again; sets its verdict once it is decided.
async fn observe(cluster: &controller::Cluster, case: &mut Case) {
    let Ok(name) = &case.name else {
        return;
    };
    match cluster.workflows().get(Some("argo"), name).await {
        Ok(workflow) if workflow.status.phase.is_completed() => {
            let phase = workflow.status.phase.to_string();
            if !case.ttl {
                case.verdict = Some(case.expected.judge(&phase));
            } else if let Err(error) = case.expected.judge(&phase) {
                case.verdict = Some(Err(error));
            }
            case.finished = Some(phase);
        }
        Ok(workflow) => {
            if case.expected == Expected::Suspended && waiting_on_a_suspend_node(&workflow) {
                case.verdict = Some(Ok(()));
            }
        }
        Err(argo_store::Error::NotFound { .. }) if case.ttl && case.finished.is_some() => {
            case.verdict = Some(Ok(()));
        }
        Err(error) => case.verdict = Some(Err(format!("gone before finishing: {error}"))),
    }
}

/// Runs every example; returns the cases with their verdicts.
async fn run_examples(dir: &Path, table: &str, budget: u64) -> Vec<Case> {
    let started = tokio::time::Instant::now();
    let data = tempfile::tempdir().expect("temp dir");
    let embedded = controller::embedded::open(&EmbeddedOptions {
        data_dir: data.path().to_path_buf(),
        sandbox: argo_runtime::Sandbox::Namespaces,
        argoexec: None,
    })
    .await
    .expect("embedded store and runtime");
    apply_support_documents(&embedded.cluster.store, dir).await;
    apply_environment(&embedded.cluster.store).await;
    let controller = Arc::new(
        Controller::new(
            embedded.cluster.clone(),
            ControllerConfig::default(),
            LoopSettings {
                workers: 4,
                resync: Duration::from_millis(500),
                namespace: None,
                ..LoopSettings::default()
            },
        )
        .with_pod_rewriter(Arc::new(embedded.pods.clone())),
    );
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(controller.clone().run(async {
        let _ = stopped.await;
    }));
    let mut cases = submit_examples(&embedded.cluster, dir, table).await;

    let deadline = started + Duration::from_secs(budget);
    while cases.iter().any(|c| c.verdict.is_none()) && tokio::time::Instant::now() < deadline {
        for case in cases.iter_mut().filter(|c| c.verdict.is_none()) {
            observe(&embedded.cluster, case).await;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let _ = stop.send(());
    let _ = tokio::time::timeout(Duration::from_secs(10), running).await;
    // Pods of unfinished examples must not outlive the test.
    let runtime = &embedded.cluster.runtime;
    for pod in runtime.list(None).await.unwrap_or_default() {
        let _ = runtime
            .delete(&pod.namespace, &pod.name, Duration::ZERO)
            .await;
    }
    cases
}

#[test]
fn every_host_class_example_ends_in_its_expected_phase() {
    let dir = examples_dir();
    let Ok(table) = std::fs::read_to_string(dir.join("EXPECTED.tsv")) else {
        eprintln!(
            "skipping: no examples at {} (set ARGO_EXAMPLES)",
            dir.display()
        );
        return;
    };
    support::build_pod_binaries();
    let budget = std::env::var("ARGO_CONFORMANCE_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(480);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let cases = runtime.block_on(run_examples(&dir, &table, budget));
    // Pods of unfinished examples may still hold blocking tasks: never wait for them.
    runtime.shutdown_timeout(Duration::from_secs(5));

    let mut tally: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut unexpected = Vec::new();
    for case in &cases {
        let entry = tally.entry(case.class.clone()).or_default();
        entry.1 += 1;
        let known = known_failure(&case.file);
        match (&case.verdict, known) {
            (Some(Ok(())), None) => entry.0 += 1,
            (Some(Ok(())), Some(_)) => {
                entry.0 += 1;
                println!("NOW PASSES (remove from KNOWN_FAILURES) {}", case.file);
            }
            (failure, known) => {
                let got = match failure {
                    Some(Err(error)) => error.clone(),
                    _ => format!("unfinished after {budget} s"),
                };
                let line = format!(
                    "{} {}: expected {}, {got}",
                    case.class,
                    case.file,
                    case.expected.label(case.ttl)
                );
                match known {
                    Some(why) => println!("KNOWN {line} ({why})"),
                    None => {
                        println!("FAIL {line}");
                        unexpected.push(line);
                    }
                }
            }
        }
    }
    for (class, (ok, total)) in &tally {
        println!("class {class}: {ok}/{total} passed");
    }
    assert!(
        unexpected.is_empty(),
        "examples failed that are not in KNOWN_FAILURES:\n{}",
        unexpected.join("\n")
    );
}

#[test]
fn expectations_are_read_from_the_table_wording() {
    assert_eq!(
        Expected::parse("Succeeded (needs env) · no-test:environment"),
        Expected::Phase("Succeeded".to_owned())
    );
    assert_eq!(
        Expected::parse("random: Succeeded ≈70%, else Failed"),
        Expected::AnyFinalPhase
    );
    assert_eq!(
        Expected::parse("Succeeded ≈99% (limit 10, random)"),
        Expected::AnyFinalPhase
    );
    assert_eq!(
        Expected::parse("Running/suspended until resume → Succeeded"),
        Expected::Suspended
    );
    assert_eq!(
        Expected::parse("Succeeded (random branch)"),
        Expected::Phase("Succeeded".to_owned())
    );
}

#[test]
fn a_row_picks_the_workflow_it_names_among_several() {
    let docs = documents(
        "kind: Workflow\nmetadata: {name: first}\n---\nkind: Workflow\nmetadata: {name: second}\n---\nkind: Workflow\nmetadata: {generateName: third-}\n",
    );
    let name =
        |kind_name: &str| named_workflow(docs.clone(), kind_name).map(|v| v["metadata"].clone());
    assert_eq!(name("Workflow `second`").expect("found")["name"], "second");
    assert_eq!(
        name("Workflow `third-*`").expect("found")["generateName"],
        "third-"
    );
}
