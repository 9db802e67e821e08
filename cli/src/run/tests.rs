//! `argo run` end to end on the fixtures, unsandboxed: outcomes, messages and live logs.

use super::*;

/// `cli/tests/fixtures/NAME`, else the controller's fixture of that name.
fn fixture(name: &str) -> PathBuf {
    let own = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    if own.join(name).exists() {
        return own.join(name);
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../controller/tests/fixtures")
        .join(name)
}

fn args(file: &str, extra: &[&str]) -> RunArgs {
    use clap::Parser;
    #[derive(Parser)]
    struct Wrapper {
        #[command(flatten)]
        run: RunArgs,
    }
    let path = fixture(file);
    let mut argv = vec![
        "run",
        path.to_str().expect("utf-8 path"),
        "--sandbox",
        "none",
    ];
    argv.extend_from_slice(extra);
    Wrapper::parse_from(argv).run
}

fn run_fixture(file: &str, extra: &[&str]) -> (ExitCode, String) {
    let mut out = Vec::new();
    let code = run(&args(file, extra), &mut out).expect("argo run completes");
    (code, String::from_utf8(out).expect("utf-8 output"))
}

#[test]
fn hello_succeeds_and_streams_its_log() {
    let (code, out) = run_fixture("hello.yaml", &["--log"]);
    assert_eq!(code, ExitCode::SUCCESS, "{out}");
    assert!(out.contains("hello: hello"), "{out}");
    assert!(out.contains("Status:    Succeeded"), "{out}");
}

#[test]
fn parameters_pass_between_steps_and_can_be_overridden() {
    let (code, out) = run_fixture("params.yaml", &["-p", "greeting=hi"]);
    assert_eq!(code, ExitCode::SUCCESS, "{out}");
}

#[test]
fn a_dag_runs_every_task() {
    let (code, out) = run_fixture("dag.yaml", &[]);
    assert_eq!(code, ExitCode::SUCCESS, "{out}");
    for task in ["a", "b", "c", "d"] {
        assert!(out.contains(&format!("✔ {task} (say)")), "{task} in {out}");
    }
}

#[test]
fn a_failing_step_fails_the_run_with_argos_message() {
    let (code, out) = run_fixture("failing.yaml", &[]);
    assert_eq!(code, ExitCode::FAILURE, "{out}");
    assert!(out.contains("main: Error (exit code 3)"), "{out}");
}

#[test]
fn a_retried_step_runs_limit_plus_one_times() {
    let (code, out) = run_fixture("retry.yaml", &[]);
    assert_eq!(code, ExitCode::FAILURE, "{out}");
    assert!(out.contains("retry(2)"), "{out}");
}

#[test]
fn an_invalid_workflow_is_rejected_before_anything_runs() {
    let (code, out) = run_fixture("invalid.yaml", &[]);
    assert_eq!(code, ExitCode::FAILURE);
    assert!(
        out.contains(r#"in "invalid" (Workflow): template name 'nowhere' undefined"#),
        "the lint message: {out}"
    );
    assert!(!out.contains("Name:"), "nothing was submitted: {out}");
}

#[test]
fn a_missing_command_fails_the_node_with_exit_code_64_and_says_why() {
    let (code, out) = run_fixture("missing-command.yaml", &["--log"]);
    assert_eq!(code, ExitCode::FAILURE, "{out}");
    assert!(
        out.contains("Failed ✖ missing-command (main)")
            && out.contains("main: Error (exit code 64)"),
        "{out}"
    );
    assert!(
        out.contains(
            "failed to find name in PATH: exec: \"argo-no-such-command-anywhere\": executable file not found in $PATH"
        ),
        "{out}"
    );
}

#[test]
fn an_unreadable_output_file_ends_the_node_in_error_from_the_wait_container() {
    let (code, out) = run_fixture("unreadable-output.yaml", &[]);
    assert_eq!(code, ExitCode::FAILURE, "{out}");
    assert!(
        out.contains("Error ✖ unreadable-output (main)") && out.contains("wait: Error (exit code"),
        "the node ends in Error, blamed on wait: {out}"
    );
    assert!(out.contains("Status:    Error"), "{out}");
}

/// Creates `release` in its directory as soon as the live line has been written to it.
struct ReleasingWriter {
    written: Vec<u8>,
    release: PathBuf,
}

impl Write for ReleasingWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.written.extend_from_slice(buf);
        let text = String::from_utf8_lossy(&self.written);
        if text.contains("live-line-before-release") && !self.release.exists() {
            std::fs::write(&self.release, b"")?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn logs_are_printed_while_the_step_still_runs() {
    // The step only ends once its line was printed: printing logs at the end would fail it.
    let dir = tempfile::tempdir().expect("temp dir");
    let parameter = format!("dir={}", dir.path().display());
    let mut out = ReleasingWriter {
        written: Vec::new(),
        release: dir.path().join("release"),
    };
    let code = run(
        &args("live-log.yaml", &["--log", "-p", &parameter]),
        &mut out,
    )
    .expect("argo run completes");
    let text = String::from_utf8_lossy(&out.written).into_owned();
    assert_eq!(code, ExitCode::SUCCESS, "{text}");
    let live = text
        .find("live-line-before-release")
        .expect("the live line");
    let after = text.find("after-release").expect("the second step's line");
    assert!(live < after, "{text}");
}

#[tokio::test]
async fn the_display_reads_the_status_and_keeps_it_while_the_revision_is_unchanged() {
    let store: Arc<dyn ResourceStore> = Arc::new(argo_store::MemoryStore::default());
    let workflows: Typed<Workflow> = Typed::new(store.clone());
    let mut workflow: Workflow = serde_json::from_value(serde_json::json!({
        "apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow",
        "metadata": {"name": "shown", "namespace": "argo"},
        "spec": {"entrypoint": "main", "templates": [{"name": "main", "suspend": {}}]},
        "status": {"phase": "Running", "nodes": {"shown": {
            "id": "shown", "name": "shown", "type": "Suspend", "phase": "Running"}}}
    }))
    .expect("a workflow");
    workflows.create(&workflow).await.expect("created");

    let first = displayed_workflow(&store, &workflows, "argo", "shown", None)
        .await
        .expect("read");
    assert_eq!(first.name, "shown");
    assert_eq!(first.status.phase, argo_core::WorkflowPhase::Running);
    assert_eq!(first.status.nodes["shown"].phase, NodePhase::Running);

    // Unchanged revision: what was shown is handed back as it was.
    let mut marked = first.clone();
    marked.status.message = "kept".to_owned();
    let again = displayed_workflow(&store, &workflows, "argo", "shown", Some(marked))
        .await
        .expect("read");
    assert_eq!(again.status.message, "kept");

    // A new revision is read again.
    workflow = workflows.get(Some("argo"), "shown").await.expect("stored");
    workflow.status.phase = argo_core::WorkflowPhase::Succeeded;
    workflows.update(&workflow).await.expect("updated");
    let changed = displayed_workflow(&store, &workflows, "argo", "shown", Some(again))
        .await
        .expect("read");
    assert_eq!(changed.status.phase, argo_core::WorkflowPhase::Succeeded);
    assert!(changed.status.message.is_empty());
}

#[test]
fn the_benchmark_stats_read_this_processs_own_cpu_and_peak_memory() {
    // Burn a little CPU so the tick count cannot be zero.
    let started = std::time::Instant::now();
    let mut x = 0u64;
    while started.elapsed() < std::time::Duration::from_millis(30) {
        x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(7));
    }
    let cpu = own_cpu_seconds().expect("/proc/self/stat parses");
    assert!(cpu > 0.0, "some CPU was used: {cpu}");
    let peak = own_peak_rss_kib().expect("/proc/self/status has VmHWM");
    assert!(
        peak > 100,
        "a test binary's peak RSS is more than 100 KiB: {peak}"
    );
}
