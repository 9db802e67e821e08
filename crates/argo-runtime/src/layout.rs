//! Where a pod's state lives on disk, and the atomic file writes every writer uses.
//!
//! `<root>/pods/<namespace>/<name>/` holds `pod.json` (the pod as created), `launch.json` (the
//! resolved commands), `status.json` (written only by the holder of `supervisor.lock`),
//! `volumes/<volume>/`, and per container `containers/<name>/` with its log, lock, exit report
//! and overlay directories. This module only computes paths and writes files; it decides nothing.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{Error, Result};

/// The directory of one pod.
#[derive(Clone, Debug)]
pub(crate) struct PodDir {
    pub(crate) path: PathBuf,
}

impl PodDir {
    pub(crate) fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    pub(crate) fn pod_file(&self) -> PathBuf {
        self.path.join("pod.json")
    }
    pub(crate) fn launch_file(&self) -> PathBuf {
        self.path.join("launch.json")
    }
    pub(crate) fn status_file(&self) -> PathBuf {
        self.path.join("status.json")
    }
    pub(crate) fn supervisor_lock(&self) -> PathBuf {
        self.path.join("supervisor.lock")
    }
    pub(crate) fn stop_request(&self) -> PathBuf {
        self.path.join("stop.json")
    }
    pub(crate) fn volume(&self, name: &str) -> PathBuf {
        self.path.join("volumes").join(name)
    }
    /// The unsandboxed mode's working directory and `TMPDIR`.
    pub(crate) fn scratch(&self) -> PathBuf {
        self.path.join("scratch")
    }
    pub(crate) fn container(&self, name: &str) -> ContainerDir {
        ContainerDir {
            path: self.path.join("containers").join(name),
        }
    }
}

/// The directory of one container of a pod.
#[derive(Clone, Debug)]
pub(crate) struct ContainerDir {
    pub(crate) path: PathBuf,
}

impl ContainerDir {
    /// Created (exclusively) just before the container's shim is started: at most one start.
    pub(crate) fn started_marker(&self) -> PathBuf {
        self.path.join("started")
    }
    /// Created by the container's `shim` or `init` before it starts the command: with the
    /// `started` marker but without this one, the command never ran (the supervisor died between
    /// marking the start and starting the process, or the process died before its first step).
    pub(crate) fn began_marker(&self) -> PathBuf {
        self.path.join("began")
    }
    /// Notes that the container's first process is alive and about to start the command.
    pub(crate) fn mark_began(&self) -> std::io::Result<()> {
        std::fs::File::create(self.began_marker()).map(drop)
    }
    pub(crate) fn lock(&self) -> PathBuf {
        self.path.join("shim.lock")
    }
    pub(crate) fn pgid(&self) -> PathBuf {
        self.path.join("pgid")
    }
    pub(crate) fn exit(&self) -> PathBuf {
        self.path.join("exit.json")
    }
    pub(crate) fn log(&self) -> PathBuf {
        self.path.join("container.log")
    }
    /// The container's log, opened for appending, shared by the writers of its output.
    pub(crate) fn open_log(&self) -> std::io::Result<std::sync::Arc<std::sync::Mutex<File>>> {
        let file = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.log())?;
        Ok(std::sync::Arc::new(std::sync::Mutex::new(file)))
    }
    /// Unsandboxed mode: the links made at the host's mount paths, removed with the pod.
    pub(crate) fn host_links(&self) -> PathBuf {
        self.path.join("host-links.json")
    }
    pub(crate) fn shim_log(&self) -> PathBuf {
        self.path.join("shim.log")
    }
    pub(crate) fn upper(&self) -> PathBuf {
        self.path.join("rootfs").join("upper")
    }
    pub(crate) fn overlay_work(&self) -> PathBuf {
        self.path.join("rootfs").join("work")
    }
    pub(crate) fn merged(&self) -> PathBuf {
        self.path.join("rootfs").join("merged")
    }
}

/// Writes `value` as JSON to `path` atomically: a temporary sibling, fsync, rename, fsync of the
/// directory. Readers see the old or the new file, never a torn one.
pub(crate) fn write_json_atomic<T: Serialize>(path: &Path, value: &T) -> Result<()> {
    replace_file(path, &json_bytes(path, value)?, true)
}

fn json_bytes<T: Serialize>(path: &Path, value: &T) -> Result<Vec<u8>> {
    serde_json::to_vec_pretty(value).map_err(|source| Error::CorruptState {
        path: path.into(),
        source,
    })
}

pub(crate) fn write_bytes_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    replace_file(path, bytes, true)
}

/// Writes `bytes` to `path` whole (readers never see a partial file), without waiting for the
/// disk: for facts that do not outlive the machine's processes (a running container's process
/// group).
pub(crate) fn replace_bytes(path: &Path, bytes: &[u8]) -> Result<()> {
    replace_file(path, bytes, false)
}

/// Like [`write_json_atomic`] (readers never see a partial file), without waiting for the disk:
/// for records that are rebuilt from durable ones when a power loss loses them (a supervisor's
/// progress through its containers, rebuilt from their durable exit reports).
pub(crate) fn write_json_replace<T: Serialize>(path: &Path, value: &T) -> Result<()> {
    replace_file(path, &json_bytes(path, value)?, false)
}

fn replace_file(path: &Path, bytes: &[u8], durable: bool) -> Result<()> {
    let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("state");
    let tmp = path.with_file_name(format!(".{file_name}.{}.tmp", std::process::id()));
    let mut file = File::create(&tmp).map_err(Error::io("create", &tmp))?;
    file.write_all(bytes).map_err(Error::io("write", &tmp))?;
    if durable {
        file.sync_all().map_err(Error::io("sync", &tmp))?;
    }
    fs::rename(&tmp, path).map_err(Error::io("rename", path))?;
    if durable
        && let Some(dir) = path.parent()
        && let Ok(dir) = File::open(dir)
    {
        // Best effort: the rename is already visible; this only makes it durable sooner.
        let _ = dir.sync_all();
    }
    Ok(())
}

/// Reads a JSON file; `Ok(None)` when it does not exist.
pub(crate) fn read_json<T: DeserializeOwned>(path: &Path) -> Result<Option<T>> {
    match fs::read(path) {
        Ok(bytes) => {
            serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|source| Error::CorruptState {
                    path: path.into(),
                    source,
                })
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(Error::Io {
            action: "read",
            path: path.into(),
            source: err,
        }),
    }
}

/// Checks that a namespace, pod or container name is safe to use as one path component.
pub(crate) fn is_safe_component(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 253
        && name != "."
        && name != ".."
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
}
