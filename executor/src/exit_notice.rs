//! Exit notices: how an emissary tells `wait` that it has written its container's exit code, so
//! `wait` learns it at once instead of at its next look at the file.
//!
//! The channel is a FIFO at `/var/run/argo/exit-notices` (the directory every container of the
//! pod shares). `wait` makes it and holds it open for reading and writing (so it never sees
//! end-of-file), before its first look for the exit codes; an emissary writes one byte after
//! writing its exit code. A notice is a hint, never the truth: one that cannot be sent (no FIFO,
//! nobody reading) is dropped, and `wait` reads the exit code files themselves, still looking at
//! them now and then. Must not: carry data, or block the emissary.

use std::io::Write;
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::PathBuf;

use nix::fcntl::OFlag;
use nix::sys::stat::Mode;
use tokio::io::AsyncReadExt;

use crate::layout::VarRunArgo;

fn fifo_path(layout: &VarRunArgo) -> PathBuf {
    layout.root().join("exit-notices")
}

/// Tells a listening `wait` that an exit code was written. Never blocks, never fails.
pub fn announce(layout: &VarRunArgo) {
    let opened = std::fs::OpenOptions::new()
        .write(true)
        .custom_flags(OFlag::O_NONBLOCK.bits())
        .open(fifo_path(layout));
    // ENOENT: no `wait` made the FIFO (it reads the exit code file); ENXIO: nobody reads.
    if let Ok(mut fifo) = opened {
        let _ = fifo.write_all(b"x");
    }
}

/// The reading end of the exit notices; inert when the FIFO cannot be made or opened.
#[derive(Debug)]
pub struct ExitNotices {
    fifo: Option<tokio::net::unix::pipe::Receiver>,
}

impl ExitNotices {
    /// Makes the FIFO under `layout`'s root (which must exist) and opens it.
    pub fn listen(layout: &VarRunArgo) -> Self {
        let path = fifo_path(layout);
        let usable = match std::fs::symlink_metadata(&path) {
            Ok(meta) => meta.file_type().is_fifo(),
            Err(_) => matches!(
                nix::unistd::mkfifo(&path, Mode::from_bits_truncate(0o600)),
                Ok(()) | Err(nix::errno::Errno::EEXIST)
            ),
        };
        let fifo = if usable {
            tokio::net::unix::pipe::OpenOptions::new()
                .read_write(true)
                .open_receiver(&path)
                .ok()
        } else {
            None
        };
        if fifo.is_none() {
            tracing::debug!(path = %path.display(), "no exit notices; looking for exit codes by polling only");
        }
        ExitNotices { fifo }
    }

    /// True when notices can arrive (the FIFO is open).
    pub fn is_listening(&self) -> bool {
        self.fifo.is_some()
    }

    /// Waits for the next notices (all that are pending are consumed); pends forever when inert.
    pub async fn next(&mut self) {
        let Some(fifo) = self.fifo.as_mut() else {
            return std::future::pending().await;
        };
        let mut buffer = [0u8; 64];
        match fifo.read(&mut buffer).await {
            Ok(read) if read > 0 => {}
            // Cannot happen while we hold a writing end too; never spin on it.
            _ => {
                self.fifo = None;
                std::future::pending::<()>().await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_notice_written_before_the_wait_is_still_received() {
        let scratch = tempfile::tempdir().expect("tempdir");
        let layout = VarRunArgo::new(scratch.path());
        let mut notices = ExitNotices::listen(&layout);
        assert!(notices.is_listening());
        announce(&layout);
        tokio::time::timeout(std::time::Duration::from_secs(5), notices.next())
            .await
            .expect("the notice arrives");
    }

    #[tokio::test]
    async fn announcing_without_a_listener_returns_at_once() {
        let scratch = tempfile::tempdir().expect("tempdir");
        let layout = VarRunArgo::new(scratch.path());
        announce(&layout);
        assert!(
            !fifo_path(&layout).exists(),
            "no FIFO is made by the emissary"
        );
        let made = ExitNotices::listen(&layout);
        drop(made);
        announce(&layout);
        assert!(fifo_path(&layout).exists());
    }

    #[tokio::test]
    async fn a_regular_file_in_place_of_the_fifo_leaves_notices_off() {
        let scratch = tempfile::tempdir().expect("tempdir");
        let layout = VarRunArgo::new(scratch.path());
        std::fs::write(fifo_path(&layout), b"").expect("write");
        let mut notices = ExitNotices::listen(&layout);
        assert!(!notices.is_listening());
        let waited =
            tokio::time::timeout(std::time::Duration::from_millis(20), notices.next()).await;
        assert!(waited.is_err(), "an inert listener never wakes");
    }
}
