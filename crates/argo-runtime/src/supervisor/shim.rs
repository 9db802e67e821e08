//! The container shim of a container without the sandbox (the unsandboxed mode, or a container
//! on the host): one per container, in its own process group, outliving the supervisor.
//!
//! It links the container's volumes at their mount paths, starts the command in a new process
//! group (the group every signal for the container goes to), copies its stdout and stderr to the
//! container log, waits for it, kills what it left in its group, and writes `exit.json` before
//! releasing the container lock. It ignores the termination signals itself, so a signal for the
//! container never loses the report. It does not decide anything about the pod. (A sandboxed
//! container needs no shim: its `init` reports itself.)

use std::fs::File;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};

use jiff::Timestamp;
use nix::sys::signal::{SigSet, Signal};

use crate::launch::{ContainerLaunch, PodLaunch};
use crate::layout::{ContainerDir, PodDir, replace_bytes, write_json_atomic};
use crate::logs::{LogStream, write_line};
use crate::process_group::signal_group;
use crate::record::ExitReport;
use crate::sandbox::link_mounts;
use crate::supervisor::output;

pub(crate) fn run(dir: &PodDir, name: &str, _lock: File) -> Result<(), String> {
    let mut shielded = SigSet::empty();
    for signal in [
        Signal::SIGTERM,
        Signal::SIGINT,
        Signal::SIGHUP,
        Signal::SIGQUIT,
        Signal::SIGUSR1,
        Signal::SIGUSR2,
    ] {
        shielded.add(signal);
    }
    shielded
        .thread_block()
        .map_err(|e| format!("block signals: {e}"))?;

    let cdir = dir.container(name);
    cdir.mark_began()
        .map_err(|e| format!("mark the container begun: {e}"))?;
    let launch = PodLaunch::read(dir)?;
    let container = launch.named(name)?;
    let started_at = Timestamp::now();
    let log = cdir
        .open_log()
        .map_err(|e| format!("open the container log: {e}"))?;
    let report = match start(dir, &cdir, container) {
        Ok(command) => supervise_process(command, &cdir, &log, started_at),
        Err(message) => {
            write_line(&log, LogStream::Stderr, &message);
            ExitReport::start_error(message, Some(started_at))
        }
    };
    write_json_atomic(&cdir.exit(), &report).map_err(|e| e.to_string())
}

/// The container's own command, in the pod's scratch directory unless it names one, with its
/// volumes linked at their mount paths.
fn start(
    dir: &PodDir,
    cdir: &ContainerDir,
    container: &ContainerLaunch,
) -> Result<Command, String> {
    let links = link_mounts(container)?;
    if !links.is_empty() {
        write_json_atomic(&cdir.host_links(), &links).map_err(|e| e.to_string())?;
    }
    let scratch = dir.scratch();
    std::fs::create_dir_all(scratch.join("tmp"))
        .map_err(|e| format!("create {}: {e}", scratch.display()))?;
    let working_dir = container.working_dir.as_ref().map_or(scratch, Into::into);
    std::fs::create_dir_all(&working_dir)
        .map_err(|e| format!("create {}: {e}", working_dir.display()))?;
    let mut command = user_command(container, &working_dir);
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    // The termination signals are blocked in this process only; the container gets them.
    crate::sandbox::syscalls::clear_signal_mask(&mut command);
    Ok(command)
}

/// The container's own command, with exactly its environment.
pub(crate) fn user_command(container: &ContainerLaunch, working_dir: &std::path::Path) -> Command {
    let program = container.argv.first().map_or("", String::as_str);
    let mut command = Command::new(program);
    command
        .args(container.argv.get(1..).unwrap_or_default())
        .env_clear()
        .envs(container.env.iter().map(|(k, v)| (k, v)))
        .current_dir(working_dir);
    command
}

/// The message the kubelet gives when a container's command cannot be executed.
pub(crate) fn exec_error_message(program: &str, error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => {
            format!("exec: \"{program}\": executable file not found in $PATH")
        }
        _ => format!("exec: \"{program}\": {error}"),
    }
}

fn supervise_process(
    mut command: Command,
    cdir: &ContainerDir,
    log: &Arc<Mutex<File>>,
    started_at: Timestamp,
) -> ExitReport {
    let fail = |message: String| {
        write_line(log, LogStream::Stderr, &message);
        ExitReport::start_error(message, Some(started_at))
    };
    let (capture, outputs) = match output::capture(log) {
        Ok(captured) => captured,
        Err(message) => return fail(message),
    };
    command
        .stdin(Stdio::null())
        .stdout(Stdio::from(outputs.stdout))
        .stderr(Stdio::from(outputs.stderr));
    let program = command.get_program().to_string_lossy().into_owned();
    let spawned = command.spawn();
    // The command holds our copies of the pipes' write ends: close them, or the log never ends.
    drop(command);
    let mut child = match spawned {
        Ok(child) => child,
        Err(e) => return fail(exec_error_message(&program, &e)),
    };
    let pgid = i32::try_from(child.id()).unwrap_or(0);
    let _ = replace_bytes(&cdir.pgid(), pgid.to_string().as_bytes());
    let status = child.wait();
    // The container ends with its first process; what it left behind in its group goes too.
    let _ = signal_group(pgid, Signal::SIGKILL);
    capture.drain();
    match status {
        Ok(status) => {
            use std::os::unix::process::ExitStatusExt;
            ExitReport::from_status(status.code(), status.signal(), started_at)
        }
        Err(e) => ExitReport {
            message: Some(format!("wait for the container: {e}")),
            ..ExitReport::from_status(None, Some(Signal::SIGKILL as i32), started_at)
        },
    }
}
