//! The runtime's side of its zygote: starts the zygote process, sends it start requests from
//! any supervisor thread and hands each container's end to the hook its starter left. Must not:
//! decide how a container's end is recorded (the hooks do).

use std::collections::HashMap;
use std::fs::File;
use std::os::fd::{AsFd, OwnedFd};
use std::path::Path;
use std::process::Child;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{SyncSender, sync_channel};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use nix::sys::socket::{AddressFamily, Shutdown, SockFlag, SockType, shutdown, socketpair};

use crate::process_group::spawn_detached;
use crate::zygote::ZygoteProgram;
use crate::zygote::wire::{self, Reply, Start};

/// How long a start may take before the zygote is given up on.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// Called once with the exit code or signal of a container's first process.
pub(crate) type ExitHook = Box<dyn FnOnce(Option<i32>, Option<i32>) + Send>;

enum Waiting {
    Start(SyncSender<Result<i32, String>>, ExitHook),
    Running(ExitHook),
}

struct Shared {
    pending: Mutex<HashMap<u64, Waiting>>,
    alive: AtomicBool,
}

/// Why a start through the zygote did not happen.
#[derive(Debug)]
pub(crate) enum StartError {
    /// The request never reached a zygote: nothing started, another way may start it.
    Unavailable(String),
    /// The zygote failed to start it, or may have started it without answering.
    Failed(String),
}

/// A running zygote.
pub(crate) struct Zygote {
    socket: Mutex<OwnedFd>,
    shared: Arc<Shared>,
    next_id: AtomicU64,
}

impl Zygote {
    /// Starts the zygote process (its output appended to `log`) and the thread that reads it.
    pub(crate) fn spawn(program: &ZygoteProgram, log: &Path) -> std::io::Result<Self> {
        let (ours, theirs) = socketpair(
            AddressFamily::Unix,
            SockType::SeqPacket,
            None,
            SockFlag::SOCK_CLOEXEC,
        )?;
        let args: Vec<&str> = program.args.iter().map(String::as_str).collect();
        let child = spawn_detached(&program.program, &args, &File::from(theirs), log)?;
        let shared = Arc::new(Shared {
            pending: Mutex::new(HashMap::new()),
            alive: AtomicBool::new(true),
        });
        let reader = ours.try_clone()?;
        let for_reader = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("argo-zygote-reader".into())
            .stack_size(256 * 1024)
            .spawn(move || read_replies(&reader, &for_reader, child))?;
        Ok(Self {
            socket: Mutex::new(ours),
            shared,
            next_id: AtomicU64::new(1),
        })
    }

    /// False once the zygote ended or stopped answering.
    pub(crate) fn is_alive(&self) -> bool {
        self.shared.alive.load(Ordering::Acquire)
    }

    /// Starts container `container` of the pod in `pod_dir`, handing over `lock`; returns the
    /// PID of its first process. `on_exit` runs when that process ends.
    pub(crate) fn start(
        &self,
        pod_dir: &Path,
        container: &str,
        sandboxed: bool,
        lock: &File,
        on_exit: ExitHook,
    ) -> Result<i32, StartError> {
        if !self.is_alive() {
            return Err(StartError::Unavailable("the zygote has ended".into()));
        }
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = sync_channel(1);
        self.pending().insert(id, Waiting::Start(tx, on_exit));
        let request = Start {
            id,
            pod_dir: pod_dir.to_path_buf(),
            container: container.to_owned(),
            sandboxed,
        };
        let sent = {
            let socket = self.socket.lock().unwrap_or_else(PoisonError::into_inner);
            wire::send(socket.as_fd(), &request, Some(lock.as_fd()))
        };
        if let Err(e) = sent {
            self.pending().remove(&id);
            self.shared.alive.store(false, Ordering::Release);
            return Err(StartError::Unavailable(format!("send to the zygote: {e}")));
        }
        match rx.recv_timeout(START_TIMEOUT) {
            Ok(outcome) => outcome.map_err(StartError::Failed),
            Err(_) => {
                // The zygote is stuck or gone after it read the request: it may have started
                // the container, so the container must not be started another way.
                self.shared.alive.store(false, Ordering::Release);
                Err(StartError::Failed("the zygote did not answer".into()))
            }
        }
    }

    fn pending(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Waiting>> {
        self.shared
            .pending
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

impl Drop for Zygote {
    fn drop(&mut self) {
        // The zygote ends when it reads the end of its requests; the reader thread then too.
        let socket = self.socket.lock().unwrap_or_else(PoisonError::into_inner);
        let _ = shutdown(std::os::fd::AsRawFd::as_raw_fd(&*socket), Shutdown::Write);
    }
}

/// Reads the zygote's replies until it ends, then reaps it.
fn read_replies(socket: &OwnedFd, shared: &Shared, mut child: Child) {
    while let Ok(Some((reply, _))) = wire::receive::<Reply>(socket.as_fd()) {
        let mut pending = shared
            .pending
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        match reply {
            Reply::Started { id, pid } => {
                if let Some(Waiting::Start(tx, hook)) = pending.remove(&id) {
                    pending.insert(id, Waiting::Running(hook));
                    let _ = tx.send(Ok(pid));
                }
            }
            Reply::Failed { id, error } => {
                if let Some(Waiting::Start(tx, _)) = pending.remove(&id) {
                    let _ = tx.send(Err(error));
                }
            }
            Reply::Exited { id, code, signal } => {
                let hook = pending.remove(&id);
                drop(pending);
                if let Some(Waiting::Running(hook) | Waiting::Start(_, hook)) = hook {
                    hook(code, signal);
                }
            }
        }
    }
    shared.alive.store(false, Ordering::Release);
    // Starts still waiting learn that the zygote is gone; running containers' ends are then
    // seen by their supervisors' ticks (their locks).
    let waiting: Vec<Waiting> = shared
        .pending
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .drain()
        .map(|(_, w)| w)
        .collect();
    for waiting in waiting {
        if let Waiting::Start(tx, _) = waiting {
            let _ = tx.send(Err("the zygote ended".into()));
        }
    }
    let _ = child.wait();
}
