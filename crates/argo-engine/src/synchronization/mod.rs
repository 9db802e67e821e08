//! Synchronization (Argo's mutexes and semaphores), the engine's half.
//!
//! The split: the engine, pure, works out which locks a workflow (`spec.synchronization`) or a
//! template (`template.synchronization`) needs, under Argo's keys (`<ns>/Mutex/<name>`,
//! `<ns>/ConfigMap/<configmap>/<key>`) and holder keys (`<ns>/<workflow>` for the workflow,
//! `<ns>/<workflow>/<node id>` for a node). It learns grants only from [`Observed::locks`];
//! while a holder is not granted it asks with [`Effect::AcquireLock`] on every reconcile
//! (all the holder's locks at once, with the workflow's priority and creation time and each
//! semaphore's limit as read from its ConfigMap in [`Observed::config_maps`]), shows Argo's
//! waiting message and records `status.synchronization`. When a holder ends (node fulfilled,
//! workflow completed, stopped or terminated, node removed by a retry) it emits
//! [`Effect::ReleaseLock`]. After a controller restart the status still records the holds;
//! the engine re-takes them with `reacquire`. The controller's lock table, shared by every
//! workflow, queues and grants ([`book::LockBook`]) and requeues workflows whose holders it
//! granted.
//! Must not: grant anything itself, do I/O or read a clock.
//!
//! [`Observed::locks`]: crate::Observed::locks
//! [`Observed::config_maps`]: crate::Observed::config_maps
//! [`Effect::AcquireLock`]: crate::Effect::AcquireLock
//! [`Effect::ReleaseLock`]: crate::Effect::ReleaseLock

pub mod book;
mod hooks;
pub mod status;

use std::collections::{BTreeMap, BTreeSet};

use argo_core::Synchronization;

use crate::effect::LockRequest;
use crate::error::{Error, Result};

pub use book::{LockBook, workflow_of_holder};
pub use status::LockKind;

/// How often a holder that waits looks again (so a raised semaphore limit is noticed even
/// when no lock is released).
pub const LOCK_RECHECK: jiff::SignedDuration = jiff::SignedDuration::from_secs(10);

/// The holder key of a workflow-level lock.
pub fn workflow_holder(namespace: &str, workflow: &str) -> String {
    format!("{namespace}/{workflow}")
}

/// The holder key of a template-level lock held by a node.
pub fn node_holder(namespace: &str, workflow: &str, node_id: &str) -> String {
    format!("{namespace}/{workflow}/{node_id}")
}

/// The key of a mutex.
pub fn mutex_key(namespace: &str, name: &str) -> String {
    format!("{namespace}/Mutex/{name}")
}

/// The key of a ConfigMap semaphore.
pub fn semaphore_key(namespace: &str, config_map: &str, key: &str) -> String {
    format!("{namespace}/ConfigMap/{config_map}/{key}")
}

/// The key of a database-backed lock (mutex name or semaphore key); the database itself is
/// the store here (limits are `SyncLimit` objects the sync API manages).
pub fn database_key(namespace: &str, name: &str) -> String {
    format!("{namespace}/Database/{name}")
}

