//! A watch-fed copy of one kind, as Kubernetes clients keep (an informer): it lists the kind
//! once, then applies the store's watch, and answers `get` and `list` from memory.
//!
//! A read is answered from the copy only when the copy provably holds every change the store
//! handle has published for the kind ([`ResourceWatcher::published`]): since a write is
//! published before it returns, a read after a write through the same handle always sees it.
//! When the copy is behind, the read waits briefly for it to catch up, then reads through to
//! the store; it also reads through before the first list, after a failed watch (until the
//! relist) and when the backend cannot say what it published. Writes made by another process
//! reach the copy when the store delivers them to its watches (SQLite: its poll interval).
//!
//! Must not: write to the store, or hold its lock across an await.

use std::collections::BTreeMap;
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard};
use std::time::Duration;

use futures::StreamExt as _;
use tokio::sync::watch;

use crate::pagination::{self, ContinueToken};
use crate::{
    ListParams, Object, ObjectList, Published, ResourceKind, ResourceStore, Result, Revision,
    Selectors, WatchEvent, WatchParams,
};

/// How long a read waits for the copy to apply a change already published before reading
/// through instead.
pub const CATCH_UP_WAIT: Duration = Duration::from_millis(250);
/// Pause before listing again after the watch failed.
const RELIST_PAUSE: Duration = Duration::from_millis(200);

type Key = (String, String);

#[derive(Debug, Default)]
struct Copy {
    /// Listed at least once since the last failure.
    synced: bool,
    /// The revision of the last change applied (or of the list).
    applied: Revision,
    objects: BTreeMap<Key, Arc<Object>>,
}

#[derive(Debug, Default)]
struct Shared {
    copy: RwLock<Copy>,
    /// Woken on every applied change, for reads waiting to catch up.
    progress: watch::Sender<()>,
}

impl Shared {
    fn read(&self) -> RwLockReadGuard<'_, Copy> {
        self.copy.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn update(&self, change: impl FnOnce(&mut Copy)) {
        change(&mut self.copy.write().unwrap_or_else(PoisonError::into_inner));
        self.progress.send_replace(());
    }
}

/// The copy of one kind over store `S`; dropping it stops its watch.
pub struct Informer<S: ?Sized> {
    kind: ResourceKind,
    store: Arc<S>,
    shared: Arc<Shared>,
    task: tokio::task::AbortHandle,
}

impl<S: ?Sized> std::fmt::Debug for Informer<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Informer")
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

impl<S: ?Sized> Drop for Informer<S> {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn key_of(kind: &ResourceKind, namespace: Option<&str>, name: &str) -> Key {
    let namespace = if kind.is_namespaced() {
        namespace.unwrap_or("")
    } else {
        ""
    };
    (namespace.to_owned(), name.to_owned())
}

fn object_key(kind: &ResourceKind, object: &Object) -> Key {
    key_of(kind, object.namespace(), object.name())
}

fn revision_of(object: &Object) -> Option<Revision> {
    object
        .metadata
        .resource_version
        .as_deref()
        .and_then(|version| Revision::parse(version).ok())
}

impl<S: ResourceStore + ?Sized + 'static> Informer<S> {
    /// Starts listing and watching `kind` on the current tokio runtime.
    pub fn start(store: Arc<S>, kind: ResourceKind) -> Self {
        let shared = Arc::new(Shared::default());
        let task = tokio::spawn(follow(store.clone(), kind.clone(), shared.clone()));
        Self {
            kind,
            store,
            shared,
            task: task.abort_handle(),
        }
    }

    /// The copy, once it holds everything published for the kind; `None` to read through.
    async fn caught_up(&self) -> Option<(RwLockReadGuard<'_, Copy>, Published)> {
        let published = self.store.published(&self.kind)?;
        let ready = |copy: &Copy| copy.synced && copy.applied >= published.kind;
        {
            let copy = self.shared.read();
            if ready(&copy) {
                return Some((copy, published));
            }
        }
        let mut progress = self.shared.progress.subscribe();
        let waited = tokio::time::timeout(CATCH_UP_WAIT, async {
            loop {
                if ready(&self.shared.read()) {
                    return true;
                }
                if progress.changed().await.is_err() {
                    return false;
                }
            }
        })
        .await;
        if !matches!(waited, Ok(true)) {
            return None;
        }
        let copy = self.shared.read();
        ready(&copy).then_some((copy, published))
    }

