//! Templates, cluster templates, cron workflows and the archive end to end, against the
//! services the local server mounts.

mod support;

use support::{Server, fixture};

#[test]
fn workflow_templates_create_list_get_submit_from_and_delete() {
    let server = Server::start();
    let template = fixture("template.yaml");
    let created = server.argo(&["template", "create", &template]).ok();
    assert!(
        created.starts_with("Name:                greeter\nNamespace:           argo\nCreated:  "),
        "{created}"
    );
    // Go's tabwriter pads the name cell (it ends in a tab) even on the last column.
    assert_eq!(
        server.argo(&["template", "list"]).ok(),
        "NAME\ngreeter   \n"
    );
    assert_eq!(
        server
            .argo(&["template", "get", "greeter", "-o", "name"])
            .ok(),
        "greeter\n"
    );
    let submitted = server
        .argo(&[
            "submit",
            "--from",
            "workflowtemplate/greeter",
            "-p",
            "who=cli",
            "--wait",
            "-o",
            "name",
        ])
        .ok();
    let name = submitted.trim();
    assert!(name.starts_with("greeter-"), "{submitted}");
    let logs = server.argo(&["logs", name]).ok();
    assert!(logs.contains("hello cli"), "{logs}");
    assert_eq!(
        server.argo(&["template", "delete", "greeter"]).ok(),
        "WorkflowTemplate 'greeter' deleted\n"
    );
    assert_eq!(server.argo(&["template", "list"]).ok(), "NAME\n");
}

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

#[test]
fn the_archive_lists_and_gets_finished_workflows() {
    let server = Server::start_archiving();
    server
        .argo(&[
            "submit",
            &fixture("steps.yaml"),
            "--name",
            "archived",
            "--wait",
        ])
        .ok();
    let list = server.argo(&["archive", "list", "-o", "name"]).ok();
    assert_eq!(list, "archived\n");
    let got = server.argo(&["archive", "get", "archived"]).ok();
    assert!(got.starts_with("Name:                archived\n"), "{got}");
    assert!(got.contains("Status:              Succeeded\n"), "{got}");
    let keys = server.argo(&["archive", "list-label-keys"]).ok();
    assert!(keys.contains("workflows.argoproj.io/phase"), "{keys}");
    assert_eq!(
        server.argo(&["archive", "delete", "archived"]).ok(),
        "Archived workflow 'archived' deleted\n"
    );
}
