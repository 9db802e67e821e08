//! Detached processes and the locks that tell whether they still run.
//!
//! A process the runtime starts (a pod's supervisor, a container's shim) gets its own process
//! group and inherits an already-locked file: the lock is held from before the process exists
//! until the last holder exits, so "lock free" reliably means "gone", without trusting pids.
//! Signals go to whole process groups, so a container's children and grandchildren receive
//! them too. This module never decides when to signal; its callers do.

use std::fs::{File, OpenOptions};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use nix::errno::Errno;
use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;

use crate::sandbox::syscalls::lock_exclusive;

/// Opens (creating) the lock file at `path`.
pub(crate) fn open_lock(path: &Path) -> std::io::Result<File> {
    OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(path)
}

/// Takes the lock at `path` if nobody holds it; `None` when it is held.
pub(crate) fn try_lock(path: &Path) -> std::io::Result<Option<File>> {
    let file = open_lock(path)?;
    Ok(lock_exclusive(&file, false)?.then_some(file))
}

/// True when nobody holds the lock at `path` (a missing file counts as free).
pub(crate) fn lock_is_free(path: &Path) -> bool {
    if !path.exists() {
        return true;
    }
    // An unreadable lock file is treated as held: never declare a live process dead.
    try_lock(path).is_ok_and(|lock| lock.is_some())
}

/// Starts `program args` in its own process group with `lock` inherited as its standard input
/// (the child adopts it with `adopt_stdin`) and output appended to `log`.
///
/// Nothing runs between `fork` and `exec`, so the standard library uses `posix_spawn` (a
/// `vfork`-style clone): starting a pod costs the same whatever the size of the calling
/// server, where a `fork` copies its page tables.
pub(crate) fn spawn_detached(
    program: &Path,
    args: &[&str],
    lock: &File,
    log: &Path,
) -> std::io::Result<Child> {
    let output = OpenOptions::new().create(true).append(true).open(log)?;
    let mut command = Command::new(program);
    command
        .args(args)
        .process_group(0)
        .stdin(Stdio::from(lock.try_clone()?))
        .stdout(output.try_clone()?)
        .stderr(output);
    command.spawn()
}

/// Sends `signal` to the process group `pgid`; a group that is already gone is not an error.
pub(crate) fn signal_group(pgid: i32, signal: Signal) -> Result<(), Errno> {
    if pgid <= 1 {
        return Err(Errno::EINVAL);
    }
    match killpg(Pid::from_raw(pgid), signal) {
        Ok(()) | Err(Errno::ESRCH) => Ok(()),
        Err(e) => Err(e),
    }
}

/// The process group recorded in the file at `path`, if any.
pub(crate) fn read_pgid(path: &Path) -> Option<i32> {
    std::fs::read_to_string(path).ok()?.trim().parse().ok()
}
