//! Cron workflows end to end: create with `--schedule`, list, get, update, lint, suspend,
//! resume, delete and `backfill`, against the cron service the local server mounts.

mod support;

use support::{Server, fixture};

#[test]
fn cron_workflows_create_with_a_schedule_list_suspend_resume_and_delete() {
    let server = Server::start();
    let cron = fixture("cron.yaml");
    let created = server
        .argo(&["cron", "create", &cron, "--schedule", "*/5 * * * *"])
        .ok();
    assert!(
        created.contains("Schedules:                     */5 * * * *\n"),
        "{created}"
    );
    assert!(
        created.contains("Suspended:                     false\n"),
        "{created}"
    );
    let list = server.argo(&["cron", "list"]).ok();
    let header = list.lines().next().unwrap_or_default();
    assert!(
        header.starts_with("NAME      AGE   LAST RUN   NEXT RUN   SCHEDULES"),
        "{list}"
    );
    assert_eq!(
        server.argo(&["cron", "suspend", "nightly"]).ok(),
        "CronWorkflow 'nightly' suspended\n"
    );
    let got = server.argo(&["cron", "get", "nightly"]).ok();
    assert!(
        got.contains("Suspended:                     true\n"),
        "{got}"
    );
    assert_eq!(
        server.argo(&["cron", "resume", "nightly"]).ok(),
        "CronWorkflow 'nightly' resumed\n"
    );
    server.argo(&["cron", "delete", "nightly"]).ok();
    assert_eq!(server.argo(&["cron", "list", "-o", "name"]).ok(), "");
}

/// The value of `parameter` in a workflow's `spec.arguments`.
fn parameter(workflow: &serde_json::Value, parameter: &str) -> String {
    workflow["spec"]["arguments"]["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["name"] == parameter)
        .and_then(|p| p["value"].as_str())
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn cron_backfill_creates_one_workflow_per_missed_time() {
    let server = Server::start();
    let cron = fixture("cron.yaml");
    server
        .argo(&["cron", "create", &cron, "--schedule", "*/5 * * * *"])
        .ok();
    let printed = server
        .argo(&[
            "cron",
            "backfill",
            "nightly",
            "--name",
            "fill",
            "--parallel",
            "--start",
            "Mon, 01 Jan 2024 00:00:00 UTC",
            "--end",
            "Mon, 01 Jan 2024 00:20:00 UTC",
        ])
        .ok();
    let lines: Vec<&str> = printed.lines().collect();
    assert_eq!(
        lines[..9],
        [
            "Created fill Backfill task for Cronworkflow nightly ",
            "==================================================",
            "Backfill Period :",
            "Start Time : Mon, 01 Jan 2024 00:00:00 UTC ",
            "  End Time : Mon, 01 Jan 2024 00:20:00 UTC ",
            "Total Backfill Schedule: 4 ",
            "==================================================",
            "Backfill Workflows: ",
            "   NAMESPACE\t WORKFLOW: ",
        ],
        "{printed}"
    );
    assert_eq!(lines.len(), 13, "{printed}");
    assert!(
        lines[9].starts_with("1. argo \t nightly-backfill-fill-"),
        "{printed}"
    );
    let names = server
        .argo(&[
            "list",
            "-l",
            "workflows.argoproj.io/backfill=nightly",
            "-o",
            "name",
        ])
        .ok();
    let mut times: Vec<String> = names
        .lines()
        .map(|name| {
            let json = server.argo(&["get", name, "-o", "json"]).ok();
            let workflow: serde_json::Value = serde_json::from_str(&json).expect("json");
            assert!(workflow["spec"].get("synchronization").is_none(), "{json}");
            parameter(&workflow, "cronScheduleTime")
        })
        .collect();
    times.sort();
    assert_eq!(
        times,
        [
            "2024-01-01 00:05:00 +0000 UTC",
            "2024-01-01 00:10:00 +0000 UTC",
            "2024-01-01 00:15:00 +0000 UTC",
            "2024-01-01 00:20:00 +0000 UTC",
        ]
    );

    // Without --parallel the workflows share a mutex named after the backfill.
    let serial = server
        .argo(&[
            "cron",
            "backfill",
            "nightly",
            "--name",
            "one",
            "--format",
            "2006-01-02T15:04:05Z07:00",
            "--start",
            "2024-01-01T00:00:00Z",
            "--end",
            "2024-01-01T00:05:00Z",
            "--argname",
            "when",
        ])
        .ok();
    assert!(serial.contains("Total Backfill Schedule: 1 \n"), "{serial}");
    let name = server
        .argo(&["list", "--prefix", "nightly-backfill-one-", "-o", "name"])
        .ok();
    let json = server.argo(&["get", name.trim(), "-o", "json"]).ok();
    let workflow: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(
        workflow["spec"]["synchronization"]["mutexes"][0]["name"],
        "one"
    );
    assert_eq!(workflow["spec"]["priority"], i64::from(i32::MAX));
    assert_eq!(
        parameter(&workflow, "when"),
        "2024-01-01 00:05:00 +0000 UTC"
    );

    let nothing = server
        .argo(&[
            "cron",
            "backfill",
            "nightly",
            "--start",
            "Mon, 01 Jan 2024 00:00:00 UTC",
            "--end",
            "Mon, 01 Jan 2024 00:04:00 UTC",
        ])
        .ok();
    assert_eq!(nothing, "There is no suitable scheduling time.");
    let no_start = server.argo(&["cron", "backfill", "nightly"]).failed();
    assert!(
        no_start.contains("Start Date should not be empty"),
        "{no_start}"
    );
    let bad = server
        .argo(&["cron", "backfill", "nightly", "--start", "yesterday"])
        .failed();
    assert!(bad.contains("parsing time \"yesterday\""), "{bad}");
    let capped = server
        .argo(&[
            "cron",
            "backfill",
            "nightly",
            "--maxworkflowcount",
            "2",
            "--start",
            "Mon, 01 Jan 2024 00:00:00 UTC",
            "--end",
            "Mon, 01 Jan 2024 01:00:00 UTC",
        ])
        .failed();
    assert!(capped.contains("--maxworkflowcount"), "{capped}");
    let missing = server
        .argo(&[
            "cron",
            "backfill",
            "nope",
            "--start",
            "Mon, 01 Jan 2024 00:00:00 UTC",
        ])
        .failed();
    assert!(
        missing.contains("NotFound") || missing.contains("not found"),
        "{missing}"
    );
    let help = server.argo(&["cron", "backfill"]).ok();
    assert!(help.contains("--maxworkflowcount"), "{help}");
}

#[test]
fn cron_update_lint_and_get_as_json() {
    let server = Server::start();
    let cron = fixture("cron.yaml");
    assert_eq!(
        server.argo(&["cron", "lint", &cron]).ok(),
        "✔ no linting errors found!\n"
    );
    server.argo(&["cron", "create", &cron]).ok();
    let updated = server
        .argo(&[
            "cron",
            "update",
            &cron,
            "--schedule",
            "0 4 * * *",
            "-o",
            "name",
        ])
        .ok();
    assert_eq!(updated, "nightly\n");
    let json = server.argo(&["cron", "get", "nightly", "-o", "json"]).ok();
    let value: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(value["spec"]["schedules"][0], "0 4 * * *");
    let missing = server.argo(&["cron", "get", "nope"]).failed();
    assert!(
        missing.contains("NotFound") || missing.contains("not found"),
        "{missing}"
    );
}
