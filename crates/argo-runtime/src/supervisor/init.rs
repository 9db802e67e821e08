//! The container's PID 1 in sandboxed mode, started in a new PID namespace and process group
//! (a copy of the runtime's zygote, or a run of the supervisor program without one), holding
//! the container's lock. It builds
//! the container's root (overlay, `/proc`, `/tmp`, volumes), starts the command with its output
//! copied to the container log, reaps every orphan until the command exits (see `reaper`), writes the
//! container's `exit.json` and exits with the command's status. Whatever the command left in
//! the namespace is killed before the report. It does not decide anything about the pod.
//!
//! Like any PID 1 without handlers it ignores SIGTERM from outside; the command, in the same
//! process group, receives it. SIGKILL ends it before it reports: whoever reaps it reports
//! then, from its exit status (the runtime, told by the zygote or reaping it itself).

use std::fs::File;
use std::io::Write;
use std::os::fd::AsFd;
use std::process::Stdio;

use jiff::Timestamp;
use nix::fcntl::{OFlag, openat, renameat};
use nix::sys::signal::SigSet;
use nix::sys::stat::Mode;
use nix::unistd::Pid;

use crate::launch::{ContainerLaunch, PodLaunch};
use crate::layout::{ContainerDir, PodDir};
use crate::logs::{LogStream, write_line};
use crate::record::ExitReport;
use crate::sandbox::enter_root;
use crate::sandbox::syscalls::{
    clear_signal_mask, close_descriptors_from, fork_and_run, place_descriptor, replace_environment,
};
use crate::supervisor::Hosted;
use crate::supervisor::output::{self, Pipes};
use crate::supervisor::reaper::Reaper;
use crate::supervisor::shim::{exec_error_message, user_command};

/// Runs the container; returns the exit code `init` ends with (the command's). `hosted`: this
/// process's own program, run in a fork rather than executed when it is the command.
pub(crate) fn run(dir: &PodDir, name: &str, lock: File, hosted: Option<&Hosted>) -> u8 {
    let cdir = dir.container(name);
    record_own_group(&cdir);
    let started_at = Timestamp::now();
    // Opened before the root changes: the pod's directory is out of sight after it.
    let opened = File::open(&cdir.path).and_then(|report_dir| Ok((report_dir, cdir.open_log()?)));
    let (report_dir, log) = match opened {
        Ok(opened) => opened,
        Err(e) => {
            eprintln!("open {}: {e}", cdir.path.display());
            return 1;
        }
    };
    if let Err(e) = cdir.mark_began() {
        eprintln!("mark the container begun: {e}");
        return 1;
    }
    let report = match start(dir, &cdir, name, hosted) {
        Ok((reaper, main, pipes)) => {
            // The container ends with its command: the reaper kills what it left behind then,
            // so its output ends and the report waits for nothing.
            let (code, signal) = reaper.tend(main, pipes, &log);
            ExitReport::from_status(code, signal, started_at)
        }
        Err(message) => {
            write_line(&log, LogStream::Stderr, &message);
            ExitReport::start_error(message, Some(started_at))
        }
    };
    if let Err(e) = write_report(&report_dir, &report) {
        eprintln!("write the exit report: {e}");
    }
    drop(lock);
    u8::try_from(report.exit_code & 0xff).unwrap_or(1)
}

/// Records this process's group (it leads one) as the supervisor does after the spawn, so the
/// container can be signalled even when the supervisor's process died before it wrote it. This
/// process is PID 1 of its own namespace; the host's `/proc`, still in place before the root
/// changes, names it as the supervisor sees it. Best effort: the supervisor writes it too.
fn record_own_group(cdir: &ContainerDir) {
    if let Ok(pid) = std::fs::read_link("/proc/self")
        && let Some(pid) = pid
            .to_str()
            .filter(|p| p.parse::<i32>().is_ok_and(|p| p > 1))
    {
        let _ = crate::layout::replace_bytes(&cdir.pgid(), pid.as_bytes());
    }
}

