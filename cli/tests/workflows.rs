//! The workflow commands end to end: the real `argo` binary against a local-mode server on
//! loopback, over gRPC and over REST, with golden files for `get`, `list` and `logs`.

mod support;

use support::{Server, assert_golden, fixture, normalise};

#[test]
fn submit_wait_get_list_logs_and_delete_over_grpc() {
    let server = Server::start();
    let steps = fixture("steps.yaml");
    let submitted = server
        .argo(&[
            "submit",
            &steps,
            "--name",
            "e2e-steps",
            "-p",
            "message=from-the-cli",
            "--wait",
            "-o",
            "name",
        ])
        .ok();
    assert_eq!(
        submitted, "e2e-steps\n",
        "-o name prints the name and --wait stays quiet"
    );

    let get = server.argo(&["get", "e2e-steps"]).ok();
    assert_golden("e2e-get.txt", &normalise(&get));

    let list = server.argo(&["list"]).ok();
    assert_golden("e2e-list.txt", &normalise(&list));
    assert_eq!(
        server.argo(&["list", "-o", "name", "--completed"]).ok(),
        "e2e-steps\n"
    );
    assert_eq!(
        server.argo(&["list", "--running", "--no-headers"]).ok(),
        "No workflows found\n"
    );
    assert_eq!(
        server.argo(&["list", "--prefix", "nope"]).ok(),
        "No workflows found\n"
    );

    let mut logs: Vec<String> = server
        .argo(&["logs", "e2e-steps"])
        .ok()
        .lines()
        .map(str::to_owned)
        .collect();
    logs.sort();
    assert_golden("e2e-logs.txt", &(logs.join("\n") + "\n"));
    let grep = server.argo(&["logs", "@latest", "--grep", "second"]).ok();
    assert!(
        grep.contains("second-step") && !grep.contains("from-the-cli"),
        "{grep}"
    );

    let json = server.argo(&["get", "e2e-steps", "-o", "json"]).ok();
    let value: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(value["status"]["phase"], "Succeeded");
    assert_eq!(
        value["spec"]["arguments"]["parameters"][0]["value"],
        "from-the-cli"
    );

    let waited = server.argo(&["wait", "e2e-steps"]).ok();
    assert!(waited.starts_with("e2e-steps Succeeded at "), "{waited}");

    assert_eq!(
        server.argo(&["delete", "e2e-steps", "--dry-run"]).ok(),
        "Workflow 'e2e-steps' deleted (dry-run)\n"
    );
    assert_eq!(
        server.argo(&["delete", "e2e-steps"]).ok(),
        "Workflow 'e2e-steps' deleted\n"
    );
    let missing = server.argo(&["get", "e2e-steps"]).failed();
    assert!(missing.contains("NotFound"), "{missing}");
    assert_eq!(
        server.argo(&["delete", "e2e-steps"]).ok(),
        "Workflow 'e2e-steps' not found\n"
    );
}

#[test]
fn the_rest_transport_answers_like_grpc() {
    let server = Server::start();
    let steps = fixture("steps.yaml");
    let printed = server
        .argo_http1(&["submit", &steps, "--name", "over-rest", "--wait"])
        .ok();
    assert!(
        printed.starts_with("Name:                over-rest\n"),
        "{printed}"
    );
    assert!(printed.contains("over-rest Succeeded at "), "{printed}");
    assert_eq!(
        server.argo_http1(&["list", "-o", "name"]).ok(),
        "over-rest\n"
    );
    let logs = server.argo_http1(&["logs", "over-rest"]).ok();
    assert!(logs.contains(": from-the-file"), "{logs}");
    let get = server.argo_http1(&["get", "over-rest"]).ok();
    let grpc_get = server.argo(&["get", "over-rest"]).ok();
    assert_eq!(normalise(&get), normalise(&grpc_get));
    let stop = server.argo_http1(&["stop", "over-rest"]).failed();
    assert!(
        stop.contains("rpc error"),
        "a finished workflow cannot be stopped: {stop}"
    );
    assert_eq!(
        server.argo_http1(&["delete", "--all"]).ok(),
        "Workflow 'over-rest' deleted\n"
    );
}

#[test]
fn suspend_resume_node_set_and_a_failing_workflow() {
    let server = Server::start();
    server.argo(&["submit", &fixture("approval.yaml")]).ok();
    // The workflow waits at its suspend step until resumed.
    let watched = server
        .argo(&["get", "approval", "--status", "Running"])
        .ok();
    assert!(watched.contains("approval"), "{watched}");
    assert_eq!(
        server.argo(&["suspend", "approval"]).ok(),
        "workflow approval suspended\n"
    );
    assert_eq!(
        server.argo(&["resume", "approval"]).ok(),
        "workflow approval resumed\n"
    );
    let waited = server.argo(&["wait", "approval"]).ok();
    assert!(waited.starts_with("approval Succeeded at "), "{waited}");

    let failing = server.argo(&["submit", &fixture("failing.yaml"), "--wait"]);
    assert_eq!(
        failing.code, 1,
        "a failed workflow makes --wait exit 1: {failing:?}"
    );
    assert!(
        failing.stdout.contains("failing Failed at "),
        "{}",
        failing.stdout
    );
    let retried = server.argo(&["retry", "failing", "-o", "name"]).ok();
    assert_eq!(retried, "failing\n");
    let terminated = server.argo(&["terminate", "failing", "--dry-run"]).ok();
    assert_eq!(terminated, "workflow failing terminated (dry-run)\n");
    let resubmitted = server.argo(&["resubmit", "failing", "-o", "name"]).ok();
    assert!(resubmitted.starts_with("failing-"), "{resubmitted}");
    let resubmitted_list = server.argo(&["list", "--resubmitted", "-o", "name"]).ok();
    assert_eq!(resubmitted_list, resubmitted);
}

#[test]
fn node_set_marks_a_suspend_node_succeeded() {
    let server = Server::start();
    server.argo(&["submit", &fixture("approval.yaml")]).ok();
    let set = server
        .argo(&[
            "node",
            "set",
            "approval",
            "--node-field-selector",
            "displayName=approve",
            "--phase",
            "Succeeded",
            "--message",
            "approved from the cli",
        ])
        .ok();
    assert_eq!(set, "workflow values set\n");
    let waited = server.argo(&["wait", "approval"]).ok();
    assert!(waited.starts_with("approval Succeeded at "), "{waited}");
}

#[test]
fn version_reports_the_client_and_the_server() {
    let server = Server::start();
    let version = server.argo(&["version", "--short"]).ok();
    let lines: Vec<&str> = version.lines().collect();
    assert_eq!(lines.len(), 2, "{version}");
    assert!(lines[0].starts_with("argo: "), "{version}");
    assert!(lines[1].starts_with("argo-server: "), "{version}");
}
