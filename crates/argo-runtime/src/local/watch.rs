//! The watcher behind [`PodRuntime::events`](crate::PodRuntime::events): announces every pod
//! whose record changed or vanished. Supervisors send a notice through the change FIFO (see
//! `crate::changes`) each time they write a record, and the watcher reads that pod at once; a
//! scan of the whole state directory at the configured interval is the safety net for lost
//! notices, and it also restarts the supervisors of unfinished pods (through `inspect`). A scan
//! lists the directory but does not look into a finished pod whose final record the runtime
//! remembers (see `finished`): such a record does not change. It holds only a weak reference to
//! the runtime and ends when the runtime is dropped.

use std::collections::HashMap;
use std::sync::{Arc, Weak};
use std::time::SystemTime;

use tokio::io::AsyncBufReadExt;
use tokio::sync::mpsc;

use super::{Inner, pods};
use crate::changes;
use crate::error::Result;
use crate::runtime::PodEvent;

/// Pods named by notices, and the scans at the configured interval.
pub(super) async fn watch(inner: Weak<Inner>) {
    let Some(strong) = inner.upgrade() else {
        return;
    };
    let mut ticker = tokio::time::interval(strong.config.poll_interval);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut notices = listen(&strong.config.root);
    drop(strong);
    let mut seen: SeenPods = HashMap::new();
    loop {
        let named = tokio::select! {
            _ = ticker.tick() => None,
            Some(first) = notices.recv() => {
                let mut keys = vec![first];
                while let Ok(key) = notices.try_recv() {
                    keys.push(key);
                }
                Some(keys)
            }
        };
        let Some(strong) = inner.upgrade() else {
            return;
        };
        // The map moves into the blocking task and back, so a notice costs the pods it names,
        // not a copy of every pod seen. A failed scan hands it back unchanged; a panicked one
        // loses it, and the next scan announces every pod again (harmless: events are hints).
        let scan = {
            let strong = Arc::clone(&strong);
            tokio::task::spawn_blocking(move || match named {
                Some(keys) => {
                    let changes = scan_named(&strong, &mut seen, &keys);
                    (changes, seen)
                }
                None => match scan_changes(&strong, &seen) {
                    Ok(scanned) => scanned,
                    Err(_) => (Vec::new(), seen),
                },
            })
            .await
        };
        seen = match scan {
            Ok((changes, now_seen)) => {
                for change in changes {
                    let _ = strong.events.send(change);
                }
                now_seen
            }
            Err(_) => HashMap::new(),
        };
    }
}

/// Reads notices from the change FIFO under `root` into a channel; the channel stays empty (and
/// the scans do all the work) when the FIFO cannot be opened.
fn listen(root: &std::path::Path) -> mpsc::UnboundedReceiver<(String, String)> {
    let (sender, receiver) = mpsc::unbounded_channel();
    if !changes::ensure_fifo(root) {
        // Keep the sender alive so `recv` pends instead of returning `None` in a loop.
        tokio::spawn(async move { sender.closed().await });
        return receiver;
    }
    let path = changes::fifo_path(root);
    let opened = tokio::net::unix::pipe::OpenOptions::new()
        .read_write(true)
        .open_receiver(&path);
    let fifo = match opened {
        Ok(fifo) => fifo,
        Err(error) => {
            tracing::warn!(path = %path.display(), %error, "cannot open the change FIFO; pods are noticed by scanning only");
            tokio::spawn(async move { sender.closed().await });
            return receiver;
        }
    };
    tokio::spawn(async move {
        let mut lines = tokio::io::BufReader::new(fifo).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            if let Some(key) = changes::parse_notice(&line)
                && sender.send(key).is_err()
            {
                return;
            }
        }
    });
    receiver
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

/// Reads the pods named by notices; every other pod keeps what the last scan saw.
fn scan_named(inner: &Inner, seen: &mut SeenPods, keys: &[(String, String)]) -> Vec<PodEvent> {
    let mut changes = Vec::new();
    for key in keys {
        let (namespace, name) = key;
        if pods::check_key(namespace, name).is_err() {
            continue;
        }
        let status_file = inner.pod_dir(namespace, name).status_file();
        let mtime = std::fs::metadata(&status_file)
            .and_then(|m| m.modified())
            .ok();
        let Ok(Some(record)) = inner.inspect_record(namespace, name) else {
            continue;
        };
        let now = Seen {
            generation: record.generation,
            mtime,
            finished: record.phase.is_terminal(),
        };
        let changed = seen.get(key).is_none_or(|previous| {
            previous.generation != now.generation || previous.mtime != now.mtime
        });
        if changed {
            changes.push(PodEvent {
                namespace: namespace.clone(),
                name: name.clone(),
                status: Some(record.to_pod_status()),
            });
        }
        seen.insert(key.clone(), now);
    }
    changes
}

fn scan_changes(inner: &Inner, seen: &SeenPods) -> Result<(Vec<PodEvent>, SeenPods)> {
    let mut changes = Vec::new();
    let mut now_seen = HashMap::new();
    for (namespace, name) in pods::list_keys(&inner.pods_root(), None)? {
        let key = (namespace.clone(), name.clone());
        let status_file = inner.pod_dir(&namespace, &name).status_file();
        // Seen finished and its final record still remembered: it cannot have changed.
        if let Some(previous) = seen.get(&key)
            && previous.finished
            && inner.finished.holds(&status_file)
        {
            now_seen.insert(key, *previous);
            continue;
        }
        let mtime = std::fs::metadata(&status_file)
            .and_then(|m| m.modified())
            .ok();
        // Unchanged since the last scan, and finished or waiting for admission: nothing to do.
        if let Some(previous) = seen.get(&key)
            && previous.mtime.is_some()
            && previous.mtime == mtime
            && (previous.finished || inner.waits_in_line(&namespace, &name))
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
        inner
            .finished
            .forget(&inner.pod_dir(namespace, name).status_file());
        inner.ended(namespace, name)?;
        changes.push(PodEvent {
            namespace: namespace.clone(),
            name: name.clone(),
            status: None,
        });
    }
    Ok((changes, now_seen))
}
