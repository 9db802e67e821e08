//! Transport options end to end: TLS with a self-signed certificate (accepted only with
//! `--insecure-skip-verify`), gRPC and REST, headers, `watch` when piped, `submit --log`
//! and online lint.

mod support;

use support::{Server, fixture};

#[test]
fn a_self_signed_server_needs_insecure_skip_verify() {
    let server = Server::start_secure();
    for http1 in ["false", "true"] {
        let env = [("ARGO_SECURE", "true"), ("ARGO_HTTP1", http1)];
        let refused = server.argo_with(&["list"], &env).failed();
        assert!(refused.contains(&server.address), "{refused}");
        assert!(refused.to_lowercase().contains("certificate"), "{refused}");
        let listed = server.argo_with(&["list", "-k"], &env).ok();
        assert_eq!(listed, "No workflows found\n");
        let env_skip = [
            ("ARGO_SECURE", "true"),
            ("ARGO_HTTP1", http1),
            ("ARGO_INSECURE_SKIP_VERIFY", "true"),
        ];
        let submitted = server
            .argo_with(
                &["submit", &fixture("failing.yaml"), "-o", "name"],
                &env_skip,
            )
            .ok();
        assert_eq!(submitted, "failing\n");
        server
            .argo_with(&["delete", "failing", "-H", "X-Test: yes"], &env_skip)
            .ok();
    }
}

#[test]
fn watch_prints_plainly_when_piped_and_submit_log_streams_the_pods() {
    let server = Server::start();
    let logged = server
        .argo(&[
            "submit",
            &fixture("steps.yaml"),
            "--name",
            "logged",
            "--log",
        ])
        .ok();
    assert!(logged.contains("logged-echo-"), "{logged}");
    assert!(logged.contains(": from-the-file"), "{logged}");
    assert!(logged.contains(": second-step"), "{logged}");

    let watched = server.argo(&["watch", "logged"]).ok();
    assert!(
        !watched.contains('\u{1b}'),
        "no escape codes when piped: {watched:?}"
    );
    assert!(
        watched.contains("Status:              Succeeded"),
        "{watched}"
    );

    let submitted = server
        .argo(&[
            "submit",
            &fixture("steps.yaml"),
            "--name",
            "watched",
            "--watch",
        ])
        .ok();
    let last_view = submitted.rsplit("Name:").next().unwrap_or_default();
    assert!(
        last_view.contains("Status:              Succeeded"),
        "{submitted}"
    );
    assert!(last_view.contains("└───✔ second"), "{submitted}");
}

#[test]
fn lint_goes_to_the_server_unless_offline() {
    let server = Server::start();
    let good = server.argo(&["lint", &fixture("steps.yaml")]).ok();
    assert_eq!(good, "✔ no linting errors found!\n");
    let dir = tempfile::tempdir().expect("temp dir");
    let bad = dir.path().join("bad.yaml");
    std::fs::write(
        &bad,
        "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  name: bad\nspec:\n  entrypoint: missing\n  templates:\n  - name: main\n    container:\n      image: busybox\n",
    )
    .expect("write");
    let bad = bad.display().to_string();
    let online = server.argo(&["lint", &bad, "-o", "simple"]);
    assert_eq!(online.code, 1, "{online:?}");
    assert!(online.stdout.contains("missing"), "{}", online.stdout);
    let offline = server.argo(&["lint", &bad, "--offline", "-o", "simple"]);
    assert_eq!(offline.code, 1);
    assert!(offline.stdout.contains("missing"), "{}", offline.stdout);
}
