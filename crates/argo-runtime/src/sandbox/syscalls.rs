//! The only `unsafe` code of the crate: four small wrappers over system calls that neither the
//! standard library nor `nix` expose safely.
//!
//! - `flock(2)` on a file we own (nix's safe `Flock` unlocks on drop, but our locks must outlive
//!   the process that took them by being inherited, and closing must not unlock);
//! - clearing `FD_CLOEXEC` on one descriptor in a child between `fork` and `exec`, so a lock is
//!   handed from a parent to the process it starts (`pre_exec` is unsafe by contract);
//! - taking ownership of a descriptor number received on the command line;
//! - emptying the signal mask in a child between `fork` and `exec`: the shim blocks the
//!   termination signals for itself, a blocked mask survives `exec`, and the standard library
//!   does not reset it on every spawn path. A container started with SIGTERM blocked never
//!   dies of it (nor do its children: a shell's background job keeps the mask).
//!
//! Each function keeps its invariants local; nothing here may grow into general process code.
#![allow(unsafe_code)]

use std::fs::File;
use std::io;
use std::os::fd::{FromRawFd, RawFd};
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

/// Makes `fd` survive the `exec` of the child `command` starts, in the child only.
pub(crate) fn inherit_fd(command: &mut Command, fd: RawFd) {
    // SAFETY: the closure runs between fork and exec and calls only fcntl, which is
    // async-signal-safe and allocates nothing.
    unsafe {
        command.pre_exec(move || {
            if libc::fcntl(fd, libc::F_SETFD, 0) == -1 {
                return Err(io::Error::last_os_error());
            }
            Ok(())
        });
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

/// Takes ownership of a descriptor inherited from the parent and marks it close-on-exec again,
/// so that it is not leaked further to this process's own children.
pub(crate) fn adopt_inherited_fd(fd: RawFd) -> io::Result<File> {
    // SAFETY: F_GETFD only queries the descriptor table; it fails with EBADF for a closed number.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFD) };
    if flags == -1 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: as above; setting FD_CLOEXEC touches no memory.
    if unsafe { libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) } == -1 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: the descriptor is open (checked above) and was handed to this process for it to
    // own: the parent passed its number on the command line and keeps no claim on our copy.
    Ok(unsafe { File::from_raw_fd(fd) })
}
