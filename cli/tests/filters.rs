//! The filtering and shaping flags end to end: `list --status/--since/--chunk-size/--prefix`,
//! `get --node-field-selector/--status/-o wide`, `logs --tail/--timestamps/--since/POD`,
//! `delete --completed/--older/--resubmitted/--status`, `wait` exit codes and the submit
//! options (`--parameter-file`, `--entrypoint`, `--serviceaccount`, `-l`, `--generate-name`,
//! `--dry-run`, `--server-dry-run`, stdin), with golden files for the wide formats.

mod support;

use std::io::Write as _;
use std::process::Stdio;

use support::{Server, assert_golden, fixture, normalise};

#[test]
fn list_get_logs_wait_and_delete_filters() {
    let server = Server::start();
    server
        .argo(&["submit", &fixture("steps.yaml"), "--name", "good", "--wait"])
        .ok();
    let failed = server.argo(&["submit", &fixture("failing.yaml"), "--wait"]);
    assert_eq!(failed.code, 1, "{failed:?}");

    let list = |args: &[&str]| server.argo(&[&["list", "-o", "name"], args].concat()).ok();
    assert_eq!(list(&["--status", "Failed"]), "failing\n");
    assert_eq!(list(&["--status", "Succeeded,Failed"]), "failing\ngood\n");
    assert_eq!(list(&["--since", "1h"]), "failing\ngood\n");
    assert_eq!(list(&["--chunk-size", "1"]), "failing\ngood\n");
    assert_eq!(list(&["--prefix", "go"]), "good\n");
    assert_eq!(
        list(&["-l", "workflows.argoproj.io/phase=Succeeded"]),
        "good\n"
    );
    assert_golden(
        "e2e-list-wide.txt",
        &normalise(&server.argo(&["list", "-o", "wide"]).ok()),
    );

    let wide = server.argo(&["get", "good", "-o", "wide"]).ok();
    assert_golden("e2e-get-wide.txt", &normalise(&wide));
    let selected = server
        .argo(&["get", "good", "--node-field-selector", "displayName=second"])
        .ok();
    assert_golden("e2e-get-selected.txt", &normalise(&selected));
    let failed_nodes = server.argo(&["get", "failing", "--status", "Failed"]).ok();
    assert!(failed_nodes.contains("✖ failing"), "{failed_nodes}");
    let short = server.argo(&["get", "good", "-o", "short"]).ok();
    assert_golden("e2e-get-short.txt", &normalise(&short));
    let bad = server.argo(&["get", "good", "-o", "tree"]).failed();
    assert!(bad.contains("invalid argument \"tree\""), "{bad}");

    let timestamps = server.argo(&["logs", "good", "--timestamps"]).ok();
    let mut lines: Vec<String> = normalise_rfc3339(&timestamps)
        .lines()
        .map(str::to_owned)
        .collect();
    lines.sort();
    assert_golden("e2e-logs-timestamps.txt", &(lines.join("\n") + "\n"));
    let tail = server
        .argo(&["logs", "good", "--tail", "1", "--since", "1h"])
        .ok();
    assert_eq!(tail.lines().count(), 2, "one line per pod: {tail}");
    let pod = timestamps
        .lines()
        .find(|line| line.ends_with("second-step"))
        .and_then(|line| line.split(':').next())
        .expect("a pod printed second-step")
        .to_owned();
    let one_pod = server.argo(&["logs", "good", &pod]).ok();
    assert_eq!(
        one_pod,
        format!("{pod}: second-step\n"),
        "only that pod, prefixed"
    );
    let followed = server.argo(&["logs", "good", "-f"]).ok();
    assert_eq!(
        followed.lines().count(),
        2,
        "-f ends with the workflow: {followed}"
    );
    let yaml = server.argo(&["get", "good", "-o", "yaml"]).ok();
    assert!(yaml.contains("phase: Succeeded"), "{yaml}");
    let failing_logs = server.argo(&["logs", "failing", "--no-color"]).ok();
    assert!(failing_logs.contains(": about to fail"), "{failing_logs}");

    let waited = server.argo(&["wait", "failing"]);
    assert_eq!(
        waited.code, 1,
        "waiting on a failed workflow exits 1: {waited:?}"
    );
    assert!(
        waited.stdout.starts_with("failing Failed at "),
        "{}",
        waited.stdout
    );
    server.argo(&["wait", "nope", "--ignore-not-found"]).ok();

    let resubmitted = server.argo(&["resubmit", "failing", "--memoized", "-o", "name"]);
    let resubmitted = resubmitted.ok();
    server.argo(&["wait", resubmitted.trim()]);
    assert_eq!(
        server.argo(&["delete", "--older", "1h"]).ok(),
        "No resources found\n"
    );
    assert_eq!(
        server.argo(&["delete", "--resubmitted"]).ok(),
        format!("Workflow '{}' deleted\n", resubmitted.trim())
    );
    assert_eq!(
        server
            .argo(&["delete", "--status", "Failed", "--dry-run"])
            .ok(),
        "Workflow 'failing' deleted (dry-run)\n"
    );
    let deleted = server.argo(&["delete", "--completed"]).ok();
    assert_eq!(
        deleted,
        "Workflow 'failing' deleted\nWorkflow 'good' deleted\n"
    );
    assert_eq!(list(&[]), "No workflows found\n");
}

