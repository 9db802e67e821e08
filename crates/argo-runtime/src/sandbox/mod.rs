//! The per-container sandbox of the local runtime, and its unsandboxed fallback.
//!
//! With [`Sandbox::Namespaces`] each container runs in new mount, PID and UTS namespaces: its root
//! is an overlay of the host's root filesystem whose writes land in the container's own upper
//! directory, with the host's `/dev` and `/sys` bound in, a fresh `/proc`, private tmpfs `/tmp` and
//! `/dev/shm`, and the pod's volumes bound at their mount paths. Kubernetes gives each container
//! its own root filesystem too; containers of a pod share data only through volumes.
//!
//! [`Sandbox::None`] runs the processes directly on the host, documented as unsafe for untrusted
//! work: no overlay, a per-pod scratch directory as working directory and `TMPDIR`, and volume
//! mounts realised as symbolic links at their mount paths when those paths do not exist.
//!
//! This module performs mounts for the calling process only; it never spawns or waits.

mod root_path;
pub(crate) mod syscalls;

use std::fs;
use std::path::{Path, PathBuf};

use nix::mount::{MntFlags, MsFlags, mount, umount2};
use nix::sched::{CloneFlags, unshare};
use serde::{Deserialize, Serialize};

use crate::launch::ContainerLaunch;
use crate::layout::ContainerDir;

/// How pods are isolated from the host and from each other.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Sandbox {
    /// Mount, PID and UTS namespaces with an overlay root per container. Needs root.
    #[default]
    Namespaces,
    /// No isolation: plain processes sharing the host filesystem, for unprivileged use.
    None,
}

/// The mount and UTS namespaces the container's PID 1 enters before building its root. This must
/// happen while the process has a single thread: a mount namespace is per process, not thread.
pub(crate) fn unshare_mount_and_uts() -> nix::Result<()> {
    unshare(CloneFlags::CLONE_NEWNS | CloneFlags::CLONE_NEWUTS)
}

/// The PID namespace of the container's processes, entered by a thread that then starts the
/// container's `init` and nothing else: the kernel refuses to create threads from a thread whose
/// children go to another PID namespace.
pub(crate) fn unshare_pid() -> nix::Result<()> {
    unshare(CloneFlags::CLONE_NEWPID)
}

fn flags(bits: &[MsFlags]) -> MsFlags {
    bits.iter().fold(MsFlags::empty(), |acc, f| acc | *f)
}

fn mount_step(what: &str, result: nix::Result<()>) -> Result<(), String> {
    result.map_err(|errno| format!("sandbox: {what}: {errno}"))
}

fn bind(source: &Path, target: &Path, read_only: bool) -> Result<(), String> {
    let what = format!("bind {} at {}", source.display(), target.display());
    mount_step(
        &what,
        mount(
            Some(source),
            target,
            None::<&str>,
            flags(&[MsFlags::MS_BIND, MsFlags::MS_REC]),
            None::<&str>,
        ),
    )?;
    if read_only {
        let remount = flags(&[
            MsFlags::MS_BIND,
            MsFlags::MS_REMOUNT,
            MsFlags::MS_RDONLY,
            MsFlags::MS_REC,
        ]);
        mount_step(
            &what,
            mount(None::<&str>, target, None::<&str>, remount, None::<&str>),
        )?;
    }
    Ok(())
}

fn tmpfs(target: &Path) -> Result<(), String> {
    fs::create_dir_all(target).map_err(|e| format!("sandbox: create {}: {e}", target.display()))?;
    let options = "mode=1777";
    let what = format!("mount tmpfs at {}", target.display());
    mount_step(
        &what,
        mount(
            Some("tmpfs"),
            target,
            Some("tmpfs"),
            flags(&[MsFlags::MS_NOSUID, MsFlags::MS_NODEV]),
            Some(options),
        ),
    )
}

/// Mounts the overlay root of one container at its `merged` directory (in the calling process's
/// private mount namespace) without entering it. Used by the probe and by [`enter_root`].
pub(crate) fn mount_overlay_root(upper: &Path, work: &Path, merged: &Path) -> Result<(), String> {
    mount_step(
        "make mounts private",
        mount(
            None::<&str>,
            "/",
            None::<&str>,
            flags(&[MsFlags::MS_REC, MsFlags::MS_PRIVATE]),
            None::<&str>,
        ),
    )?;
    for dir in [upper, work, merged] {
        fs::create_dir_all(dir).map_err(|e| format!("sandbox: create {}: {e}", dir.display()))?;
        let text = dir.to_string_lossy();
        if text.contains(',') || text.contains(':') {
            return Err(format!(
                "sandbox: the path {text} cannot be used in overlay options"
            ));
        }
    }
    let options = format!(
        "lowerdir=/,upperdir={},workdir={}",
        upper.display(),
        work.display()
    );
    mount_step(
        "mount the overlay root (the runtime's data directory must not be on overlayfs)",
        mount(
            Some("overlay"),
            merged,
            Some("overlay"),
            MsFlags::empty(),
            Some(options.as_str()),
        ),
    )
}

