//! The watcher behind [`PodRuntime::events`](crate::PodRuntime::events): scans the state
//! directory at the configured interval and announces every pod whose record changed or vanished.
//! Scanning also restarts the supervisors of unfinished pods (through `inspect`). It holds only a
//! weak reference to the runtime and ends when the runtime is dropped.

use std::collections::HashMap;
use std::sync::{Arc, Weak};
use std::time::SystemTime;

use super::{Inner, pods};
use crate::error::Result;
use crate::runtime::PodEvent;

/// Scans the state directory and announces every change of a pod's record.
pub(super) async fn watch(inner: Weak<Inner>) {
    let mut seen: SeenPods = HashMap::new();
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

/// What the last scan saw of each pod: its record's generation and the modification time of its
/// status file (a pod deleted and created again may repeat a generation), and whether it had
/// finished: a finished pod whose file did not change is not read again.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Seen {
    generation: u64,
    mtime: Option<SystemTime>,
    finished: bool,
}

type SeenPods = HashMap<(String, String), Seen>;

fn scan_changes(inner: &Inner, seen: &SeenPods) -> Result<(Vec<PodEvent>, SeenPods)> {
    let mut changes = Vec::new();
    let mut now_seen = HashMap::new();
    for (namespace, name) in pods::list_keys(&inner.pods_root(), None)? {
        let key = (namespace.clone(), name.clone());
        let status_file = inner.pod_dir(&namespace, &name).status_file();
        let mtime = std::fs::metadata(&status_file)
            .and_then(|m| m.modified())
            .ok();
        if let Some(previous) = seen.get(&key)
            && previous.finished
            && previous.mtime.is_some()
            && previous.mtime == mtime
        {
            now_seen.insert(key, *previous);
            continue;
        }
        let Ok(Some(record)) = inner.inspect_record(&namespace, &name) else {
            continue;
        };
        let now = Seen {
            generation: record.generation,
            mtime,
            finished: record.phase.is_terminal(),
        };
        let changed = seen.get(&key).is_none_or(|previous| {
            previous.generation != now.generation || previous.mtime != now.mtime
        });
        if changed {
            changes.push(PodEvent {
                namespace,
                name,
                status: Some(record.to_pod_status()),
            });
        }
        now_seen.insert(key, now);
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
