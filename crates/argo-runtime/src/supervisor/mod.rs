//! The processes behind the local runtime, all run from one program (`argo-pod-supervisor`, or
//! any binary that calls [`main_from_args`]):
//!
//! - `drive <pod-dir>`: drives one pod (see `pod`): starts containers in order, records their
//!   states in `status.json`, enforces `activeDeadlineSeconds`, honours stop requests. The
//!   runtime starts it as a child in its own process group and reaps it when it ends. It holds
//!   the pod's `supervisor.lock` for its whole life, so the runtime can tell whether a pod is
//!   being driven and start a new supervisor when it is not.
//! - `shim <pod-dir> <container>`: runs one container (see `shim`): enters the
//!   sandbox's namespaces, starts the container's first process, captures its output to the log,
//!   writes `exit.json`. It holds the container's lock until it has reported, so a container's end
//!   is observed even when the supervisor was restarted meanwhile.
//! - `init <pod-dir> <container>`: the container's PID 1 (see `init`): builds the root, starts the
//!   command, reaps orphans.
//! - `probe <scratch-dir>`: checks that the sandbox can be created.
//!
//! Every process is detached in its own process group, so killing the caller kills none of them.
//! `drive` and `shim` receive their lock as standard input (see
//! `process_group::spawn_detached`).

mod init;
pub(crate) mod pod;
mod shim;

pub(crate) use pod::StopRequest;

use std::process::ExitCode;

use crate::layout::PodDir;
use crate::sandbox::syscalls::adopt_lock_from_stdin;

/// Runs the subcommand named by the first argument; the program name must not be included.
pub fn main_from_args(args: impl IntoIterator<Item = String>) -> ExitCode {
    let args: Vec<String> = args.into_iter().collect();
    let arg = |i: usize| args.get(i).map(String::as_str);
    let lock = || adopt_lock_from_stdin().map_err(|e| format!("the lock on standard input: {e}"));
    let outcome = match (arg(0), arg(1), arg(2)) {
        (Some("drive"), Some(dir), _) => {
            lock().and_then(|lock| pod::supervise(PodDir::new(dir), lock))
        }
        (Some("shim"), Some(dir), Some(container)) => {
            lock().and_then(|lock| shim::run(&PodDir::new(dir), container, lock))
        }
        (Some("init"), Some(dir), Some(container)) => {
            return init::run(&PodDir::new(dir), container);
        }
        (Some("probe"), Some(scratch), _) => {
            crate::sandbox::probe_in_child(std::path::Path::new(scratch))
        }
        _ => Err(
            "usage: argo-pod-supervisor drive|shim|init|probe ... (started by the local runtime)"
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
