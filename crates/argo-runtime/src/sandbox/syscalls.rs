//! The only `unsafe` code of the crate: small wrappers over system calls that neither the
//! standard library nor `nix` expose safely.
//!
//! - `flock(2)` on a file we own (nix's safe `Flock` unlocks on drop, but our locks must outlive
//!   the process that took them by being inherited, and closing must not unlock);
//! - taking ownership of what a parent handed over as standard input (a lock, a socket), and
//!   putting `/dev/null` in its place (a lock passed as stdin needs no `pre_exec`, so the parent's
//!   standard library spawns with `posix_spawn`, whose cost does not grow with the parent's
//!   memory as `fork` does);
//! - emptying the signal mask in a child between `fork` and `exec`: the shim blocks the
//!   termination signals for itself, a blocked mask survives `exec`, and the standard library
//!   does not reset it on every spawn path. A container started with SIGTERM blocked never
//!   dies of it (nor do its children: a shell's background job keeps the mask).
//!
//! - the zygote's copies of itself (see `crate::zygote`): `clone` into a new PID namespace and
//!   `fork` from a single-threaded process, and what such a copy does before it runs a container:
//!   closing inherited descriptors, placing standard descriptors, replacing the environment and
//!   owning descriptors received over a socket.
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

/// Takes ownership of what was inherited as standard input (a container's lock, the zygote's
/// socket): moves it to a new close-on-exec descriptor (so it is not leaked to this process's
/// own children) and reopens standard input on `/dev/null`, so descriptor 0 is never left
/// closed.
pub(crate) fn adopt_stdin() -> io::Result<File> {
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

/// Starts a copy of this process that runs `child` and exits with its code, in a new PID
/// namespace (as its PID 1) when `new_pid_namespace` is set; returns the copy's PID as this
/// process sees it. The copy runs on `stack`, its own copy of that memory.
///
/// The caller must be single-threaded (the zygote's loop): the copy then owns a consistent heap
/// and may allocate and start threads, which it could not after a `fork` of a threaded process.
pub(crate) fn copy_process(
    new_pid_namespace: bool,
    stack: &mut [u8],
    child: &mut dyn FnMut() -> u8,
) -> io::Result<i32> {
    let mut flags = nix::sched::CloneFlags::empty();
    if new_pid_namespace {
        flags |= nix::sched::CloneFlags::CLONE_NEWPID;
    }
    let callback = Box::new(|| isize::from(child()));
    // SAFETY: without CLONE_VM the copy has its own memory, so the callback's borrows stay valid
    // in it; the caller is single-threaded (see above), so no lock is held by a thread that the
    // copy lacks. The copy ends when the callback returns and never unwinds into our frames.
    let pid = unsafe { nix::sched::clone(callback, stack, flags, Some(libc::SIGCHLD)) }?;
    Ok(pid.as_raw())
}

/// Forks this process; the child runs `child` and ends with its code (standard output flushed)
/// without returning. The caller must be single-threaded, as for [`copy_process`].
pub(crate) fn fork_and_run(child: impl FnOnce() -> u8) -> io::Result<i32> {
    // SAFETY: the caller has a single thread (a container's `init` before its log copiers
    // start), so the child inherits no lock held by another thread.
    match unsafe { nix::unistd::fork() }? {
        nix::unistd::ForkResult::Parent { child } => Ok(child.as_raw()),
        nix::unistd::ForkResult::Child => {
            let code = child();
            let _ = io::Write::flush(&mut io::stdout());
            // SAFETY: ends this process at once; nothing of the parent's frames may run here.
            unsafe { libc::_exit(i32::from(code)) }
        }
    }
}

/// Closes every descriptor from `first` up, except those in `keep`.
pub(crate) fn close_descriptors_from(first: i32, keep: &[i32]) {
    let mut keep: Vec<i32> = keep.iter().copied().filter(|fd| *fd >= first).collect();
    keep.sort_unstable();
    let mut from = first;
    for kept in keep.into_iter().chain([i32::MAX]) {
        if let (Ok(low), Ok(high)) = (u32::try_from(from), u32::try_from(kept)) {
            let high = if kept == i32::MAX { u32::MAX } else { high - 1 };
            if low <= high {
                // SAFETY: close_range only closes descriptors; Rust objects that own them in
                // this process are never used after (the callers run in a fresh copy of the
                // process).
                unsafe { libc::syscall(libc::SYS_close_range, low, high, 0) };
            }
        }
        from = kept.saturating_add(1);
    }
}

/// Puts `file` at descriptor `target` (standard input, output or error).
pub(crate) fn place_descriptor(file: &impl AsRawFd, target: i32) -> io::Result<()> {
    // SAFETY: dup2 onto one of our own standard descriptors; both are open.
    if unsafe { libc::dup2(file.as_raw_fd(), target) } == -1 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Replaces this process's environment with `env`, in order.
pub(crate) fn replace_environment<'a>(env: impl IntoIterator<Item = (&'a String, &'a String)>) {
    let old: Vec<_> = std::env::vars_os().map(|(key, _)| key).collect();
    for key in old {
        // SAFETY: only called in a fresh single-threaded copy of the process, before it starts
        // any thread, so no other thread reads the environment meanwhile.
        unsafe { std::env::remove_var(key) };
    }
    for (key, value) in env {
        if key.is_empty() || key.contains('=') || key.contains('\0') || value.contains('\0') {
            continue;
        }
        // SAFETY: as above.
        unsafe { std::env::set_var(key, value) };
    }
}

/// Takes ownership of a descriptor received from another process (`SCM_RIGHTS`).
pub(crate) fn own_received_descriptor(fd: i32) -> std::os::fd::OwnedFd {
    use std::os::fd::FromRawFd as _;
    // SAFETY: the kernel just installed `fd` in this process for this message; nothing else
    // refers to it.
    unsafe { std::os::fd::OwnedFd::from_raw_fd(fd) }
}
