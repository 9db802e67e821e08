//! Command-line errors without a server: usage lines and exit 1 for bad flags (as cobra), an
//! unreachable server named with its address, `auth token`, `completion`.

mod support;

use support::argo_command;

fn run(args: &[&str], env: &[(&str, &str)]) -> support::Run {
    let mut command = argo_command(args);
    for (key, value) in env {
        command.env(key, value);
    }
    support::Run::from(command.output().expect("argo runs"))
}

#[test]
fn an_unknown_flag_prints_a_usage_line_and_exits_1() {
    let result = run(&["list", "--no-such-flag"], &[]);
    assert_eq!(result.code, 1);
    assert!(
        result.stderr.contains("--no-such-flag"),
        "{}",
        result.stderr
    );
    assert!(
        result.stderr.contains("Usage: argo list"),
        "{}",
        result.stderr
    );
}

#[test]
fn a_missing_argument_prints_a_usage_line_and_exits_1() {
    let result = run(&["get"], &[]);
    assert_eq!(result.code, 1);
    assert!(
        result.stderr.contains("Usage: argo get"),
        "{}",
        result.stderr
    );
}

#[test]
fn a_bad_output_format_is_rejected_before_connecting() {
    let result = run(&["list", "-o", "fancy"], &[("ARGO_SERVER", "127.0.0.1:1")]);
    assert_eq!(result.code, 1);
    assert!(result.stderr.contains("fancy"), "{}", result.stderr);
}

#[test]
fn an_unreachable_server_is_named_with_the_reason() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("address")
        .port();
    let address = format!("127.0.0.1:{port}");
    for http1 in ["false", "true"] {
        let result = run(
            &["list"],
            &[
                ("ARGO_SERVER", &address),
                ("ARGO_SECURE", "false"),
                ("ARGO_HTTP1", http1),
            ],
        );
        assert_eq!(result.code, 1);
        assert!(result.stderr.contains(&address), "{}", result.stderr);
        assert!(
            result.stderr.to_lowercase().contains("refused"),
            "{}",
            result.stderr
        );
    }
}

#[test]
fn auth_token_prints_the_token_in_use() {
    let result = run(&["auth", "token"], &[("ARGO_TOKEN", "Bearer abc.def")]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert_eq!(result.stdout, "Bearer abc.def\n");
    let missing = run(&["auth", "token"], &[]);
    assert_eq!(missing.code, 1);
}

#[test]
fn completion_scripts_name_the_commands() {
    for shell in ["bash", "zsh", "fish"] {
        let result = run(&["completion", shell], &[]);
        assert_eq!(result.code, 0, "{}", result.stderr);
        assert!(result.stdout.contains("submit"), "{shell}");
        assert!(result.stdout.contains("cluster-template"), "{shell}");
    }
    assert_eq!(run(&["completion", "powershell"], &[]).code, 1);
}

#[test]
fn help_exits_0() {
    let result = run(&["--help"], &[]);
    assert_eq!(result.code, 0);
    assert!(result.stdout.contains("submit"), "{}", result.stdout);
}
