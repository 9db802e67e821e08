//! Early wake-ups for `wait`: an inotify watch on the directory of each container `wait` waits
//! for, so the exit code the emissary writes there is noticed at once rather than at the next
//! poll. It is only a hint: `wait` still polls, and behaves the same when inotify is missing.
//! Must not: read exit codes or decide anything about the containers.

use std::sync::Arc;

use nix::sys::inotify::{AddWatchFlags, InitFlags, Inotify};
use tokio::sync::Notify;

use crate::layout::VarRunArgo;

/// Wakes `wait` when a file is written or renamed into one of the watched directories.
pub struct ExitWatch {
    woken: Arc<Notify>,
}

impl ExitWatch {
    /// Watches the directories of `containers` in `layout`, making them (never the shared
    /// directory itself: its absence means the pod is gone). `None` when that cannot be done.
    ///
    /// A thread blocks reading the events (the crate has no `unsafe` to hand the descriptor to
    /// tokio's reactor); it lives as long as the process, which `wait` ends soon after.
    pub fn new(layout: &VarRunArgo, containers: &[String]) -> Option<Self> {
        let inotify = Inotify::init(InitFlags::IN_CLOEXEC).ok()?;
        for name in containers {
            let dir = layout.container(name);
            for level in [dir.parent()?, dir.as_path()] {
                match std::fs::create_dir(level) {
                    Ok(()) => {}
                    Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {}
                    Err(_) => return None,
                }
            }
            let events = AddWatchFlags::IN_CLOSE_WRITE | AddWatchFlags::IN_MOVED_TO;
            inotify.add_watch(dir.as_path(), events).ok()?;
        }
        let woken = Arc::new(Notify::new());
        let notify = Arc::clone(&woken);
        std::thread::Builder::new()
            .name("exit-watch".to_owned())
            .spawn(move || {
                while inotify.read_events().is_ok() {
                    notify.notify_one();
                }
            })
            .ok()?;
        Some(Self { woken })
    }

    /// Returns after the next change in a watched directory since the last call (a change
    /// between two calls is not lost).
    pub async fn changed(&self) {
        self.woken.notified().await;
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn a_written_exit_code_wakes_the_watch() {
        let scratch = tempfile::tempdir().expect("tempdir");
        let layout = VarRunArgo::new(scratch.path().to_path_buf());
        let watch = ExitWatch::new(&layout, &["main".to_owned()]).expect("inotify");
        assert!(
            layout.container("main").is_dir(),
            "the watched directory is made"
        );
        let waiting = tokio::time::timeout(Duration::from_millis(50), watch.changed()).await;
        assert!(waiting.is_err(), "nothing written yet");
        std::fs::write(layout.exit_code("main"), "0").expect("write");
        tokio::time::timeout(Duration::from_secs(10), watch.changed())
            .await
            .expect("woken by the write");
    }

    #[tokio::test]
    async fn no_watch_when_the_shared_directory_is_gone() {
        let scratch = tempfile::tempdir().expect("tempdir");
        let layout = VarRunArgo::new(scratch.path().join("gone"));
        assert!(ExitWatch::new(&layout, &["main".to_owned()]).is_none());
        assert!(!scratch.path().join("gone").exists());
    }
}
