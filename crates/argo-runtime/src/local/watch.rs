//! The watcher behind [`PodRuntime::events`](crate::PodRuntime::events): scans the state
//! directory at the configured interval and announces every pod whose record changed or vanished.
//! Scanning also restarts the supervisors of unfinished pods (through `inspect`). It holds only a
//! weak reference to the runtime and ends when the runtime is dropped.

use std::collections::HashMap;
use std::sync::{Arc, Weak};

use super::{Inner, pods};
use crate::error::Result;
use crate::runtime::PodEvent;

/// Scans the state directory and announces every change of a pod's record.
pub(super) async fn watch(inner: Weak<Inner>) {
    let mut seen: HashMap<(String, String), u64> = HashMap::new();
    loop {
        let Some(strong) = inner.upgrade() else {
            return;
        };
        let interval = strong.config.poll_interval;
        let scan = {
            let strong = Arc::clone(&strong);
            let seen = seen.clone();
            tokio::task::spawn_blocking(move || scan_changes(&strong, &seen)).await
        };
        if let Ok(Ok((changes, now_seen))) = scan {
            for change in changes {
                let _ = strong.events.send(change);
            }
            seen = now_seen;
        }
        drop(strong);
        tokio::time::sleep(interval).await;
    }
}

type Seen = HashMap<(String, String), u64>;

fn scan_changes(inner: &Inner, seen: &Seen) -> Result<(Vec<PodEvent>, Seen)> {
    let mut changes = Vec::new();
    let mut now_seen = HashMap::new();
    for (namespace, name) in pods::list_keys(&inner.pods_root(), None)? {
        let Ok(Some(record)) = inner.inspect_record(&namespace, &name) else {
            continue;
        };
        let key = (namespace.clone(), name.clone());
        if seen.get(&key) != Some(&record.generation) {
            changes.push(PodEvent {
                namespace,
                name,
                status: Some(record.to_pod_status()),
            });
        }
        now_seen.insert(key, record.generation);
    }
    for (namespace, name) in seen.keys().filter(|k| !now_seen.contains_key(*k)) {
        changes.push(PodEvent {
            namespace: namespace.clone(),
            name: name.clone(),
            status: None,
        });
    }
    Ok((changes, now_seen))
}
