//! Early wake-ups for `wait`: a FIFO in the shared directory (`exits`) that `wait` holds open
//! and an emissary writes a byte to once it has written its exit code, so main's end is noticed
//! at once rather than at the next poll. It is only a hint: `wait` still polls, and behaves the
//! same when the FIFO cannot be made or nobody writes to it.
//!
//! Not inotify: closing an inotify instance waits for an SRCU grace period (about 10 ms here),
//! and `wait` closes it on exit, right when the pod's end is waited for.
//! Must not: read exit codes or decide anything about the containers.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;

use nix::sys::stat::Mode;
use tokio::net::unix::pipe;

use crate::layout::VarRunArgo;

/// Wakes `wait` when an emissary announces an exit ([`announce_exit`]).
pub struct ExitWatch {
    fifo: pipe::Receiver,
}

impl ExitWatch {
    /// Makes the FIFO in the shared directory (never the directory itself: its absence means
    /// the pod is gone) and opens it. `None` when that cannot be done.
    pub fn new(layout: &VarRunArgo) -> Option<Self> {
        let path = layout.exits_fifo();
        match nix::unistd::mkfifo(&path, Mode::from_bits_truncate(0o622)) {
            Ok(()) | Err(nix::errno::Errno::EEXIST) => {}
            Err(_) => return None,
        }
        // Read-write: a writer closing would otherwise leave the FIFO at end-of-file, readable
        // for ever.
        let fifo = pipe::OpenOptions::new()
            .read_write(true)
            .open_receiver(&path)
            .ok()?;
        Some(Self { fifo })
    }

    /// Returns after the next announcement since the last call (one made between two calls is
    /// not lost: its byte waits in the FIFO).
    pub async fn changed(&self) {
        let mut drained = [0u8; 64];
        loop {
            if self.fifo.readable().await.is_err() {
                return std::future::pending().await;
            }
            match self.fifo.try_read(&mut drained) {
                Ok(_) => return,
                Err(error) if error.kind() == std::io::ErrorKind::WouldBlock => continue,
                Err(_) => return std::future::pending().await,
            }
        }
    }
}

/// Tells a waiting `wait` that an exit code was written. Without a reader (no `wait`, or one
/// that polls) the open fails at once and nothing happens.
pub fn announce_exit(layout: &VarRunArgo) {
    let opened = std::fs::OpenOptions::new()
        .write(true)
        .custom_flags(nix::libc::O_NONBLOCK)
        .open(layout.exits_fifo());
    if let Ok(mut fifo) = opened {
        let _ = fifo.write(b"x");
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn an_announced_exit_wakes_the_watch_once() {
        let scratch = tempfile::tempdir().expect("tempdir");
        let layout = VarRunArgo::new(scratch.path().to_path_buf());
        let watch = ExitWatch::new(&layout).expect("fifo");
        let quiet = tokio::time::timeout(Duration::from_millis(50), watch.changed()).await;
        assert!(quiet.is_err(), "nothing announced yet");
        announce_exit(&layout);
        tokio::time::timeout(Duration::from_secs(10), watch.changed())
            .await
            .expect("woken by the announcement");
        let again = tokio::time::timeout(Duration::from_millis(50), watch.changed()).await;
        assert!(again.is_err(), "one announcement wakes once");
    }

    #[tokio::test]
    async fn announcing_without_a_watch_or_a_directory_does_nothing() {
        let scratch = tempfile::tempdir().expect("tempdir");
        announce_exit(&VarRunArgo::new(scratch.path().to_path_buf()));
        assert!(!scratch.path().join("exits").exists());
        let gone = VarRunArgo::new(scratch.path().join("gone"));
        assert!(ExitWatch::new(&gone).is_none());
        assert!(!scratch.path().join("gone").exists());
    }
}
