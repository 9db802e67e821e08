//! Crash safety of the real `workflow-controller` process: it is killed with SIGKILL at random
//! (seeded) moments while many workflows run, and started again each time on the same data
//! directory. Every workflow must still end in its expected phase, and every pod must have run
//! exactly once: each step appends a line to its own file (`tests/fixtures/crash.yaml`), and
//! every file must hold exactly one line.
//!
//! `ARGO_CRASH_WORKFLOWS` and `ARGO_CRASH_KILLS` (default 20 and 20) and `ARGO_CRASH_SEED`
//! change the run. Pods run unsandboxed (`--sandbox none`): what is tested is the controller.

mod support;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use argo_core::{Parameter, Workflow, WorkflowPhase};
use argo_store::{Environment, ResourceStore, SqliteConfig, SqliteStore, Typed};

/// Steps of the fixture, each a pod that appends to `<dir>/<workflow>-<step>`.
const STEPS: [&str; 4] = ["one", "two", "three", "four"];

/// xorshift64*: enough randomness for kill moments, reproducible from the seed.
struct Moments(u64);

impl Moments {
    fn next_millis(&mut self, below: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % below
    }
}

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn start_controller(data: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_workflow-controller"))
        .args(["--sandbox", "none", "--workers", "4", "--data-dir"])
        .arg(data)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the controller starts")
}

fn workflow(marks: &Path, code: u8) -> Workflow {
    let path = format!("{}/tests/fixtures/crash.yaml", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path).expect("fixture exists");
    let mut workflow: Workflow = serde_norway::from_str(&text).expect("fixture parses");
    let parameters = &mut workflow.spec.arguments.parameters;
    parameters.retain(|p| p.name != "dir" && p.name != "code");
    for (name, value) in [
        ("dir", marks.to_string_lossy().into_owned()),
        ("code", code.to_string()),
    ] {
        parameters.push(Parameter {
            name: name.to_owned(),
            value: Some(value.into()),
            ..Parameter::default()
        });
    }
    workflow
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_the_controller_anywhere_loses_no_step_and_runs_none_twice() {
    support::build_pod_binaries();
    let workflows = setting("ARGO_CRASH_WORKFLOWS", 20);
    let kills = setting("ARGO_CRASH_KILLS", 20);
    let mut moments = Moments(setting("ARGO_CRASH_SEED", 0x5eed_2026) | 1);
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

    // Every fifth workflow fails in its last step.
    let mut expected = Vec::new();
    for i in 0..workflows {
        let code = u8::from(i % 5 == 4);
        let created = typed
            .create(&workflow(&marks, code))
            .await
            .expect("submitted");
        let phase = if code == 0 {
            WorkflowPhase::Succeeded
        } else {
            WorkflowPhase::Failed
        };
        expected.push((created.name().to_owned(), phase));
    }

    for kill in 0..kills {
        tokio::time::sleep(Duration::from_millis(50 + moments.next_millis(1200))).await;
        controller.kill().expect("SIGKILL the controller");
        controller.wait().expect("reap the controller");
        eprintln!("kill {kill}: controller killed and restarted");
        controller = start_controller(data.path());
    }

    // Generous: only a hang makes the test wait this long.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(150);
    let mut unfinished = expected.len();
    while unfinished > 0 && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(250)).await;
        unfinished = 0;
        for (name, _) in &expected {
            let current = typed.get(Some("argo"), name).await.expect("still stored");
            if !current.status.phase.is_completed() {
                unfinished += 1;
            }
        }
    }
    controller.kill().expect("stop the controller");
    controller.wait().expect("reap the controller");

    let mut problems = Vec::new();
    for (name, phase) in &expected {
        let current = typed.get(Some("argo"), name).await.expect("still stored");
        if current.status.phase != *phase {
            problems.push(format!(
                "{name}: expected {phase}, got {:?} ({})",
                current.status.phase.to_string(),
                current.status.message
            ));
        }
        for step in STEPS {
            let file = marks.join(format!("{name}-{step}"));
            let runs = std::fs::read_to_string(&file)
                .map(|text| text.lines().count())
                .unwrap_or(0);
            if runs != 1 {
                problems.push(format!("{name}: step {step} ran {runs} times"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "after {kills} kills:\n{}",
        problems.join("\n")
    );
}
