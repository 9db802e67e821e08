//! The lock table: Argo's synchronization manager for every workflow this controller runs.
//! It keeps one [`LockBook`] (holders, limits and the queue of waiting requests, granted
//! all-or-nothing by priority, then creation time) behind a mutex, and remembers which
//! workflows a grant concerns so the workers requeue them: a waiter learns it was granted
//! when it is reconciled next, and it is reconciled next because it was woken.
//!
//! Limits: a request carries each lock's limit as the engine read it (1 for a mutex, a
//! semaphore's ConfigMap value), so a changed ConfigMap is honoured at the next request; a
//! limit the engine could not see (a database semaphore, a ConfigMap in another namespace) is
//! read here from the store before the request is queued ([`resolve_limits`]).
//! Must not: persist anything. After a restart the table is rebuilt from each workflow's
//! `status.synchronization` ([`LockTable::restore`] on the first listing, and the engine's
//! `reacquire` requests), which is why a pass that takes a lock stores its status before it
//! starts pods ([`hold_first`]).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};

use argo_core::{Workflow, WorkflowStatus};
use argo_engine::synchronization::{LockBook, status, workflow_of_holder};
use argo_engine::{Effect, LockRequest, LockStatus};
use argo_store::ResourceKind;
use jiff::Timestamp;

use crate::cluster::Cluster;
use crate::queue::WorkflowKey;

/// The lock table shared by all workers.
#[derive(Debug, Default)]
pub struct LockTable {
    book: Mutex<LockBook>,
    woken: Mutex<BTreeSet<WorkflowKey>>,
    restored: AtomicBool,
}

impl LockTable {
    fn book(&self) -> MutexGuard<'_, LockBook> {
        self.book
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn wake(&self, holders: Vec<String>) {
        let mut woken = self
            .woken
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for holder in holders {
            if let Some((namespace, name)) = workflow_of_holder(&holder).split_once('/') {
                woken.insert(WorkflowKey::new(namespace, name));
            }
        }
    }

    /// Queues a request for all of `locks` (see [`LockBook::request`]); wakes every workflow
    /// granted as a result, the requester included.
    pub fn request(
        &self,
        holder: &str,
        locks: &[LockRequest],
        priority: i32,
        created_at: Option<Timestamp>,
        reacquire: bool,
    ) {
        let granted = self
            .book()
            .request(holder, locks, priority, created_at, reacquire);
        if !reacquire {
            self.wake(granted);
        }
    }

    /// Gives a lock back (or leaves its queue); wakes the workflows granted as a result.
    pub fn release(&self, key: &str, holder: &str) {
        let granted = self.book().release(key, holder);
        self.wake(granted);
    }

    /// Forgets a deleted workflow's holds and waits; wakes the workflows granted as a result.
    pub fn forget_workflow(&self, namespace: &str, workflow: &str) {
        let granted = self
            .book()
            .forget_workflow(&format!("{namespace}/{workflow}"));
        self.wake(granted);
    }

    /// The workflows to reconcile because a lock was granted to them (drained).
    pub fn take_woken(&self) -> Vec<WorkflowKey> {
        let mut woken = self
            .woken
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        std::mem::take(&mut *woken).into_iter().collect()
    }

    /// The locks held by one workflow's holders: key -> Argo holder keys.
    pub fn held_by(&self, namespace: &str, workflow: &str) -> BTreeMap<String, BTreeSet<String>> {
        self.book().held_by(&format!("{namespace}/{workflow}"))
    }

    /// Limit and holders of every lock one workflow holds or waits for.
    pub fn status_for(&self, namespace: &str, workflow: &str) -> BTreeMap<String, LockStatus> {
        self.book().status_for(&format!("{namespace}/{workflow}"))
    }

    /// Every lock with its limit and holders.
    pub fn snapshot(&self) -> BTreeMap<String, LockStatus> {
        self.book().snapshot()
    }

    /// Once per controller: re-takes every hold recorded in the workflows' statuses, before
    /// any of them is reconciled, so a waiter cannot be granted a lock a running holder had.
    pub fn restore(&self, workflows: &[Workflow]) {
        if self.restored.swap(true, Ordering::SeqCst) {
            return;
        }
        let mut book = self.book();
        for workflow in workflows {
            for (key, holder) in status::holdings(&workflow.status) {
                let lock = LockRequest { key, limit: None };
                book.request(&holder, &[lock], 0, None, true);
            }
        }
    }
}

/// Splits a pass's effects into those to carry out before its status is written and those
/// after: when the new status records a lock hold the stored one does not, the pods it creates
/// wait for the write. Otherwise a controller killed after starting them, before the write,
/// would restart without knowing the holder and could grant the lock to another workflow while
/// they run. Every other pass keeps all its effects before the write.
pub fn hold_first(
    stored: &WorkflowStatus,
    next: &WorkflowStatus,
    effects: Vec<Effect>,
) -> (Vec<Effect>, Vec<Effect>) {
    if next.synchronization.is_none() {
        return (effects, Vec::new());
    }
    let held: BTreeSet<(String, String)> = status::holdings(stored).into_iter().collect();
    if status::holdings(next)
        .iter()
        .all(|hold| held.contains(hold))
    {
        return (effects, Vec::new());
    }
    effects
        .into_iter()
        .partition(|effect| !matches!(effect, Effect::CreatePod { .. }))
}

