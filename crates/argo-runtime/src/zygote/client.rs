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
    /// Ended before the zygote's word that it started: a container's first process tells of
    /// its own end, and may be quicker than the zygote.
    EndedBeforeStart(SyncSender<Result<i32, String>>),
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
        Self::connected(ours, Some(child))
    }

    /// A client on `ours`, whose other end a zygote serves; `child` is reaped when it ends.
    fn connected(ours: OwnedFd, child: Option<Child>) -> std::io::Result<Self> {
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
fn read_replies(socket: &OwnedFd, shared: &Shared, child: Option<Child>) {
    while let Ok(Some((reply, _))) = wire::receive::<Reply>(socket.as_fd()) {
        let mut pending = shared
            .pending
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        match reply {
            Reply::Started { id, pid } => match pending.remove(&id) {
                Some(Waiting::Start(tx, hook)) => {
                    pending.insert(id, Waiting::Running(hook));
                    let _ = tx.send(Ok(pid));
                }
                Some(Waiting::EndedBeforeStart(tx)) => {
                    let _ = tx.send(Ok(pid));
                }
                Some(other) => {
                    pending.insert(id, other);
                }
                None => {}
            },
            Reply::Failed { id, error } => {
                if let Some(Waiting::Start(tx, _)) = pending.remove(&id) {
                    let _ = tx.send(Err(error));
                }
            }
            // The first of two (the process's own, then the zygote's after reaping it) counts.
            Reply::Exited { id, code, signal } => {
                let hook = match pending.remove(&id) {
                    Some(Waiting::Running(hook)) => Some(hook),
                    Some(Waiting::Start(tx, hook)) => {
                        pending.insert(id, Waiting::EndedBeforeStart(tx));
                        Some(hook)
                    }
                    Some(ended @ Waiting::EndedBeforeStart(_)) => {
                        pending.insert(id, ended);
                        None
                    }
                    None => None,
                };
                drop(pending);
                if let Some(hook) = hook {
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
        if let Waiting::Start(tx, _) | Waiting::EndedBeforeStart(tx) = waiting {
            let _ = tx.send(Err("the zygote ended".into()));
        }
    }
    if let Some(mut child) = child {
        let _ = child.wait();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc::{Receiver, channel};

    /// An exit code or signal, as an exit hook gets them.
    type Ended = (Option<i32>, Option<i32>);

    use super::*;

    /// A client and the zygote's end of its socket, played by the test.
    fn pair() -> (Zygote, OwnedFd) {
        let (ours, theirs) = socketpair(
            AddressFamily::Unix,
            SockType::SeqPacket,
            None,
            SockFlag::SOCK_CLOEXEC,
        )
        .unwrap();
        (Zygote::connected(ours, None).unwrap(), theirs)
    }

    /// Starts a container through `zygote` on a thread; the start's outcome and the exit
    /// hook's calls come back on the returned channels.
    fn start(zygote: &Arc<Zygote>) -> (Receiver<Result<i32, String>>, Receiver<Ended>) {
        let (outcome_tx, outcome) = channel();
        let (ended_tx, ended) = channel();
        let zygote = Arc::clone(zygote);
        std::thread::spawn(move || {
            let lock = File::open("/dev/null").unwrap();
            let hook: ExitHook = Box::new(move |code, signal| {
                let _ = ended_tx.send((code, signal));
            });
            let result = zygote.start(Path::new("/pods/p"), "main", true, &lock, hook);
            let _ = outcome_tx.send(result.map_err(|e| format!("{e:?}")));
        });
        (outcome, ended)
    }

    fn request(zygote_end: &OwnedFd) -> Start {
        let (request, lock) = wire::receive::<Start>(zygote_end.as_fd()).unwrap().unwrap();
        assert!(lock.is_some(), "the lock travels with the request");
        request
    }

    #[test]
    fn the_first_word_of_an_end_counts_even_before_the_start_is_confirmed() {
        let (zygote, zygote_end) = pair();
        let zygote = Arc::new(zygote);
        let (outcome, ended) = start(&zygote);
        let id = request(&zygote_end).id;
        // The container tells of its end before the zygote confirms the start, and the zygote
        // tells of it again after reaping it.
        let exited = Reply::Exited {
            id,
            code: Some(0),
            signal: None,
        };
        wire::send(zygote_end.as_fd(), &exited, None).unwrap();
        wire::send(zygote_end.as_fd(), &Reply::Started { id, pid: 42 }, None).unwrap();
        wire::send(zygote_end.as_fd(), &exited, None).unwrap();
        let timeout = Duration::from_secs(10);
        assert_eq!(outcome.recv_timeout(timeout).unwrap(), Ok(42));
        assert_eq!(ended.recv_timeout(timeout).unwrap(), (Some(0), None));
        // A second start still works, so the duplicate left nothing stuck.
        let (outcome, ended) = start(&zygote);
        let id = request(&zygote_end).id;
        wire::send(zygote_end.as_fd(), &Reply::Started { id, pid: 43 }, None).unwrap();
        assert_eq!(outcome.recv_timeout(timeout).unwrap(), Ok(43));
        let killed = Reply::Exited {
            id,
            code: None,
            signal: Some(9),
        };
        wire::send(zygote_end.as_fd(), &killed, None).unwrap();
        assert_eq!(ended.recv_timeout(timeout).unwrap(), (None, Some(9)));
        assert!(ended.recv_timeout(Duration::from_millis(100)).is_err());
        assert!(zygote.is_alive());
    }

    #[test]
    fn a_zygote_that_ends_fails_the_waiting_start_and_is_no_longer_alive() {
        let (zygote, zygote_end) = pair();
        let zygote = Arc::new(zygote);
        let (outcome, _ended) = start(&zygote);
        request(&zygote_end);
        drop(zygote_end);
        let outcome = outcome.recv_timeout(Duration::from_secs(10)).unwrap();
        assert!(outcome.is_err_and(|e| e.contains("zygote ended")));
        assert!(!zygote.is_alive());
    }
}