/// Builds the container's root and makes it the calling process's root. Runs in the container's
/// first process (PID 1 of its namespace) before the command starts.
pub(crate) fn enter_root(
    dir: &ContainerDir,
    container: &ContainerLaunch,
    hostname: &str,
) -> Result<(), String> {
    mount_step(
        "create the mount and UTS namespaces",
        unshare_mount_and_uts(),
    )?;
    let merged = dir.merged();
    mount_overlay_root(&dir.upper(), &dir.overlay_work(), &merged)?;
    for host_dir in ["/dev", "/sys"] {
        let target = merged.join(&host_dir[1..]);
        fs::create_dir_all(&target)
            .map_err(|e| format!("sandbox: create {}: {e}", target.display()))?;
        bind(Path::new(host_dir), &target, false)?;
    }
    tmpfs(&merged.join("tmp"))?;
    tmpfs(&merged.join("dev/shm"))?;

    let mut mounts: Vec<_> = container.mounts.iter().collect();
    mounts.sort_by_key(|m| Path::new(&m.target).components().count());
    for spec in mounts {
        // Through the root's own links (`/var/run` -> `/run`), never the host's.
        let target = root_path::resolve_in_root(&merged, &spec.target)
            .map_err(|e| format!("sandbox: {e}"))?;
        let source_is_dir = fs::metadata(&spec.source)
            .map_err(|e| format!("sandbox: volume source {}: {e}", spec.source.display()))?
            .is_dir();
        if source_is_dir {
            fs::create_dir_all(&target)
                .map_err(|e| format!("sandbox: create {}: {e}", target.display()))?;
        } else if !target.exists() {
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent)
                    .map_err(|e| format!("sandbox: create {}: {e}", parent.display()))?;
            }
            fs::write(&target, b"")
                .map_err(|e| format!("sandbox: create {}: {e}", target.display()))?;
        }
        bind(&spec.source, &target, spec.read_only)?;
    }

    mount_step("set the hostname", nix::unistd::sethostname(hostname))?;
    // The overlay is moved over `/` and made the root, as `switch_root` does, rather than
    // pivoted into place with the old root detached: a detach waits for an RCU grace period,
    // the largest part of building the root. The host's root stays underneath, out of reach by
    // path; this sandbox is not a security boundary (see `Sandbox::Namespaces`).
    mount_step("enter the root", nix::unistd::chdir(&merged))?;
    mount_step(
        "move the root into place",
        mount(Some("."), "/", None::<&str>, MsFlags::MS_MOVE, None::<&str>),
    )?;
    mount_step("change the root", nix::unistd::chroot("."))?;
    mount_step("enter /", nix::unistd::chdir("/"))?;
    let proc_flags = flags(&[MsFlags::MS_NOSUID, MsFlags::MS_NODEV, MsFlags::MS_NOEXEC]);
    mount_step(
        "mount /proc",
        mount(
            Some("proc"),
            "/proc",
            Some("proc"),
            proc_flags,
            None::<&str>,
        ),
    )
}

/// Unsandboxed mode: links each mount path to its volume. Returns the links created, which the
/// caller records so that they are removed with the pod. An existing path is an error unless it is
/// already our link.
pub(crate) fn link_mounts(container: &ContainerLaunch) -> Result<Vec<PathBuf>, String> {
    let mut created = Vec::new();
    for spec in &container.mounts {
        let target = PathBuf::from(&spec.target);
        match fs::symlink_metadata(&target) {
            Ok(_) if fs::read_link(&target).is_ok_and(|to| to == spec.source) => {}
            Ok(_) => {
                return Err(format!(
                    "unsandboxed mode cannot mount a volume at {}: the path exists on the host",
                    target.display()
                ));
            }
            Err(_) => {
                if let Some(parent) = target.parent() {
                    fs::create_dir_all(parent)
                        .map_err(|e| format!("create {}: {e}", parent.display()))?;
                }
                std::os::unix::fs::symlink(&spec.source, &target).map_err(|e| {
                    format!(
                        "link {} to {}: {e}",
                        target.display(),
                        spec.source.display()
                    )
                })?;
                created.push(target);
            }
        }
    }
    Ok(created)
}

/// Removes links made by [`link_mounts`] that still point into `pod_dir`.
pub(crate) fn unlink_mounts(links: &[PathBuf], pod_dir: &Path) {
    for link in links {
        if fs::read_link(link).is_ok_and(|to| to.starts_with(pod_dir)) {
            let _ = fs::remove_file(link);
        }
    }
}

/// Checks, in a throwaway child process (see `supervisor::probe`), that this process may create
/// the namespaces and overlay mounts of [`Sandbox::Namespaces`]. Runs in the probing child.
pub(crate) fn probe_in_child(scratch: &Path) -> Result<(), String> {
    if !nix::unistd::geteuid().is_root() {
        return Err("the process is not running as root".into());
    }
    unshare_mount_and_uts()
        .map_err(|e| format!("unshare(CLONE_NEWNS|CLONE_NEWUTS) failed: {e}"))?;
    unshare_pid().map_err(|e| format!("unshare(CLONE_NEWPID) failed: {e}"))?;
    let merged = scratch.join("merged");
    mount_overlay_root(&scratch.join("upper"), &scratch.join("work"), &merged)?;
    mount_step(
        "unmount the probe overlay",
        umount2(&merged, MntFlags::MNT_DETACH),
    )
}