/// The kind svc-sync keeps database semaphore limits as.
fn sync_limit_kind() -> ResourceKind {
    ResourceKind::new(
        "argors.io/v1alpha1",
        "SyncLimit",
        argo_store::Scope::Namespaced,
    )
}

/// Fills in the limits the engine could not see: a database semaphore's `SyncLimit` object
/// (`spec.limit`) and a ConfigMap semaphore in another namespace. A limit that cannot be
/// read stays unknown (the lock then grants nothing new) and is logged.
pub async fn resolve_limits(cluster: &Cluster, locks: &[LockRequest]) -> Vec<LockRequest> {
    let mut resolved = Vec::with_capacity(locks.len());
    for lock in locks {
        let mut lock = lock.clone();
        if lock.limit.is_none() {
            match read_limit(cluster, &lock.key).await {
                Ok(limit) => lock.limit = Some(limit),
                Err(error) => tracing::warn!(key = lock.key, %error, "semaphore limit unknown"),
            }
        }
        resolved.push(lock);
    }
    resolved
}

async fn read_limit(cluster: &Cluster, key: &str) -> Result<u32, String> {
    let parts: Vec<&str> = key.splitn(4, '/').collect();
    match parts.as_slice() {
        [namespace, "Database", name] => {
            let object = cluster
                .store
                .get(&sync_limit_kind(), Some(namespace), name)
                .await
                .map_err(|e| e.to_string())?;
            let limit = object
                .fields
                .get("spec")
                .and_then(|spec| spec.get("limit"))
                .and_then(serde_json::Value::as_i64)
                .ok_or_else(|| format!("SyncLimit {namespace}/{name} has no spec.limit"))?;
            Ok(u32::try_from(limit.max(0)).unwrap_or(u32::MAX))
        }
        [namespace, "ConfigMap", config_map, data_key] => {
            let config_map = cluster
                .config_maps()
                .get(Some(namespace), config_map)
                .await
                .map_err(|e| e.to_string())?;
            let value = config_map
                .data
                .as_ref()
                .and_then(|d| d.get(*data_key))
                .ok_or_else(|| {
                    format!("Sync configuration key '{data_key}' not found in ConfigMap")
                })?;
            argo_engine::synchronization::parse_limit(value).map_err(|e| e.to_string())
        }
        _ => Err(format!("no limit source for lock {key}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mutex(key: &str) -> Vec<LockRequest> {
        vec![LockRequest {
            key: key.to_owned(),
            limit: Some(1),
        }]
    }

    #[test]
    fn a_release_wakes_the_next_waiter_and_only_it() {
        let table = LockTable::default();
        table.request("ns/a", &mutex("ns/Mutex/m"), 0, None, false);
        assert_eq!(table.take_woken(), vec![WorkflowKey::new("ns", "a")]);
        table.request("ns/b/b-1", &mutex("ns/Mutex/m"), 0, None, false);
        assert!(table.take_woken().is_empty());
        table.release("ns/Mutex/m", "ns/a");
        assert_eq!(table.take_woken(), vec![WorkflowKey::new("ns", "b")]);
        assert_eq!(table.held_by("ns", "b").len(), 1);
        assert!(table.held_by("ns", "a").is_empty());
    }

    fn holding(holder: &str) -> WorkflowStatus {
        WorkflowStatus {
            synchronization: Some(argo_core::SynchronizationStatus {
                mutex: Some(argo_core::MutexStatus {
                    holding: vec![argo_core::MutexHolding {
                        mutex: "ns/Mutex/m".to_owned(),
                        holder: holder.to_owned(),
                    }],
                    waiting: Vec::new(),
                }),
                semaphore: None,
            }),
            ..WorkflowStatus::default()
        }
    }

    fn effects() -> Vec<Effect> {
        vec![
            Effect::CreatePod {
                node_id: "n".to_owned(),
                pod: argo_engine::PodRequest::rendered(Default::default()),
            },
            Effect::ReleaseLock {
                key: "ns/Mutex/other".to_owned(),
                holder: "ns/a".to_owned(),
            },
        ]
    }

    #[test]
    fn only_a_pass_that_takes_a_new_hold_creates_its_pods_after_the_write() {
        let (before, after) = hold_first(&WorkflowStatus::default(), &holding("ns/a"), effects());
        assert!(matches!(before.as_slice(), [Effect::ReleaseLock { .. }]));
        assert!(matches!(after.as_slice(), [Effect::CreatePod { .. }]));

        let (before, after) = hold_first(&holding("ns/a"), &holding("ns/a"), effects());
        assert_eq!(before.len(), 2, "a hold kept from before changes nothing");
        assert!(after.is_empty());

        let none = WorkflowStatus::default();
        let (before, after) = hold_first(&none, &none, effects());
        assert_eq!((before.len(), after.len()), (2, 0));
    }

    #[test]
    fn a_deleted_workflow_gives_its_locks_up() {
        let table = LockTable::default();
        table.request("ns/a/a-1", &mutex("ns/Mutex/m"), 0, None, false);
        table.request("ns/b", &mutex("ns/Mutex/m"), 0, None, false);
        let _ = table.take_woken();
        table.forget_workflow("ns", "a");
        assert_eq!(table.take_woken(), vec![WorkflowKey::new("ns", "b")]);
    }
}
