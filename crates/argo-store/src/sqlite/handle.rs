//! The only `unsafe` code of the crate: running one store operation's statements on a pooled
//! connection's own SQLite handle, synchronously, in one go.
//!
//! sqlx's SQLite driver runs every statement on the connection's worker thread, so each one is
//! a round trip between threads (a channel send and two wake-ups). A write is about ten
//! statements, and on a small machine those hops cost more than the statements. sqlx lends the
//! raw handle of a connection (`lock_handle`) while guaranteeing its worker makes no call on it;
//! [`run`] wraps that handle in a `rusqlite::Connection` that does not own it, runs the work, and
//! gives the handle back. rusqlite and sqlx link the same `libsqlite3-sys`, so the handle's type
//! is the same on both sides.
//!
//! Invariants kept here: the borrowed connection never outlives the lock; the work leaves no
//! transaction open (a rusqlite transaction rolls back when dropped); nothing here may grow into
//! general database code.
#![allow(unsafe_code)]

use sqlx::SqliteConnection;
use tokio::runtime::{Handle, RuntimeFlavor};

use crate::{Error, Result};

/// What the work does, which decides whether it may hold a runtime worker thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Access {
    /// Microseconds of reading: run in place.
    Read,
    /// A commit may wait for the disk's sync: on a multi-threaded runtime the worker first
    /// hands its other tasks to another thread.
    Write,
}

/// Runs `work` on `connection`'s handle, on the calling thread.
pub(super) async fn run<T>(
    connection: &mut SqliteConnection,
    access: Access,
    work: impl FnOnce(&mut rusqlite::Connection) -> Result<T>,
) -> Result<T> {
    let mut locked = connection
        .lock_handle()
        .await
        .map_err(|source| Error::backend("locking a connection", source))?;
    let raw = locked.as_raw_handle();
    // SAFETY: `raw` is the live handle of an open connection. While `locked` exists sqlx's
    // worker thread makes no call on it or its statements, and `borrowed` is dropped (finalizing
    // only the statements it prepared itself, and never closing the handle, as `from_handle`
    // does not take ownership) before `locked` is.
    let mut borrowed = unsafe { rusqlite::Connection::from_handle(raw.as_ptr()) }
        .map_err(|source| Error::backend("borrowing a connection", source))?;
    let outcome = if access == Access::Write && on_multi_threaded_runtime() {
        tokio::task::block_in_place(|| work(&mut borrowed))
    } else {
        work(&mut borrowed)
    };
    drop(borrowed);
    drop(locked);
    outcome
}

fn on_multi_threaded_runtime() -> bool {
    Handle::try_current().is_ok_and(|handle| handle.runtime_flavor() == RuntimeFlavor::MultiThread)
}