    /// One object: from the copy when it is caught up, else from the store.
    ///
    /// # Errors
    /// `NotFound` when there is no such object; the store's errors when reading through.
    pub async fn get(&self, namespace: Option<&str>, name: &str) -> Result<Arc<Object>> {
        if let Some((copy, _)) = self.caught_up().await {
            let key = key_of(&self.kind, namespace, name);
            return match copy.objects.get(&key) {
                Some(object) => Ok(object.clone()),
                None => Err(crate::ObjectKey::new(&self.kind, namespace, name).not_found()),
            };
        }
        self.store
            .get(&self.kind, namespace, name)
            .await
            .map(Arc::new)
    }

    /// A list with the store's semantics (selectors, pages, the revision it reflects): from
    /// the copy when it is caught up, else from the store.
    ///
    /// # Errors
    /// Malformed selectors or continue tokens; the store's errors when reading through.
    pub async fn list(&self, params: &ListParams) -> Result<ObjectList<Arc<Object>>> {
        let selectors = Selectors::parse(
            params.label_selector.as_deref(),
            params.field_selector.as_deref(),
        )?;
        let cursor = pagination::decode_optional(params.continue_token.as_deref())?;
        let page_size = pagination::page_size(params.limit);
        let Some((copy, published)) = self.caught_up().await else {
            let page = self.store.list(&self.kind, params).await?;
            return page.map(|object| Ok(Arc::new(object)));
        };
        // The copy holds every change of the kind up to `applied` and none after it; no change
        // of the kind was published between it and the store's revision, so it reflects both.
        let current = copy.applied.max(published.store);
        let revision = cursor.as_ref().map_or(current, ContinueToken::revision);
        let namespace = params
            .namespace
            .as_deref()
            .filter(|_| self.kind.is_namespaced());
        let start = match (&cursor, namespace) {
            (Some(cursor), _) => {
                std::ops::Bound::Excluded((cursor.namespace.clone(), cursor.name.clone()))
            }
            (None, Some(namespace)) => {
                std::ops::Bound::Included((namespace.to_owned(), String::new()))
            }
            (None, None) => std::ops::Bound::Unbounded,
        };
        let mut items = Vec::new();
        let mut continue_token = None;
        for ((object_namespace, _), object) in
            copy.objects.range((start, std::ops::Bound::Unbounded))
        {
            if let Some(namespace) = namespace {
                if object_namespace.as_str() > namespace {
                    break;
                }
                if object_namespace != namespace {
                    continue;
                }
            }
            if !selectors.matches(object) {
                continue;
            }
            if page_size.is_some_and(|size| items.len() == size) {
                continue_token = items.last().map(|last: &Arc<Object>| {
                    ContinueToken::new(revision, last.namespace().unwrap_or(""), last.name())
                        .encode()
                });
                break;
            }
            items.push(object.clone());
        }
        Ok(ObjectList {
            items,
            resource_version: revision.to_string(),
            continue_token,
        })
    }
}

/// Lists, then applies the watch from the list's revision; lists again when the watch fails
/// or ends. Runs until aborted.
async fn follow<S: ResourceStore + ?Sized>(store: Arc<S>, kind: ResourceKind, shared: Arc<Shared>) {
    loop {
        if let Err(error) = list_and_watch(&*store, &kind, &shared).await {
            tracing::debug!(%error, %kind, "informer watch failed; listing again");
        }
        shared.update(|copy| copy.synced = false);
        tokio::time::sleep(RELIST_PAUSE).await;
    }
}

async fn list_and_watch<S: ResourceStore + ?Sized>(
    store: &S,
    kind: &ResourceKind,
    shared: &Shared,
) -> Result<()> {
    let list = store.list(kind, &ListParams::default()).await?;
    let listed = Revision::parse(&list.resource_version)?;
    let objects = list
        .items
        .into_iter()
        .map(|object| (object_key(kind, &object), Arc::new(object)))
        .collect();
    shared.update(|copy| {
        *copy = Copy {
            synced: true,
            applied: listed,
            objects,
        };
    });
    let params = WatchParams::default().from_version(&list.resource_version);
    let mut changes = store.watch(kind, &params).await?;
    while let Some(change) = changes.next().await {
        let change = change?;
        let revision = revision_of(change.object());
        let key = object_key(kind, change.object());
        shared.update(|copy| {
            match change {
                WatchEvent::Added(object) | WatchEvent::Modified(object) => {
                    copy.objects.insert(key, Arc::new(object));
                }
                WatchEvent::Deleted(_) => {
                    copy.objects.remove(&key);
                }
            }
            if let Some(revision) = revision {
                copy.applied = copy.applied.max(revision);
            }
        });
    }
    Ok(())
}

#[cfg(test)]
#[path = "informer_tests.rs"]
mod tests;
