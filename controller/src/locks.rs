//! The table of granted synchronization locks (mutexes and semaphores), by lock key and
//! holder. Grants are recorded as the engine asks; the engine decides who may hold what.
//! Must not: persist anything. After a restart the table is rebuilt from the engine's own
//! record in each workflow's `status.synchronization`, which the engine re-requests.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Mutex, MutexGuard};

/// Granted locks, shared by all workers.
#[derive(Debug, Default)]
pub struct LockTable {
    held: Mutex<BTreeMap<String, BTreeSet<String>>>,
}

impl LockTable {
    fn lock(&self) -> MutexGuard<'_, BTreeMap<String, BTreeSet<String>>> {
        self.held
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub fn acquire(&self, key: &str, holder: &str) {
        self.lock()
            .entry(key.to_owned())
            .or_default()
            .insert(holder.to_owned());
    }

    pub fn release(&self, key: &str, holder: &str) {
        let mut held = self.lock();
        if let Some(holders) = held.get_mut(key) {
            holders.remove(holder);
            if holders.is_empty() {
                held.remove(key);
            }
        }
    }

    /// Every key with all its holders (as `namespace/workflow/holder`).
    pub fn snapshot(&self) -> BTreeMap<String, BTreeSet<String>> {
        self.lock().clone()
    }

    /// The locks held by one workflow, with holder names as the engine knows them.
    pub fn held_by(&self, namespace: &str, workflow: &str) -> BTreeMap<String, BTreeSet<String>> {
        let prefix = format!("{namespace}/{workflow}/");
        self.lock()
            .iter()
            .map(|(key, holders)| {
                let mine: BTreeSet<String> = holders
                    .iter()
                    .filter_map(|h| h.strip_prefix(&prefix).map(str::to_owned))
                    .collect();
                (key.clone(), mine)
            })
            .filter(|(_, mine)| !mine.is_empty())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_released_lock_is_no_longer_held() {
        let table = LockTable::default();
        table.acquire("ns/Mutex/m", "ns/wf/node");
        assert_eq!(table.held_by("ns", "wf").len(), 1);
        table.release("ns/Mutex/m", "ns/wf/node");
        assert!(table.snapshot().is_empty());
    }
}
