//! `argoexec emissary -- cmd...`: the main container's PID 1. It links staged input artifacts
//! into place, runs the command in its own process group, forwards signals to that group (those
//! it receives and those `wait` writes to `ctr/<name>/signal`), copies stdout and stderr to the
//! container log and to `ctr/<name>/{stdout,combined}`, writes `ctr/<name>/exitcode`, and hands
//! the template's output files to `wait` under `outputs/` (before the exit code). Must not: talk to the store or the
//! artifact repository.

use std::path::Path;
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use argo_core::Template;
use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::Mutex;

use crate::container_set;
use crate::error::{Error, Result};
use crate::layout::{SCRIPT_ARG_PATH, VarRunArgo};

/// Runs `argv` as container `container` and returns the exit code the container should end with.
pub async fn run(
    layout: &VarRunArgo,
    container: &str,
    template: Option<&Template>,
    argv: &[String],
) -> Result<i32> {
    let directory = layout.container(container);
    std::fs::create_dir_all(&directory).map_err(Error::io("creating", &directory))?;
    if let Some(template) = template {
        link_input_artifacts(layout, template)?;
    }
    let argv = with_host_program(with_staged_script(layout, argv));
    let dependencies = container_set::dependencies(template, container);
    let code = match container_set::wait_for_dependencies(layout, &dependencies).await {
        Err(message) => {
            tracing::error!("{message}");
            container_set::EMISSARY_ERROR_EXIT_CODE
        }
        Ok(()) => {
            let (retries, pause) = container_set::retries(template);
            let mut attempt = 0;
            loop {
                let code = match run_command(layout, container, &argv).await {
                    Ok(code) => code,
                    // Like Argo's emissary: the exit code is still written (so `wait` ends),
                    // and the error is the container's last words.
                    Err(Error::Start { command, source })
                        if source.kind() == std::io::ErrorKind::NotFound =>
                    {
                        eprintln!(
                            "failed to find name in PATH: exec: {command:?}: executable file not found in $PATH"
                        );
                        break container_set::EMISSARY_ERROR_EXIT_CODE;
                    }
                    Err(error) => return Err(error),
                };
                if code == 0 || attempt >= retries {
                    break code;
                }
                attempt += 1;
                tracing::info!(code, attempt, "retrying the command");
                tokio::time::sleep(pause).await;
            }
        }
    };
    // Outputs first: `wait` starts collecting as soon as the exit code appears.
    if let Some(template) = template
        && container == "main"
    {
        save_outputs(layout, template);
    }
    // Whole or not at all: `wait` takes the file's existence as main's end and then reads it.
    let exit_path = layout.exit_code(container);
    let partial = exit_path.with_extension("partial");
    std::fs::write(&partial, code.to_string()).map_err(Error::io("writing", &partial))?;
    std::fs::rename(&partial, &exit_path).map_err(Error::io("writing", &exit_path))?;
    crate::exit_watch::announce_exit(layout);
    Ok(code)
}

/// Runs the command once, copying its output, and returns its exit code.
async fn run_command(layout: &VarRunArgo, container: &str, argv: &[String]) -> Result<i32> {
    // Handlers first: a signal the emissary inherited as ignored would otherwise stay ignored
    // in the command (exec keeps ignored dispositions, resets handled ones).
    let streams = signal_streams();
    let Some((program, args)) = argv.split_first() else {
        return Err(Error::Start {
            command: String::new(),
            source: std::io::Error::other("no command after --"),
        });
    };
    let mut child = tokio::process::Command::new(program)
        .args(args)
        .process_group(0)
        .stdin(Stdio::inherit())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|source| Error::Start {
            command: program.clone(),
            source,
        })?;
    let group = child
        .id()
        .and_then(|id| i32::try_from(id).ok())
        .map(Pid::from_raw);
    let open = |path: &Path| {
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map(tokio::fs::File::from_std)
            .map_err(Error::io("opening", path))
    };
    let combined = Arc::new(Mutex::new(open(&layout.combined(container))?));
    let stdout_file = open(&layout.stdout(container))?;
    let stdout = child.stdout.take().map(|out| {
        tokio::spawn(tee(
            out,
            tokio::io::stdout(),
            Some(stdout_file),
            combined.clone(),
        ))
    });
    let stderr = child
        .stderr
        .take()
        .map(|err| tokio::spawn(tee(err, tokio::io::stderr(), None, combined.clone())));
    let forwarding =
        group.map(|group| tokio::spawn(forward_signals(streams, layout.signal(container), group)));

    let status = child.wait().await.map_err(|source| Error::Start {
        command: program.clone(),
        source,
    })?;
    for copier in [stdout, stderr].into_iter().flatten() {
        let _ = copier.await;
    }
    if let Some(forwarding) = forwarding {
        forwarding.abort();
    }
    Ok(exit_code_of(status))
}

fn exit_code_of(status: std::process::ExitStatus) -> i32 {
    use std::os::unix::process::ExitStatusExt as _;
    status
        .code()
        .or_else(|| status.signal().map(|signal| 128 + signal))
        .unwrap_or(1)
}