/// Builds the root and starts the command; returns the reaper to tend it with, its PID and the
/// pipes of its output.
fn start(
    dir: &PodDir,
    cdir: &ContainerDir,
    name: &str,
    hosted: Option<&Hosted>,
) -> Result<(Reaper, Pid, Pipes), String> {
    let launch = PodLaunch::read(dir)?;
    let container = launch.named(name)?;
    // Decided on the host's view, before the root changes: the same file either way.
    let hosted = hosted.filter(|h| h.runs(&container.argv));
    // Single-threaded until here: the mount namespace cannot be left by a process with threads.
    enter_root(cdir, container, &launch.hostname)?;
    let working_dir = std::path::PathBuf::from(container.working_dir.as_deref().unwrap_or("/"));
    std::fs::create_dir_all(&working_dir).map_err(|e| {
        format!(
            "create the working directory {}: {e}",
            working_dir.display()
        )
    })?;
    // Before the command starts, so its end cannot be missed.
    let reaper = Reaper::new()?;
    let (pipes, outputs) = output::pipes()?;
    if let Some(hosted) = hosted {
        // This process has one thread, so it may fork.
        let pid = fork_and_run(|| run_hosted(hosted, container, &working_dir, outputs))
            .map_err(|e| format!("fork the container's command: {e}"))?;
        return Ok((reaper, Pid::from_raw(pid), pipes));
    }
    let mut command = user_command(container, &working_dir);
    // The reaper blocks SIGCHLD in this process only; the command starts without it.
    clear_signal_mask(&mut command);
    command
        .stdin(Stdio::null())
        .stdout(Stdio::from(outputs.stdout))
        .stderr(Stdio::from(outputs.stderr));
    let spawned = command.spawn();
    let program = command.get_program().to_string_lossy().into_owned();
    // The command holds our copies of the pipes' write ends: close them, or the log never ends.
    drop(command);
    let child = spawned.map_err(|e| exec_error_message(&program, &e))?;
    let main = Pid::from_raw(i32::try_from(child.id()).unwrap_or(0));
    Ok((reaper, main, pipes))
}

/// In the forked command process: what an `exec` of the program would have set up (standard
/// descriptors, working directory, exactly the container's environment, no other descriptor),
/// then the program's main function.
fn run_hosted(
    hosted: &Hosted,
    container: &ContainerLaunch,
    working_dir: &std::path::Path,
    outputs: output::Outputs,
) -> u8 {
    let set_up = File::open("/dev/null")
        .and_then(|null| place_descriptor(&null, 0))
        .and_then(|()| place_descriptor(&outputs.stdout, 1))
        .and_then(|()| place_descriptor(&outputs.stderr, 2))
        .and_then(|()| std::env::set_current_dir(working_dir));
    if let Err(e) = set_up {
        eprintln!("start {}: {e}", hosted.exe.display());
        return 1;
    }
    drop(outputs);
    close_descriptors_from(3, &[]);
    // What an exec would have started with: no signal blocked (the reaper's SIGCHLD is not).
    let _ = SigSet::empty().thread_set_mask();
    replace_environment(container.env.iter().map(|(k, v)| (k, v)));
    (hosted.main)(container.argv.clone())
}

/// Writes `exit.json` whole (temporary file, fsync, rename, fsync of the directory) into the
/// container's directory, reached through `dir` now that the root has changed.
fn write_report(dir: &File, report: &ExitReport) -> std::io::Result<()> {
    const PARTIAL: &str = "exit.json.partial";
    let bytes = serde_json::to_vec(report).map_err(std::io::Error::other)?;
    let flags = OFlag::O_WRONLY | OFlag::O_CREAT | OFlag::O_TRUNC | OFlag::O_CLOEXEC;
    let fd = openat(dir.as_fd(), PARTIAL, flags, Mode::from_bits_truncate(0o644))?;
    let mut file = File::from(fd);
    file.write_all(&bytes)?;
    file.sync_all()?;
    renameat(dir.as_fd(), PARTIAL, dir.as_fd(), "exit.json")?;
    dir.sync_all()
}
