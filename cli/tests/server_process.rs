//! `argo server` as its own process (ports 31200-31299), driven by the CLI over gRPC and
//! REST: the same binary users start, not the in-process server the other suites use.
//! Also `stop` and `terminate` acting on a live (suspended) workflow.

mod support;

use std::process::{Child, Stdio};

use support::{Run, argo_command, fixture};

const PORT: &str = "31207";

/// The server child, killed (by its own id) when the test ends.
struct ServerProcess(Child);

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn argo(args: &[&str], http1: bool) -> Run {
    let mut command = argo_command(args);
    command
        .env("ARGO_SERVER", format!("127.0.0.1:{PORT}"))
        .env("ARGO_SECURE", "false")
        .env("ARGO_NAMESPACE", "argo")
        .env("ARGO_HTTP1", if http1 { "true" } else { "false" });
    Run::from(command.output().expect("argo runs"))
}

#[test]
fn the_argo_server_command_serves_the_cli() {
    let data = tempfile::tempdir().expect("temp dir");
    let child = argo_command(&[
        "server",
        "--port",
        PORT,
        "--address",
        "127.0.0.1",
        "--secure=false",
        "--auth-mode",
        "server",
        "--sandbox",
        "none",
        "--data-dir",
        &data.path().display().to_string(),
    ])
    .stdout(Stdio::null())
    .stderr(Stdio::null())
    .spawn()
    .expect("argo server starts");
    let _server = ServerProcess(child);
    // Readiness: poll until the server answers (bounded by attempts, not by a clock).
    let mut ready = false;
    for _ in 0..300 {
        if argo(&["list"], false).code == 0 {
            ready = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(ready, "argo server never answered on port {PORT}");

    let version = argo(&["version", "--short"], true).ok();
    assert!(version.contains("argo-server: "), "{version}");
    argo(&["submit", &fixture("approval.yaml")], false).ok();
    assert_eq!(
        argo(&["stop", "approval", "--message", "enough"], true).ok(),
        "workflow approval stopped\n"
    );
    let stopped = argo(&["wait", "approval"], false);
    assert_eq!(stopped.code, 1, "a stopped workflow fails: {stopped:?}");
    assert!(
        stopped.stdout.starts_with("approval Failed at "),
        "{}",
        stopped.stdout
    );

    argo(&["delete", "approval"], false).ok();
    argo(&["submit", &fixture("approval.yaml")], true).ok();
    assert_eq!(
        argo(
            &["terminate", "-l", "workflows.argoproj.io/completed!=true"],
            false
        )
        .ok(),
        "workflow approval terminated\n"
    );
    let terminated = argo(&["wait", "approval"], true);
    assert_eq!(terminated.code, 1, "{terminated:?}");
    let json = argo(&["get", "approval", "-o", "json"], false).ok();
    let workflow: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(workflow["status"]["phase"], "Failed");
}
