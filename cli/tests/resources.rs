//! Templates, cluster templates and the archive end to end, against the
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

#[test]
fn cluster_templates_lint_create_update_submit_from_and_delete() {
    let server = Server::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("cluster.yaml");
    let text = std::fs::read_to_string(fixture("template.yaml")).expect("fixture");
    std::fs::write(
        &path,
        text.replace("kind: WorkflowTemplate", "kind: ClusterWorkflowTemplate"),
    )
    .expect("write");
    let path = path.display().to_string();
    assert_eq!(
        server.argo(&["cluster-template", "lint", &path]).ok(),
        "✔ no linting errors found!\n"
    );
    let created = server.argo(&["cluster-template", "create", &path]).ok();
    assert!(
        created.starts_with("Name:                greeter\n"),
        "{created}"
    );
    assert_eq!(
        server
            .argo(&["cluster-template", "list", "-o", "name"])
            .ok(),
        "greeter\n"
    );
    assert_eq!(
        server
            .argo(&["cluster-template", "update", &path, "-o", "name"])
            .ok(),
        "greeter\n"
    );
    let submitted = server
        .argo(&[
            "submit",
            "--from",
            "clusterworkflowtemplate/greeter",
            "-p",
            "who=cluster",
            "--wait",
            "-o",
            "name",
        ])
        .ok();
    let logs = server.argo(&["logs", submitted.trim()]).ok();
    assert!(logs.contains("hello cluster"), "{logs}");
    assert_eq!(
        server.argo(&["cluster-template", "delete", "greeter"]).ok(),
        "ClusterWorkflowTemplate 'greeter' deleted\n"
    );
    assert_eq!(
        server
            .argo(&["cluster-template", "list", "-o", "name"])
            .ok(),
        ""
    );
}

#[test]
fn the_archive_retries_resubmits_and_lists_label_values() {
    let server = Server::start_archiving();
    let failed = server.argo(&["submit", &fixture("failing.yaml"), "--wait"]);
    assert_eq!(failed.code, 1, "{failed:?}");
    let values = server
        .argo(&[
            "archive",
            "list-label-values",
            "-l",
            "workflows.argoproj.io/phase",
        ])
        .ok();
    assert_eq!(values, "Failed\n");
    let resubmitted = server
        .argo(&["archive", "resubmit", "failing", "-o", "name"])
        .ok();
    assert!(resubmitted.starts_with("failing-"), "{resubmitted}");
    server.argo(&["delete", "failing"]).ok();
    let retried = server
        .argo(&["archive", "retry", "failing", "-o", "name"])
        .ok();
    assert_eq!(retried, "failing\n");
    let missing = server.argo(&["archive", "get", "nope"]).failed();
    assert!(missing.contains("not found"), "{missing}");
}
