//! A container's standard output and error on their way to its log: the two pipes the command
//! writes to, a copier thread per pipe, and the wait for both to drain once the command ended.
//! Used by the process that starts the command (`shim` without the sandbox; `init` in it opens
//! the pipes here and reads them itself, see `reaper`).
//! Must not: start or wait for processes.

use std::fs::File;
use std::os::fd::OwnedFd;
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use nix::fcntl::OFlag;
use nix::unistd::pipe2;

use crate::logs::{LogStream, copy_output};

/// How long the output of a finished container may keep flowing (from processes it left
/// behind) before its end is reported without the rest.
pub(crate) const OUTPUT_DRAIN: Duration = Duration::from_secs(2);

/// The copiers of one container's output.
pub(crate) struct Capture {
    done: Receiver<()>,
}

/// The ends a command writes its output to.
pub(crate) struct Outputs {
    pub(crate) stdout: OwnedFd,
    pub(crate) stderr: OwnedFd,
}

/// The ends the copiers read from.
pub(crate) struct Pipes {
    stdout: OwnedFd,
    stderr: OwnedFd,
}

/// Opens the pipes and starts their copiers into `log`.
pub(crate) fn capture(log: &Arc<Mutex<File>>) -> Result<(Capture, Outputs), String> {
    let (pipes, outputs) = pipes()?;
    Ok((copy(pipes, log)?, outputs))
}

impl Pipes {
    /// The read ends (stdout's, stderr's), for a caller that reads them itself.
    pub(crate) fn into_read_ends(self) -> (OwnedFd, OwnedFd) {
        (self.stdout, self.stderr)
    }
}

/// Opens the two pipes (close-on-exec), without copiers yet.
pub(crate) fn pipes() -> Result<(Pipes, Outputs), String> {
    let pipe = || pipe2(OFlag::O_CLOEXEC).map_err(|e| format!("create an output pipe: {e}"));
    let (stdout, stdout_write) = pipe()?;
    let (stderr, stderr_write) = pipe()?;
    Ok((
        Pipes { stdout, stderr },
        Outputs {
            stdout: stdout_write,
            stderr: stderr_write,
        },
    ))
}

/// Starts a copier thread per pipe into `log`.
pub(crate) fn copy(pipes: Pipes, log: &Arc<Mutex<File>>) -> Result<Capture, String> {
    let (done_tx, done) = std::sync::mpsc::channel();
    for (read_end, stream) in [
        (pipes.stdout, LogStream::Stdout),
        (pipes.stderr, LogStream::Stderr),
    ] {
        let (log, done) = (Arc::clone(log), done_tx.clone());
        std::thread::Builder::new()
            .name("argo-log-copier".into())
            .spawn(move || {
                copy_output(File::from(read_end), stream, &log);
                let _ = done.send(());
            })
            .map_err(|e| format!("start the log copier: {e}"))?;
    }
    Ok(Capture { done })
}

impl Capture {
    /// Waits for both pipes to reach end of output, for at most [`OUTPUT_DRAIN`] each.
    pub(crate) fn drain(self) {
        for _ in 0..2 {
            if self.done.recv_timeout(OUTPUT_DRAIN).is_err() {
                break;
            }
        }
    }
}