/// The locks a synchronization block declares, in Argo's order (semaphores, then mutexes),
/// with a clear error for a declaration Argo refuses.
pub fn lock_keys(sync: &Synchronization, namespace: &str) -> Result<Vec<(LockKind, String)>> {
    let mut keys = Vec::new();
    for (index, semaphore) in sync.semaphores.iter().enumerate() {
        let ns = if semaphore.namespace.is_empty() {
            namespace
        } else {
            &semaphore.namespace
        };
        let key = match (&semaphore.config_map_key_ref, &semaphore.database) {
            (Some(_), Some(_)) => {
                return Err(Error::msg(format!(
                    "synchronization.semaphores[{index}]: invalid semaphore with both ConfigMapKeyRef and Database"
                )));
            }
            (Some(selector), None) => {
                if selector.name.is_empty() || selector.key.is_empty() {
                    return Err(Error::msg(format!(
                        "synchronization.semaphores[{index}].configMapKeyRef: name and key are required"
                    )));
                }
                semaphore_key(ns, &selector.name, &selector.key)
            }
            (None, Some(database)) => {
                if database.key.is_empty() {
                    return Err(Error::msg(format!(
                        "synchronization.semaphores[{index}].database.key is required"
                    )));
                }
                database_key(ns, &database.key)
            }
            (None, None) => {
                return Err(Error::msg(format!(
                    "synchronization.semaphores[{index}]: cannot get LockName for a Semaphore without a ConfigMapRef or Database"
                )));
            }
        };
        keys.push((LockKind::Semaphore, key));
    }
    for (index, mutex) in sync.mutexes.iter().enumerate() {
        if mutex.name.is_empty() {
            return Err(Error::msg(format!(
                "synchronization.mutexes[{index}].name is required"
            )));
        }
        let ns = if mutex.namespace.is_empty() {
            namespace
        } else {
            &mutex.namespace
        };
        let key = if mutex.database {
            database_key(ns, &mutex.name)
        } else {
            mutex_key(ns, &mutex.name)
        };
        keys.push((LockKind::Mutex, key));
    }
    let mut seen = BTreeSet::new();
    for (_, key) in &keys {
        if !seen.insert(key) {
            return Err(Error::msg(format!("duplicate synchronization lock {key}")));
        }
    }
    Ok(keys)
}

/// The locks to request with their kinds: each key with its limit (1 for a mutex; a ConfigMap
/// semaphore's from its ConfigMap when that is in the workflow's namespace; else left to the
/// lock table, which reads it).
pub fn lock_requests(
    sync: &Synchronization,
    namespace: &str,
    config_maps: &BTreeMap<String, BTreeMap<String, String>>,
) -> Result<Vec<(LockKind, LockRequest)>> {
    lock_keys(sync, namespace)?
        .into_iter()
        .map(|(kind, key)| {
            let limit = match kind {
                LockKind::Mutex => Some(1),
                LockKind::Semaphore => semaphore_limit(&key, namespace, config_maps)?,
            };
            Ok((kind, LockRequest { key, limit }))
        })
        .collect()
}

/// The limit of the semaphore `key` when the engine can see it: for a ConfigMap semaphore in
/// `namespace`, the integer in its ConfigMap key (an error, as in Argo, when the ConfigMap or
/// key is missing or the value is not a number); `None` for one in another namespace or kept
/// in the database (the lock table reads those).
pub fn semaphore_limit(
    key: &str,
    namespace: &str,
    config_maps: &BTreeMap<String, BTreeMap<String, String>>,
) -> Result<Option<u32>> {
    let parts: Vec<&str> = key.splitn(4, '/').collect();
    match parts.as_slice() {
        [ns, "ConfigMap", config_map, data_key] => {
            if *ns != namespace {
                return Ok(None);
            }
            let data = config_maps
                .get(*config_map)
                .ok_or_else(|| Error::msg(format!("configmaps \"{config_map}\" not found")))?;
            let value = data.get(*data_key).ok_or_else(|| {
                Error::msg(format!(
                    "Sync configuration key '{data_key}' not found in ConfigMap"
                ))
            })?;
            parse_limit(value).map(Some)
        }
        [_, "Mutex", _] => Ok(Some(1)),
        _ => Ok(None),
    }
}

/// Parses a semaphore limit as Argo does (a decimal integer; below zero counts as zero).
pub fn parse_limit(value: &str) -> Result<u32> {
    let parsed: i64 = value
        .trim()
        .parse()
        .map_err(|_| Error::msg(format!("strconv.Atoi: parsing \"{value}\": invalid syntax")))?;
    Ok(u32::try_from(parsed.max(0)).unwrap_or(u32::MAX))
}

/// Argo's message for a holder waiting on `key`.
pub fn waiting_message(key: &str, limit: u32, holders: usize) -> String {
    let available = u64::from(limit).saturating_sub(holders as u64);
    format!("Waiting for {key} lock. Lock status: {available}/{limit}")
}
