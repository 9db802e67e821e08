//! `status.synchronization` bookkeeping: which lock keys holders of this workflow hold, and
//! which keys it waits for together with their current holders, recorded as Argo records them
//! (mutex: one holder per key; semaphore: the list of holders per key).
//!
//! Must not: decide who may hold a lock; it only writes down what the lock table reported.

use argo_core::{
    MutexHolding, MutexStatus, SemaphoreHolding, SemaphoreStatus, SynchronizationStatus,
    WorkflowStatus,
};

/// Whether a lock was declared as a mutex or a semaphore (a database key can be either).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockKind {
    Mutex,
    Semaphore,
}

fn sync(status: &mut WorkflowStatus) -> &mut SynchronizationStatus {
    status
        .synchronization
        .get_or_insert_with(SynchronizationStatus::default)
}

/// Records `holder` as holding `key`; drops the key's waiting entry.
pub fn record_held(status: &mut WorkflowStatus, kind: LockKind, key: &str, holder: &str) {
    let sync = sync(status);
    match kind {
        LockKind::Mutex => {
            let mutex = sync.mutex.get_or_insert_with(MutexStatus::default);
            mutex.waiting.retain(|w| w.mutex != key);
            match mutex.holding.iter_mut().find(|h| h.mutex == key) {
                Some(existing) => existing.holder = holder.to_owned(),
                None => mutex.holding.push(MutexHolding {
                    mutex: key.to_owned(),
                    holder: holder.to_owned(),
                }),
            }
        }
        LockKind::Semaphore => {
            let semaphore = sync.semaphore.get_or_insert_with(SemaphoreStatus::default);
            semaphore.waiting.retain(|w| w.semaphore != key);
            match semaphore.holding.iter_mut().find(|h| h.semaphore == key) {
                Some(existing) => {
                    if !existing.holders.iter().any(|h| h == holder) {
                        existing.holders.push(holder.to_owned());
                    }
                }
                None => semaphore.holding.push(SemaphoreHolding {
                    semaphore: key.to_owned(),
                    holders: vec![holder.to_owned()],
                }),
            }
        }
    }
    tidy(status);
}

/// Records that this workflow waits for `key`, currently held by `holders`.
pub fn record_waiting(status: &mut WorkflowStatus, kind: LockKind, key: &str, holders: &[String]) {
    let sync = sync(status);
    match kind {
        LockKind::Mutex => {
            let mutex = sync.mutex.get_or_insert_with(MutexStatus::default);
            mutex.waiting.retain(|w| w.mutex != key);
            if let Some(first) = holders.first() {
                mutex.waiting.push(MutexHolding {
                    mutex: key.to_owned(),
                    holder: first.clone(),
                });
            }
        }
        LockKind::Semaphore => {
            let semaphore = sync.semaphore.get_or_insert_with(SemaphoreStatus::default);
            match semaphore.waiting.iter_mut().find(|w| w.semaphore == key) {
                Some(existing) => existing.holders = holders.to_vec(),
                None => semaphore.waiting.push(SemaphoreHolding {
                    semaphore: key.to_owned(),
                    holders: holders.to_vec(),
                }),
            }
        }
    }
    tidy(status);
}

/// True when the status records `holder` as holding `key`.
pub fn is_held(status: &WorkflowStatus, key: &str, holder: &str) -> bool {
    holdings(status)
        .iter()
        .any(|(k, h)| k == key && h == holder)
}

/// Every (key, holder) the status records as held.
pub fn holdings(status: &WorkflowStatus) -> Vec<(String, String)> {
    let Some(sync) = &status.synchronization else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Some(mutex) = &sync.mutex {
        for holding in &mutex.holding {
            out.push((holding.mutex.clone(), holding.holder.clone()));
        }
    }
    if let Some(semaphore) = &sync.semaphore {
        for holding in &semaphore.holding {
            for holder in &holding.holders {
                out.push((holding.semaphore.clone(), holder.clone()));
            }
        }
    }
    out
}

/// Removes `holder`'s hold on `key` from the status.
pub fn remove_held(status: &mut WorkflowStatus, key: &str, holder: &str) {
    let Some(sync) = status.synchronization.as_mut() else {
        return;
    };
    if let Some(mutex) = sync.mutex.as_mut() {
        mutex
            .holding
            .retain(|h| !(h.mutex == key && h.holder == holder));
    }
    if let Some(semaphore) = sync.semaphore.as_mut() {
        for holding in semaphore.holding.iter_mut().filter(|h| h.semaphore == key) {
            holding.holders.retain(|h| h != holder);
        }
        semaphore.holding.retain(|h| !h.holders.is_empty());
    }
    tidy(status);
}

/// Drops empty sections so a workflow without locks carries no `synchronization`.
fn tidy(status: &mut WorkflowStatus) {
    let Some(sync) = status.synchronization.as_mut() else {
        return;
    };
    if sync
        .mutex
        .as_ref()
        .is_some_and(|m| m.holding.is_empty() && m.waiting.is_empty())
    {
        sync.mutex = None;
    }
    if sync
        .semaphore
        .as_ref()
        .is_some_and(|s| s.holding.is_empty() && s.waiting.is_empty())
    {
        sync.semaphore = None;
    }
    if sync.mutex.is_none() && sync.semaphore.is_none() {
        status.synchronization = None;
    }
}
