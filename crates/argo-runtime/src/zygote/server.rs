//! The zygote process: a single-threaded loop that starts containers as copies of itself (no
//! `exec`), reaps them and reports their ends. It takes start requests from the runtime on its
//! standard input (a socket) and ends when the runtime closes it; the containers it started run
//! on. Must not: start a thread (its copies rely on a single-threaded parent), decide anything
//! about a pod.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::process::ExitCode;

use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::sys::signal::{SigSet, SigmaskHow, Signal, sigprocmask};
use nix::sys::signalfd::{SfdFlags, SignalFd};
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::Pid;

use crate::layout::PodDir;
use crate::sandbox::syscalls::{
    adopt_stdin, close_descriptors_from, copy_process, place_descriptor,
};
use crate::supervisor::{Hosted, container_main};
use crate::zygote::wire::{self, Reply, Start};

/// The stack of each copy's first thread (only touched pages cost memory).
const STACK: usize = 8 * 1024 * 1024;

/// Serves start requests until the runtime closes the socket on standard input.
pub(crate) fn serve(hosted: Option<&Hosted>) -> ExitCode {
    match serve_loop(hosted) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("argo zygote: {message}");
            ExitCode::FAILURE
        }
    }
}

fn serve_loop(hosted: Option<&Hosted>) -> Result<(), String> {
    let socket =
        OwnedFd::from(adopt_stdin().map_err(|e| format!("the socket on standard input: {e}"))?);
    let mut children = SigSet::empty();
    children.add(Signal::SIGCHLD);
    sigprocmask(SigmaskHow::SIG_BLOCK, Some(&children), None)
        .map_err(|e| format!("block SIGCHLD: {e}"))?;
    let exits = SignalFd::with_flags(&children, SfdFlags::SFD_NONBLOCK | SfdFlags::SFD_CLOEXEC)
        .map_err(|e| format!("signalfd: {e}"))?;
    let mut stack = vec![0u8; STACK];
    let mut running: HashMap<i32, u64> = HashMap::new();
    loop {
        let (requests, ended) = {
            let mut fds = [
                PollFd::new(socket.as_fd(), PollFlags::POLLIN),
                PollFd::new(exits.as_fd(), PollFlags::POLLIN),
            ];
            match poll(&mut fds, PollTimeout::NONE) {
                Ok(_) | Err(nix::errno::Errno::EINTR) => {}
                Err(e) => return Err(format!("poll: {e}")),
            }
            let ready = |fd: &PollFd<'_>| fd.revents().is_some_and(|r| !r.is_empty());
            (ready(&fds[0]), ready(&fds[1]))
        };
        if ended {
            while let Ok(Some(_)) = exits.read_signal() {}
            reap(&socket, &mut running);
        }
        if requests {
            match wire::receive::<Start>(socket.as_fd()) {
                Ok(Some((request, Some(lock)))) => {
                    let id = request.id;
                    let reply = match start(&request, lock, &socket, hosted, &mut stack) {
                        Ok(pid) => {
                            running.insert(pid, id);
                            Reply::Started { id, pid }
                        }
                        Err(error) => Reply::Failed { id, error },
                    };
                    wire::send(socket.as_fd(), &reply, None).map_err(|e| format!("reply: {e}"))?;
                }
                Ok(Some((request, None))) => {
                    let reply = Reply::Failed {
                        id: request.id,
                        error: "the request carried no lock".into(),
                    };
                    wire::send(socket.as_fd(), &reply, None).map_err(|e| format!("reply: {e}"))?;
                }
                // The runtime is gone: so is this process; the containers run on.
                Ok(None) => return Ok(()),
                Err(e) => return Err(format!("receive: {e}")),
            }
        }
    }
}

/// Reaps every ended child and reports each to the runtime.
fn reap(socket: &OwnedFd, running: &mut HashMap<i32, u64>) {
    loop {
        let (pid, code, signal) = match waitpid(Pid::from_raw(-1), Some(WaitPidFlag::WNOHANG)) {
            Ok(WaitStatus::Exited(pid, code)) => (pid, Some(code), None),
            Ok(WaitStatus::Signaled(pid, signal, _)) => (pid, None, Some(signal as i32)),
            Ok(WaitStatus::StillAlive) | Err(_) => return,
            Ok(_) => continue,
        };
        if let Some(id) = running.remove(&pid.as_raw()) {
            let _ = wire::send(socket.as_fd(), &Reply::Exited { id, code, signal }, None);
        }
    }
}

/// Starts the container's first process as a copy of this one; its PID. The copy keeps the
/// socket to tell the runtime of its end itself, as soon as its report is written and its lock
/// released: its exit, the teardown of its namespaces, can take longer than all that.
fn start(
    request: &Start,
    lock: OwnedFd,
    socket: &OwnedFd,
    hosted: Option<&Hosted>,
    stack: &mut [u8],
) -> Result<i32, String> {
    let dir = PodDir::new(&request.pod_dir);
    let log = OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.container(&request.container).shim_log())
        .map_err(|e| format!("open the container's process log: {e}"))?;
    let null = File::open("/dev/null").map_err(|e| format!("open /dev/null: {e}"))?;
    let mut lock = Some(File::from(lock));
    let mut child = || {
        let Some(lock) = lock.take() else { return 1 };
        // As a freshly started program would be: no signal blocked, only its own descriptors,
        // its own process group, standard output and error to the process log.
        let _ = sigprocmask(SigmaskHow::SIG_SETMASK, Some(&SigSet::empty()), None);
        let placed = place_descriptor(&null, 0)
            .and_then(|()| place_descriptor(&log, 1))
            .and_then(|()| place_descriptor(&log, 2));
        if placed.is_err() {
            return 1;
        }
        close_descriptors_from(3, &[lock.as_raw_fd(), socket.as_raw_fd()]);
        let _ = nix::unistd::setpgid(Pid::from_raw(0), Pid::from_raw(0));
        let code = container_main(&dir, &request.container, request.sandboxed, lock, hosted);
        // The report is written and the lock released (both before `container_main` returns):
        // the runtime may look now. The zygote's word after reaping this process comes later
        // and is ignored.
        let ended = Reply::Exited {
            id: request.id,
            code: Some(i32::from(code)),
            signal: None,
        };
        let _ = wire::send(socket.as_fd(), &ended, None);
        code
    };
    copy_process(request.sandboxed, stack, &mut child).map_err(|e| format!("clone: {e}"))
}
