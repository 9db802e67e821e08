//! What drives pods and runs their containers. The supervisor runs in the runtime's own process;
//! the container processes all run from one program (`argo-pod-supervisor`, or any binary that
//! calls [`main_from_args`]):
//!
//! - the supervisor (see `pod`), one thread per pod: starts containers in order, records their
//!   states in `status.json`, enforces `activeDeadlineSeconds`, honours stop requests. It holds
//!   the pod's `supervisor.lock` while it drives the pod, so a runtime can tell whether a pod is
//!   being driven and start a new supervisor when it is not (after the process that drove it died).
//! - in-process containers (see `crate::in_process`) run on a thread of the supervisor's
//!   process.
//! - `init <pod-dir> <container>`: a sandboxed container's PID 1 (see `init`), started by the
//!   supervisor in a new PID namespace: builds the root, starts the command, captures its output
//!   to the log, reaps orphans, writes `exit.json`. It holds the container's lock until it has
//!   reported, so a container's end is observed even when the supervisor was restarted meanwhile.
//! - `shim <pod-dir> <container>`: the same for a container without the sandbox (see `shim`):
//!   starts the command, captures its output, writes `exit.json`, holding the container's lock.
//! - `probe <scratch-dir>`: checks that the sandbox can be created.
//! - `zygote`: the runtime's zygote (see `crate::zygote`), which runs `init` and `shim` in
//!   copies of itself instead of as new programs.
//!
//! Every process is detached in its own process group, so killing the runtime's process kills
//! none of them. `init` and `shim` receive their lock as standard input (see
//! `process_group::spawn_detached`).

mod container_process;
mod in_process;
mod init;
mod output;
pub(crate) mod pod;
mod reaper;
mod shim;

pub(crate) use pod::{Runtime, StopRequest, supervise};

use std::process::ExitCode;

use crate::layout::PodDir;
use crate::sandbox::syscalls::adopt_stdin;

/// A program's own entry point, run in a fork of a container's `init` when the container's
/// command is that program (the zygote's own executable) instead of executing it again.
#[derive(Debug)]
pub(crate) struct Hosted {
    /// The program's executable, as `/proc/self/exe` names it.
    pub(crate) exe: std::path::PathBuf,
    /// Its main function: the full argument vector in, the exit code out.
    pub(crate) main: fn(Vec<String>) -> u8,
}

impl Hosted {
    /// True when `argv` runs this program.
    pub(crate) fn runs(&self, argv: &[String]) -> bool {
        argv.first()
            .and_then(|program| std::fs::canonicalize(program).ok())
            .is_some_and(|program| program == self.exe)
    }
}

/// Runs a container's first process in this process (a copy of the zygote): `init` when
/// `sandboxed`, else the shim's work. Returns its exit code.
pub(crate) fn container_main(
    dir: &PodDir,
    name: &str,
    sandboxed: bool,
    lock: std::fs::File,
    hosted: Option<&Hosted>,
) -> u8 {
    if sandboxed {
        return init::run(dir, name, lock, hosted);
    }
    match shim::run(dir, name, lock) {
        Ok(()) => 0,
        Err(message) => {
            eprintln!("argo-pod-supervisor: {message}");
            1
        }
    }
}

/// Runs the subcommand named by the first argument; the program name must not be included.
pub fn main_from_args(args: impl IntoIterator<Item = String>) -> ExitCode {
    let args: Vec<String> = args.into_iter().collect();
    let arg = |i: usize| args.get(i).map(String::as_str);
    let lock = || adopt_stdin().map_err(|e| format!("the lock on standard input: {e}"));
    let outcome = match (arg(0), arg(1), arg(2)) {
        (Some("shim"), Some(dir), Some(container)) => {
            lock().and_then(|lock| shim::run(&PodDir::new(dir), container, lock))
        }
        (Some("init"), Some(dir), Some(container)) => match lock() {
            Ok(lock) => return ExitCode::from(init::run(&PodDir::new(dir), container, lock, None)),
            Err(message) => Err(message),
        },
        (Some("zygote"), None, None) => return crate::zygote::serve(None),
        (Some("probe"), Some(scratch), _) => {
            crate::sandbox::probe_in_child(std::path::Path::new(scratch))
        }
        _ => Err(
            "usage: argo-pod-supervisor shim|init|probe|zygote ... (started by the local runtime)"
                .into(),
        ),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("argo-pod-supervisor: {message}");
            ExitCode::FAILURE
        }
    }
}
