//! The container shim: one per container, in the host's PID namespace, outliving the supervisor.
//!
//! It makes the container's first process (sandboxed mode: `init`, in a new PID namespace; `init`
//! takes its own mount and UTS namespaces, so the shim keeps the host's view) and starts it in a
//! new process group, the group every signal for the container goes to; it copies
//! the process's stdout and stderr to the container log, waits for it, and writes `exit.json`
//! before releasing the container lock. It ignores the termination signals itself, so a signal
//! for the container never loses the report. It does not decide anything about the pod.

use std::fs::{File, OpenOptions};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use jiff::Timestamp;
use nix::fcntl::OFlag;
use nix::sys::signal::{SigSet, Signal};
use nix::unistd::pipe2;

use crate::launch::{ContainerLaunch, PodLaunch};
use crate::layout::{ContainerDir, PodDir, read_json, write_json_atomic};
use crate::logs::{LogStream, copy_output};
use crate::process_group::signal_group;
use crate::record::ExitReport;
use crate::sandbox::{Sandbox, link_mounts, unshare_pid};

/// How long the output of a finished container may keep flowing (from processes that escaped
/// its group in unsandboxed mode) before the shim reports without it.
const OUTPUT_DRAIN: Duration = Duration::from_secs(2);

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

    let launch: PodLaunch = read_json(&dir.launch_file())
        .map_err(|e| e.to_string())?
        .ok_or("launch.json is missing")?;
    let container = launch
        .container(name)
        .ok_or_else(|| format!("no container {name} in launch.json"))?;
    let cdir = dir.container(name);
    let started_at = Timestamp::now();
    let sandbox = container.sandbox(launch.sandbox);
    let report = match start(dir, &cdir, container, sandbox) {
        Ok(command) => {
            // Threads (the log copiers) must exist before the PID namespace is entered.
            let enter_pid_namespace = || match sandbox {
                Sandbox::Namespaces => {
                    unshare_pid().map_err(|e| format!("create the container's PID namespace: {e}"))
                }
                Sandbox::None => Ok(()),
            };
            supervise_process(&cdir, command, enter_pid_namespace, sandbox, started_at)
        }
        Err(message) => {
            append_to_log(&cdir, &message);
            ExitReport::start_error(message, Some(started_at))
        }
    };
    write_json_atomic(&cdir.exit(), &report).map_err(|e| e.to_string())
}

/// The command for the container's first process: our `init` in the sandbox, the user's
/// command itself without it.
fn start(
    dir: &PodDir,
    cdir: &ContainerDir,
    container: &ContainerLaunch,
    sandbox: Sandbox,
) -> Result<Command, String> {
    match sandbox {
        Sandbox::Namespaces => {
            let program =
                std::env::current_exe().map_err(|e| format!("find the supervisor program: {e}"))?;
            let mut command = Command::new(program);
            command.arg("init").arg(&dir.path).arg(&container.name);
            Ok(command)
        }
        Sandbox::None => {
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
            Ok(user_command(container, &working_dir))
        }
    }
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
    cdir: &ContainerDir,
    mut command: Command,
    before_spawn: impl FnOnce() -> Result<(), String>,
    sandbox: Sandbox,
    started_at: Timestamp,
) -> ExitReport {
    let fail = |message: String| {
        append_to_log(cdir, &message);
        ExitReport::start_error(message, Some(started_at))
    };
    let log = match OpenOptions::new()
        .create(true)
        .append(true)
        .open(cdir.log())
    {
        Ok(file) => Arc::new(Mutex::new(file)),
        Err(e) => return fail(format!("open the container log: {e}")),
    };
    let (done_tx, done_rx) = std::sync::mpsc::channel();
    let mut writers = Vec::new();
    for stream in [LogStream::Stdout, LogStream::Stderr] {
        let (read_end, write_end) = match pipe2(OFlag::O_CLOEXEC) {
            Ok(ends) => ends,
            Err(e) => return fail(format!("create an output pipe: {e}")),
        };
        let (log, done) = (Arc::clone(&log), done_tx.clone());
        let spawned = std::thread::Builder::new().spawn(move || {
            copy_output(File::from(read_end), stream, &log);
            let _ = done.send(());
        });
        if let Err(e) = spawned {
            return fail(format!("start the log copier: {e}"));
        }
        writers.push(write_end);
    }
    let (Some(stderr), Some(stdout)) = (writers.pop(), writers.pop()) else {
        return fail("output pipes missing".into());
    };
    if let Err(message) = before_spawn() {
        return fail(message);
    }
    command
        .stdin(Stdio::null())
        .stdout(Stdio::from(stdout))
        .stderr(Stdio::from(stderr));
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    // The termination signals are blocked in this process only; the container gets them.
    crate::sandbox::syscalls::clear_signal_mask(&mut command);
    let program = command.get_program().to_string_lossy().into_owned();
    let spawned = command.spawn();
    // The command holds our copies of the pipes' write ends: close them, or the log never ends.
    drop(command);
    let mut child = match spawned {
        Ok(child) => child,
        Err(e) => return fail(exec_error_message(&program, &e)),
    };
    let pgid = i32::try_from(child.id()).unwrap_or(0);
    let _ = std::fs::write(cdir.pgid(), pgid.to_string());
    let copiers = 2;

    let status = child.wait();
    if sandbox == Sandbox::None {
        // The container ends with its first process; what it left behind in its group goes too.
        let _ = signal_group(pgid, Signal::SIGKILL);
    }
    for _ in 0..copiers {
        if done_rx.recv_timeout(OUTPUT_DRAIN).is_err() {
            break;
        }
    }
    match status {
        Ok(status) => report_for(cdir, status, started_at),
        Err(e) => ExitReport {
            message: Some(format!("wait for the container: {e}")),
            ..ExitReport::from_status(None, Some(Signal::SIGKILL as i32), started_at)
        },
    }
}

fn report_for(cdir: &ContainerDir, status: ExitStatus, started_at: Timestamp) -> ExitReport {
    use std::os::unix::process::ExitStatusExt;
    let start_error = std::fs::read_to_string(cdir.start_error()).unwrap_or_default();
    if !start_error.trim().is_empty() {
        return ExitReport::start_error(start_error.trim().to_string(), Some(started_at));
    }
    ExitReport::from_status(status.code(), status.signal(), started_at)
}

fn append_to_log(cdir: &ContainerDir, message: &str) {
    if let Ok(file) = OpenOptions::new()
        .create(true)
        .append(true)
        .open(cdir.log())
    {
        let log = Arc::new(Mutex::new(file));
        copy_output(format!("{message}\n").as_bytes(), LogStream::Stderr, &log);
    }
}
