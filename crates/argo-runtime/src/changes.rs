//! Change notices from pod supervisors to the runtime, so the runtime learns that a pod's
//! record changed the moment it is written instead of at its next scan of the state directory.
//!
//! The channel is a FIFO at `<root>/changes.fifo`. The runtime holds it open for reading (and
//! writing, so it never sees end-of-file); a supervisor writes one line `namespace/name` after
//! each write of its pod's `status.json`. Lines are far shorter than `PIPE_BUF`, so concurrent
//! writers never interleave. Notices are hints, never the truth: a notice that cannot be sent
//! (no reader, full pipe) is dropped, and the runtime's periodic scan still finds the change.
//! This module moves names only; it reads no record and decides nothing.

use std::io::Write;
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use nix::fcntl::OFlag;
use nix::sys::stat::Mode;

/// The FIFO's path under the runtime's root directory.
pub(crate) fn fifo_path(root: &Path) -> PathBuf {
    root.join("changes.fifo")
}

/// The runtime's root directory of a pod directory (`<root>/pods/<namespace>/<name>`).
fn root_of_pod_dir(pod_dir: &Path) -> Option<&Path> {
    pod_dir.parent()?.parent()?.parent()
}

/// Announces that the record of the pod in `pod_dir` changed. Best effort: never blocks and
/// never fails (the runtime's scan is the fallback).
pub(crate) fn announce(pod_dir: &Path) {
    let (Some(root), Some(name), Some(namespace)) = (
        root_of_pod_dir(pod_dir),
        pod_dir.file_name().and_then(|n| n.to_str()),
        pod_dir
            .parent()
            .and_then(Path::file_name)
            .and_then(|n| n.to_str()),
    ) else {
        return;
    };
    let opened = std::fs::OpenOptions::new()
        .write(true)
        .custom_flags(OFlag::O_NONBLOCK.bits())
        .open(fifo_path(root));
    // ENXIO: nobody reads (the runtime is not running); ENOENT: no runtime made the FIFO yet.
    if let Ok(mut fifo) = opened {
        let _ = fifo.write_all(format!("{namespace}/{name}\n").as_bytes());
    }
}

/// Creates the FIFO under `root` unless it exists; `false` when it cannot be used (a non-FIFO
/// file in its place, or a filesystem without FIFOs).
pub(crate) fn ensure_fifo(root: &Path) -> bool {
    let path = fifo_path(root);
    match std::fs::symlink_metadata(&path) {
        Ok(meta) => meta.file_type().is_fifo(),
        Err(_) => match nix::unistd::mkfifo(&path, Mode::from_bits_truncate(0o600)) {
            Ok(()) | Err(nix::errno::Errno::EEXIST) => true,
            Err(error) => {
                tracing::warn!(path = %path.display(), %error, "cannot create the change FIFO; pods are noticed by scanning only");
                false
            }
        },
    }
}

/// Parses one notice line into a namespace and a pod name.
pub(crate) fn parse_notice(line: &str) -> Option<(String, String)> {
    let (namespace, name) = line.trim_end().split_once('/')?;
    if namespace.is_empty() || name.is_empty() || name.contains('/') {
        return None;
    }
    Some((namespace.to_string(), name.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn a_notice_names_the_pod_of_its_directory() {
        let root = tempfile::tempdir().expect("tempdir");
        assert!(ensure_fifo(root.path()));
        assert!(ensure_fifo(root.path()), "an existing FIFO is reused");
        let mut reader = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(fifo_path(root.path()))
            .expect("open the FIFO");
        announce(&root.path().join("pods").join("argo").join("step-1"));
        let mut buffer = [0u8; 64];
        let read = reader.read(&mut buffer).expect("read a notice");
        let line = std::str::from_utf8(&buffer[..read]).expect("utf-8");
        assert_eq!(parse_notice(line), Some(("argo".into(), "step-1".into())));
    }

    #[test]
    fn announcing_without_a_reader_is_silent() {
        let root = tempfile::tempdir().expect("tempdir");
        // No FIFO at all, then a FIFO nobody reads: both return at once.
        announce(&root.path().join("pods").join("argo").join("a"));
        assert!(ensure_fifo(root.path()));
        announce(&root.path().join("pods").join("argo").join("a"));
        assert!(fifo_path(root.path()).exists());
    }

    #[test]
    fn malformed_notices_are_ignored() {
        assert_eq!(parse_notice("no-slash\n"), None);
        assert_eq!(parse_notice("/name"), None);
        assert_eq!(parse_notice("ns/a/b"), None);
    }

    #[test]
    fn a_regular_file_in_place_of_the_fifo_disables_notices() {
        let root = tempfile::tempdir().expect("tempdir");
        std::fs::write(fifo_path(root.path()), b"").expect("write");
        assert!(!ensure_fifo(root.path()));
    }
}