/// Replaces RFC 3339 timestamps (`--timestamps` prefixes) with a fixed token.
fn normalise_rfc3339(text: &str) -> String {
    let stamp =
        regex::Regex::new(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")
            .expect("regex");
    stamp.replace_all(text, "<RFC3339>").into_owned()
}

#[test]
fn submit_options_shape_the_workflow() {
    let server = Server::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let parameters = dir.path().join("parameters.yaml");
    std::fs::write(&parameters, "message: from-a-parameter-file\n").expect("write");
    let parameters = parameters.display().to_string();
    let dry = server
        .argo(&[
            "submit",
            &fixture("steps.yaml"),
            "--parameter-file",
            &parameters,
            "--entrypoint",
            "echo",
            "--serviceaccount",
            "robot",
            "-l",
            "team=a,tier=b",
            "--generate-name",
            "custom-",
            "--dry-run",
            "-o",
            "json",
        ])
        .ok();
    let workflow: serde_json::Value = serde_json::from_str(&dry).expect("json");
    assert_eq!(workflow["metadata"]["generateName"], "custom-");
    assert_eq!(workflow["metadata"]["labels"]["team"], "a");
    assert_eq!(workflow["metadata"]["labels"]["tier"], "b");
    assert_eq!(workflow["spec"]["entrypoint"], "echo");
    assert_eq!(workflow["spec"]["serviceAccountName"], "robot");
    assert_eq!(
        workflow["spec"]["arguments"]["parameters"][0]["value"],
        "from-a-parameter-file"
    );
    let server_dry = server
        .argo(&[
            "submit",
            &fixture("steps.yaml"),
            "--name",
            "not-stored",
            "--server-dry-run",
            "-o",
            "yaml",
        ])
        .ok();
    assert!(server_dry.contains("name: not-stored"), "{server_dry}");
    assert_eq!(
        server.argo(&["list", "-o", "name"]).ok(),
        "No workflows found\n",
        "dry runs store nothing"
    );
    let no_output = server
        .argo(&["submit", &fixture("steps.yaml"), "--dry-run"])
        .failed();
    assert!(
        no_output.contains("--dry-run should have an output option"),
        "{no_output}"
    );

    let mut command = support::argo_command(&["submit", "-", "--name", "from-stdin", "-o", "name"]);
    command
        .env("ARGO_SERVER", &server.address)
        .env("ARGO_SECURE", "false")
        .env("ARGO_NAMESPACE", "argo")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("argo starts");
    let manifest = std::fs::read(fixture("steps.yaml")).expect("fixture");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(&manifest)
        .expect("write stdin");
    let from_stdin = support::Run::from(child.wait_with_output().expect("argo exits")).ok();
    assert_eq!(from_stdin, "from-stdin\n");
    let wide = server
        .argo(&["submit", &fixture("failing.yaml"), "-o", "wide"])
        .ok();
    assert!(wide.starts_with("Name:                failing\n"), "{wide}");
}
