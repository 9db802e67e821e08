//! A sandboxed container's `init`, after it started the command: one thread that reaps every
//! child and copies the command's output to the log, until the command ended and its output
//! drained. Children's ends arrive through a signalfd (SIGCHLD blocked), output through the
//! pipes, both in one `poll`: no copier threads to start, and nothing to wake across threads
//! when the command ends, so `init` reports as soon as the kernel has closed its output.
//!
//! Must not: start processes, or be used by a process with other threads (the blocked SIGCHLD
//! is this thread's alone; a child starting with it blocked must clear it).

use std::fs::File;
use std::os::fd::{AsFd, OwnedFd};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use nix::errno::Errno;
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::sys::signal::{SigSet, Signal, kill};
use nix::sys::signalfd::{SfdFlags, SignalFd};
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::{Pid, read};

use crate::logs::{LineRecords, LogStream};
use crate::supervisor::output::{OUTPUT_DRAIN, Pipes};

/// How the command ended: its exit code, or the signal that ended it.
pub(crate) type Ending = (Option<i32>, Option<i32>);

/// Children's ends, as a descriptor `poll` can wait on.
pub(crate) struct Reaper {
    children: SignalFd,
}

impl Reaper {
    /// Blocks SIGCHLD for this thread and opens its signalfd. Call it before any child starts:
    /// a SIGCHLD delivered unblocked is discarded, and that end would be seen only by chance.
    pub(crate) fn new() -> Result<Self, String> {
        let mask = SigSet::from(Signal::SIGCHLD);
        mask.thread_block()
            .map_err(|e| format!("block SIGCHLD: {e}"))?;
        let children = SignalFd::with_flags(&mask, SfdFlags::SFD_CLOEXEC | SfdFlags::SFD_NONBLOCK)
            .map_err(|e| format!("open a signalfd: {e}"))?;
        Ok(Self { children })
    }

    /// Reaps and copies until `main` ended and both pipes reached end of output, or
    /// [`OUTPUT_DRAIN`] after `main` ended. Whatever else runs when `main` ends is killed, so its
    /// output ends too.
    pub(crate) fn tend(self, main: Pid, pipes: Pipes, log: &Arc<Mutex<File>>) -> Ending {
        let (stdout, stderr) = pipes.into_read_ends();
        let mut streams = [
            Stream::new(stdout, LogStream::Stdout),
            Stream::new(stderr, LogStream::Stderr),
        ];
        let mut buffer = vec![0; 64 * 1024];
        let mut ending = None;
        let mut deadline = None;
        loop {
            let reaped = reap(main);
            if ending.is_none()
                && let Some(ended) = reaped
            {
                ending = Some(ended);
                deadline = Some(Instant::now() + OUTPUT_DRAIN);
                let _ = kill(Pid::from_raw(-1), Signal::SIGKILL);
            }
            let open = streams.iter().any(Stream::is_open);
            let timeout = match deadline {
                Some(deadline) => {
                    let left = deadline.saturating_duration_since(Instant::now());
                    if !open || left.is_zero() {
                        break;
                    }
                    PollTimeout::try_from(left).unwrap_or(PollTimeout::MAX)
                }
                None => PollTimeout::NONE,
            };
            let mut wanted = vec![PollFd::new(self.children.as_fd(), PollFlags::POLLIN)];
            let open_streams: Vec<usize> = (0..streams.len())
                .filter(|&index| streams[index].is_open())
                .collect();
            for &index in &open_streams {
                if let Some(fd) = &streams[index].pipe {
                    wanted.push(PollFd::new(fd.as_fd(), PollFlags::POLLIN));
                }
            }
            match poll(&mut wanted, timeout) {
                Ok(_) | Err(Errno::EINTR) => {}
                // Cannot wait on the descriptors: wait for the command alone, as a last resort.
                Err(_) => {
                    drop(wanted);
                    return finish(ending.unwrap_or_else(|| reap_blocking(main)), streams, log);
                }
            }
            let ready: Vec<bool> = wanted.iter().map(|fd| fd.any().unwrap_or(false)).collect();
            drop(wanted);
            if ready[0] {
                // Drained so the signalfd stops being readable; `reap` collects the children.
                while let Ok(Some(_)) = self.children.read_signal() {}
            }
            for (&index, &ready) in open_streams.iter().zip(&ready[1..]) {
                if ready {
                    streams[index].read_into(&mut buffer, log);
                }
            }
        }
        finish(ending.unwrap_or((Some(1), None)), streams, log)
    }
}

/// One output pipe and the records its bytes make.
struct Stream {
    pipe: Option<OwnedFd>,
    records: LineRecords,
}

impl Stream {
    fn new(pipe: OwnedFd, stream: LogStream) -> Self {
        Self {
            pipe: Some(pipe),
            records: LineRecords::new(stream),
        }
    }

    fn is_open(&self) -> bool {
        self.pipe.is_some()
    }

    /// One read (the pipe is readable, so it does not block); at end of output, the rest of
    /// the last line is written and the pipe closed.
    fn read_into(&mut self, buffer: &mut [u8], log: &Arc<Mutex<File>>) {
        let Some(pipe) = &self.pipe else { return };
        match read(pipe, buffer) {
            Ok(0) => self.close(log),
            Ok(count) => self.records.feed(&buffer[..count], log),
            Err(Errno::EINTR | Errno::EAGAIN) => {}
            Err(_) => self.close(log),
        }
    }

    fn close(&mut self, log: &Arc<Mutex<File>>) {
        self.records.finish(log);
        self.pipe = None;
    }
}

/// The last lines of every stream written, then `ending`.
fn finish(ending: Ending, streams: [Stream; 2], log: &Arc<Mutex<File>>) -> Ending {
    for mut stream in streams {
        stream.close(log);
    }
    ending
}

/// Reaps every child that has ended; how `main` ended, if it was among them. With no child
/// left at all, `main` is lost: it ended unseen, which counts as a failure.
fn reap(main: Pid) -> Option<Ending> {
    let mut ending = None;
    loop {
        match waitpid(Pid::from_raw(-1), Some(WaitPidFlag::WNOHANG)) {
            Ok(WaitStatus::Exited(pid, code)) if pid == main => ending = Some((Some(code), None)),
            Ok(WaitStatus::Signaled(pid, signal, _)) if pid == main => {
                ending = Some((None, Some(signal as i32)));
            }
            Ok(WaitStatus::StillAlive) => return ending,
            Ok(_) | Err(Errno::EINTR) => {}
            Err(_) => return ending.or(Some((Some(1), None))),
        }
    }
}

/// Waits for `main` without the signalfd: every child is reaped until it ends.
fn reap_blocking(main: Pid) -> Ending {
    loop {
        match waitpid(Pid::from_raw(-1), None) {
            Ok(WaitStatus::Exited(pid, code)) if pid == main => return (Some(code), None),
            Ok(WaitStatus::Signaled(pid, signal, _)) if pid == main => {
                return (None, Some(signal as i32));
            }
            Ok(_) | Err(Errno::EINTR) => {}
            Err(_) => return (Some(1), None),
        }
    }
}
