//! End-to-end support: a local-mode Argo Server (`argo_server::LocalServer`, no sandbox) on a
//! loopback port in this process, and the real `argo` binary run against it.
//!
//! Pods run as plain processes through `target/<profile>/argoexec`, which
//! `cargo nextest run --workspace` builds (or `cargo build -p executor`).

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::mpsc;

use argo_server::{LocalServer, ServerOptions};

/// A running server; stopped and its data removed on drop.
pub struct Server {
    pub address: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
    _data: tempfile::TempDir,
}

impl Server {
    /// Starts a plain-HTTP server on a free loopback port.
    pub fn start() -> Server {
        Self::start_with_configmap(None)
    }

    /// Starts a server that archives completed workflows.
    pub fn start_archiving() -> Server {
        Self::start_with_configmap(Some("persistence:\n  archive: true\n"))
    }

    /// Starts a TLS server with a self-signed certificate (Argo's default).
    pub fn start_secure() -> Server {
        Self::start_with(None, true)
    }

    fn start_with_configmap(configmap: Option<&str>) -> Server {
        Self::start_with(configmap, false)
    }

    fn start_with(configmap: Option<&str>, secure: bool) -> Server {
        let data = tempfile::Builder::new()
            .prefix("argo-cli-e2e-")
            .tempdir()
            .expect("temp dir");
        let mut options = ServerOptions::loopback(data.path());
        options.secure = secure;
        if let Some(text) = configmap {
            let path = data.path().join("workflow-controller-configmap.yaml");
            std::fs::write(&path, text).expect("write configmap");
            options.configmap = path.display().to_string();
        }
        let (ready, address) = mpsc::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .stack_size(argo_server::WORKER_STACK_BYTES)
            .spawn(move || {
                let runtime = argo_server::runtime().expect("runtime");
                runtime.block_on(async move {
                    let server = LocalServer::start(options).await.expect("server starts");
                    ready
                        .send(server.address().to_string())
                        .expect("test waits");
                    let _ = stopped.await;
                    let _ = server.shutdown().await;
                });
            })
            .expect("server thread");
        let address = address.recv().expect("server address");
        Server {
            address,
            stop: Some(stop),
            thread: Some(thread),
            _data: data,
        }
    }

    /// Runs `argo ARGS` against this server over gRPC.
    pub fn argo(&self, args: &[&str]) -> Run {
        self.argo_with(args, &[])
    }

    /// Runs `argo ARGS` against this server over REST (`ARGO_HTTP1=true`).
    pub fn argo_http1(&self, args: &[&str]) -> Run {
        self.argo_with(args, &[("ARGO_HTTP1", "true")])
    }

    /// Runs `argo ARGS` with extra environment.
    pub fn argo_with(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut command = argo_command(args);
        command
            .env("ARGO_SERVER", &self.address)
            .env("ARGO_SECURE", "false")
            .env("ARGO_NAMESPACE", "argo");
        for (key, value) in env {
            command.env(key, value);
        }
        Run::from(command.output().expect("argo runs"))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// `argo` with a clean environment for the `ARGO_*` variables.
pub fn argo_command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_argo"));
    command.args(args);
    for key in [
        "ARGO_SERVER",
        "ARGO_SECURE",
        "ARGO_HTTP1",
        "ARGO_TOKEN",
        "ARGO_NAMESPACE",
        "ARGO_BASE_HREF",
        "ARGO_INSECURE_SKIP_VERIFY",
    ] {
        command.env_remove(key);
    }
    command.env("TZ", "UTC");
    command
}

/// What one run printed and how it exited.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(output: Output) -> Self {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

impl Run {
    /// Asserts exit 0 and returns stdout.
    pub fn ok(self) -> String {
        assert_eq!(
            self.code, 0,
            "stdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self.stdout
    }

    /// Asserts a non-zero exit and returns stderr.
    pub fn failed(self) -> String {
        assert_ne!(self.code, 0, "unexpected success:\n{}", self.stdout);
        self.stderr
    }
}

/// A fixture manifest's path.
pub fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/e2e")
        .join(name)
        .display()
        .to_string()
}

/// Replaces what changes run to run (timestamps, ages and durations) with fixed tokens and
/// collapses the alignment padding those widths cause.
pub fn normalise(text: &str) -> String {
    let timestamp = regex::Regex::new(
        r"[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} [+-]\d{4} \([^)]*\)",
    )
    .expect("regex");
    let long = regex::Regex::new(r"\d+ (seconds?|minutes?|hours?)( \d+ (seconds|minutes|hours))?")
        .expect("regex");
    let short = regex::Regex::new(r"\b\d+[smhd]\b").expect("regex");
    let padding = regex::Regex::new(r" {2,}").expect("regex");
    text.lines()
        .map(|line| {
            let line = timestamp.replace_all(line, "<TIME>");
            let line = long.replace_all(&line, "<DURATION>");
            let line = short.replace_all(&line, "<D>");
            padding.replace_all(line.trim_end(), "  ").into_owned()
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// Compares with `tests/golden/<name>`, rewriting it when `UPDATE_GOLDEN` is set.
pub fn assert_golden(name: &str, actual: &str) {
    let path: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).expect("write golden");
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    pretty_assertions::assert_eq!(expected, actual, "golden {name}");
}
