//! The only `unsafe` code of the crate: three small wrappers over system calls that neither the
//! standard library nor `nix` expose safely.
//!
//! - `flock(2)` on a file we own (nix's safe `Flock` unlocks on drop, but our locks must outlive
//!   the process that took them by being inherited, and closing must not unlock);
//! - taking ownership of the lock a parent handed over as standard input, and putting
//!   `/dev/null` in its place (a lock passed as stdin needs no `pre_exec`, so the parent's
//!   standard library spawns with `posix_spawn`, whose cost does not grow with the parent's
//!   memory as `fork` does);
//! - emptying the signal mask in a child between `fork` and `exec`: the shim blocks the
//!   termination signals for itself, a blocked mask survives `exec`, and the standard library
//!   does not reset it on every spawn path. A container started with SIGTERM blocked never
//!   dies of it (nor do its children: a shell's background job keeps the mask).
//!
//! Each function keeps its invariants local; nothing here may grow into general process code.
#![allow(unsafe_code)]

use std::fs::File;
use std::io;
use std::os::fd::FromRawFd;
use std::os::unix::io::AsRawFd;
use std::os::unix::process::CommandExt;
use std::process::Command;

/// Takes an exclusive `flock` on `file`. Returns `Ok(false)` when `wait` is false and another
/// open file description holds the lock.
pub(crate) fn lock_exclusive(file: &File, wait: bool) -> io::Result<bool> {
    let flags = if wait {
        libc::LOCK_EX
    } else {
        libc::LOCK_EX | libc::LOCK_NB
    };
    loop {
        // SAFETY: `file` is an open descriptor for the duration of the call; flock reads no memory.
        let rc = unsafe { libc::flock(file.as_raw_fd(), flags) };
        if rc == 0 {
            return Ok(true);
        }
        let err = io::Error::last_os_error();
        match err.raw_os_error() {
            Some(libc::EINTR) => continue,
            Some(libc::EWOULDBLOCK) if !wait => return Ok(false),
            _ => return Err(err),
        }
    }
}

/// Starts the child of `command` with no signal blocked, whatever the caller blocks.
pub(crate) fn clear_signal_mask(command: &mut Command) {
    // SAFETY: the closure runs between fork and exec and calls only sigemptyset and
    // pthread_sigmask on a local set, both async-signal-safe; it allocates nothing.
    unsafe {
        command.pre_exec(|| {
            let mut set = std::mem::MaybeUninit::<libc::sigset_t>::uninit();
            libc::sigemptyset(set.as_mut_ptr());
            let rc = libc::pthread_sigmask(libc::SIG_SETMASK, set.as_ptr(), std::ptr::null_mut());
            if rc != 0 {
                return Err(io::Error::from_raw_os_error(rc));
            }
            Ok(())
        });
    }
}

/// Takes ownership of the lock inherited as standard input: moves it to a new close-on-exec
/// descriptor (so it is not leaked to this process's own children) and reopens standard input
/// on `/dev/null`, so descriptor 0 is never left closed.
pub(crate) fn adopt_lock_from_stdin() -> io::Result<File> {
    // SAFETY: F_DUPFD_CLOEXEC only duplicates a descriptor; it fails with EBADF when 0 is closed.
    let fd = unsafe { libc::fcntl(0, libc::F_DUPFD_CLOEXEC, 3) };
    if fd == -1 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `fd` was just created by this process and nothing else refers to it.
    let lock = unsafe { File::from_raw_fd(fd) };
    let null = File::open("/dev/null")?;
    // SAFETY: dup2 onto descriptor 0 replaces our own standard input; both descriptors are open.
    if unsafe { libc::dup2(null.as_raw_fd(), 0) } == -1 {
        return Err(io::Error::last_os_error());
    }
    Ok(lock)
}
