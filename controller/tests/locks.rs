//! Synchronization through the real `workflow-controller` process: workflows sharing a mutex
//! run one after the other, also when the controller is killed while one of them holds it and
//! started again (the lock table is rebuilt from the workflows' status). Each workflow's step
//! writes when it starts and ends (`tests/fixtures/locks.yaml`); the intervals must not
//! overlap. Pods run unsandboxed (`--sandbox none`): what is tested is the controller.

mod support;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use argo_core::{Parameter, Workflow, WorkflowPhase};
use argo_store::{Environment, ResourceStore, SqliteConfig, SqliteStore, Typed};

fn start_controller(data: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_workflow-controller"))
        .args(["--sandbox", "none", "--workers", "4", "--data-dir"])
        .arg(data)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the controller starts")
}

fn workflow(marks: &Path) -> Workflow {
    let path = format!("{}/tests/fixtures/locks.yaml", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path).expect("fixture exists");
    let mut workflow: Workflow = serde_norway::from_str(&text).expect("fixture parses");
    workflow.spec.arguments.parameters = vec![Parameter {
        name: "dir".to_owned(),
        value: Some(marks.to_string_lossy().into_owned().into()),
        ..Parameter::default()
    }];
    workflow
}

/// The (start, end) nanoseconds each workflow's step wrote.
fn intervals(marks: &Path, names: &[String]) -> Vec<(String, u128, u128)> {
    names
        .iter()
        .map(|name| {
            let text = std::fs::read_to_string(marks.join(name)).unwrap_or_default();
            let stamps: Vec<u128> = text.lines().filter_map(|l| l.trim().parse().ok()).collect();
            assert_eq!(stamps.len(), 2, "{name} ran once, start and end: {text:?}");
            (name.clone(), stamps[0], stamps[1])
        })
        .collect()
}

async fn run(workflows: usize, restart_after: Option<Duration>) {
    support::build_pod_binaries();
    let data = tempfile::tempdir().expect("temp dir");
    let marks = data.path().join("marks");
    std::fs::create_dir_all(&marks).expect("marks dir");
    let store: Arc<dyn ResourceStore> = Arc::new(
        SqliteStore::open(
            &SqliteConfig::file(data.path().join("argo.db")),
            Environment::system(),
        )
        .await
        .expect("the store opens"),
    );
    let typed: Typed<Workflow> = Typed::new(store.clone());
    let mut controller = start_controller(data.path());
    let mut names = Vec::new();
    for _ in 0..workflows {
        let created = typed.create(&workflow(&marks)).await.expect("submitted");
        names.push(created.name().to_owned());
    }
    if let Some(after) = restart_after {
        tokio::time::sleep(after).await;
        controller.kill().expect("SIGKILL the controller");
        controller.wait().expect("reap the controller");
        controller = start_controller(data.path());
    }
    let deadline = tokio::time::Instant::now() + Duration::from_secs(90);
    loop {
        let mut open = 0;
        for name in &names {
            let current = typed.get(Some("argo"), name).await.expect("stored");
            if !current.status.phase.is_completed() {
                open += 1;
            }
        }
        if open == 0 || tokio::time::Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    controller.kill().expect("stop the controller");
    controller.wait().expect("reap the controller");

    for name in &names {
        let current = typed.get(Some("argo"), name).await.expect("stored");
        assert_eq!(
            current.status.phase,
            WorkflowPhase::Succeeded,
            "{name}: {}",
            current.status.message
        );
        assert!(
            current.status.synchronization.is_none(),
            "{name} released its lock"
        );
    }
    let mut spans = intervals(&marks, &names);
    spans.sort_by_key(|(_, start, _)| *start);
    for pair in spans.windows(2) {
        let ((a, _, a_end), (b, b_start, _)) = (&pair[0], &pair[1]);
        assert!(b_start >= a_end, "{b} started before {a} ended: {spans:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workflows_sharing_a_mutex_run_one_after_the_other() {
    run(2, None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restarted_controller_keeps_the_mutex_with_its_holder() {
    run(3, Some(Duration::from_millis(1500))).await;
}