/// An absolute program that exists only inside an image the local runtime stands in for
/// (`/argosay` of `argoproj/argosay`) is run from beside `argoexec` when that has a program of
/// the same name; anything else is left alone.
fn with_host_program(mut argv: Vec<String>) -> Vec<String> {
    let Some(program) = argv.first() else {
        return argv;
    };
    let path = Path::new(program);
    if !path.is_absolute() || path.exists() {
        return argv;
    }
    let beside = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.canonicalize().ok())
        .and_then(|exe| Some(exe.parent()?.join(path.file_name()?)));
    if let Some(beside) = beside.filter(|b| b.is_file()) {
        argv[0] = beside.to_string_lossy().into_owned();
    }
    argv
}

/// The pod renderer passes the script at `/argo/staging/script`; `init` staged it in the shared
/// directory, which is what the command reads.
fn with_staged_script(layout: &VarRunArgo, argv: &[String]) -> Vec<String> {
    let staged = layout.script();
    argv.iter()
        .map(|arg| {
            if arg == SCRIPT_ARG_PATH && !Path::new(SCRIPT_ARG_PATH).exists() && staged.exists() {
                staged.to_string_lossy().into_owned()
            } else {
                arg.clone()
            }
        })
        .collect()
}

/// Links `inputs/artifacts/<name>` at each input artifact's path, replacing what was there.
pub fn link_input_artifacts(layout: &VarRunArgo, template: &Template) -> Result<()> {
    for artifact in &template.inputs.artifacts {
        let source = layout.input_artifact(&artifact.name);
        if artifact.path.is_empty() || std::fs::symlink_metadata(&source).is_err() {
            continue;
        }
        let target = Path::new(&artifact.path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(Error::io("creating", parent))?;
        }
        argo_artifact::archive::remove_existing(target)?;
        std::os::unix::fs::symlink(&source, target).map_err(Error::io("linking", target))?;
    }
    Ok(())
}

/// Copies each declared output file to `outputs/` for `wait`; a missing file is left for `wait`
/// to judge (it may have a default or be optional).
pub fn save_outputs(layout: &VarRunArgo, template: &Template) {
    for parameter in &template.outputs.parameters {
        let Some(path) = parameter.value_from.as_ref().map(|v| v.path.as_str()) else {
            continue;
        };
        if path.is_empty() || !Path::new(path).exists() {
            continue;
        }
        let target = layout.output_parameter(path);
        let copied = target
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::copy(path, &target));
        if let Err(error) = copied {
            tracing::warn!(path, %error, "cannot save output parameter");
        }
    }
    for artifact in &template.outputs.artifacts {
        let path = artifact.path.as_str();
        if path.is_empty() || !Path::new(path).exists() {
            continue;
        }
        let target = layout.output_artifact(path);
        match crate::handover::copy_tree(Path::new(path), &target) {
            Ok(skipped) => {
                for skipped in skipped {
                    tracing::info!(path = %skipped.display(), "not handed over: dangling link or special file");
                }
            }
            Err(error) => tracing::warn!(path, %error, "cannot save output artifact"),
        }
    }
}

async fn tee(
    mut source: impl AsyncRead + Unpin,
    mut console: impl AsyncWrite + Unpin,
    mut capture: Option<tokio::fs::File>,
    combined: Arc<Mutex<tokio::fs::File>>,
) {
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let read = match source.read(&mut buffer).await {
            Ok(0) | Err(_) => break,
            Ok(read) => read,
        };
        let chunk = &buffer[..read];
        let _ = console.write_all(chunk).await;
        let _ = console.flush().await;
        if let Some(file) = capture.as_mut() {
            let _ = file.write_all(chunk).await;
        }
        let _ = combined.lock().await.write_all(chunk).await;
    }
    if let Some(file) = capture.as_mut() {
        let _ = file.flush().await;
    }
    let _ = combined.lock().await.flush().await;
}

type SignalStreams = Vec<(tokio::signal::unix::Signal, Signal)>;

/// Handlers for SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1 and SIGUSR2, with the signal each one
/// forwards.
fn signal_streams() -> SignalStreams {
    use tokio::signal::unix::{SignalKind, signal};
    let kinds = [
        (SignalKind::terminate(), Signal::SIGTERM),
        (SignalKind::interrupt(), Signal::SIGINT),
        (SignalKind::hangup(), Signal::SIGHUP),
        (SignalKind::quit(), Signal::SIGQUIT),
        (SignalKind::user_defined1(), Signal::SIGUSR1),
        (SignalKind::user_defined2(), Signal::SIGUSR2),
    ];
    kinds
        .into_iter()
        .filter_map(|(kind, forwarded)| signal(kind).ok().map(|stream| (stream, forwarded)))
        .collect()
}

/// Forwards the signals the emissary receives, and signal numbers written to `signal_file`, to
/// the command's process group.
async fn forward_signals(streams: SignalStreams, signal_file: std::path::PathBuf, group: Pid) {
    for (mut stream, forwarded) in streams {
        tokio::spawn(async move {
            while stream.recv().await.is_some() {
                let _ = killpg(group, forwarded);
            }
        });
    }
    loop {
        if let Ok(text) = std::fs::read_to_string(&signal_file) {
            let _ = std::fs::remove_file(&signal_file);
            if let Some(signal) = text
                .trim()
                .parse::<i32>()
                .ok()
                .and_then(|n| Signal::try_from(n).ok())
            {
                let sent = killpg(group, signal);
                tracing::info!(%signal, %group, ?sent, "forwarding signal from the signal file");
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[cfg(test)]
#[path = "emissary_tests.rs"]
mod tests;
