//! The storage traits the services and the controller program against, and their parameter and
//! result types.
//!
//! Semantics every backend keeps (the conformance suite checks them):
//! - `resourceVersion` is a store-wide revision that increases with every write and is opaque to
//!   clients; a list reports the revision it reflects, and watching from it misses nothing.
//! - `update` and `delete` with a stale `resourceVersion` (or `uid`) fail with `Conflict`; an
//!   update without one is unconditional.
//! - `generation` starts at 1 and grows when anything but `metadata` (and `status`, for kinds with
//!   a status subresource) changes; `update_status` never changes it.
//! - A write that changes nothing takes no revision and emits no event.
//! - A watch from a revision delivers every later change in order, or fails with `Expired` once
//!   that history was compacted; a watch without one (or from `"0"`) starts with the current
//!   objects as `Added`.
//! - Deleting an object with finalizers only marks it (`deletionTimestamp`); it goes when an
//!   update removes the last finalizer.
//!
//! The traits are object-safe (`Arc<dyn ResourceStore>`). This module holds no backend logic.

use std::sync::Arc;

use async_trait::async_trait;

use crate::{Object, Published, ResourceKind, Result, Revision, WatchStream};

/// Which objects a list returns, and which page. Paging through a list returns every object that
/// exists throughout exactly once, in (namespace, name) order; objects created or deleted while
/// paging may or may not be included.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListParams {
    /// Only this namespace; `None` lists every namespace (ignored for cluster-scoped kinds).
    pub namespace: Option<String>,
    pub label_selector: Option<String>,
    pub field_selector: Option<String>,
    /// At most this many items per page; `None` or 0 means all.
    pub limit: Option<u32>,
    /// The `continue_token` of the previous page.
    pub continue_token: Option<String>,
}

impl ListParams {
    #[must_use]
    pub fn namespace(mut self, namespace: &str) -> Self {
        self.namespace = Some(namespace.to_owned());
        self
    }

    #[must_use]
    pub fn labels(mut self, selector: &str) -> Self {
        self.label_selector = Some(selector.to_owned());
        self
    }

    #[must_use]
    pub fn fields(mut self, selector: &str) -> Self {
        self.field_selector = Some(selector.to_owned());
        self
    }

    #[must_use]
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    #[must_use]
    pub fn continue_from(mut self, token: Option<String>) -> Self {
        self.continue_token = token;
        self
    }
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectList<T = Object> {
    /// Sorted by namespace, then name.
    pub items: Vec<T>,
    /// The revision the list reflects. For paginated lists every page reports the first page's
    /// revision, so watching from it after the last page misses no change.
    pub resource_version: String,
    /// Present when more items follow; pass it back in [`ListParams::continue_token`].
    pub continue_token: Option<String>,
}

impl<T> ObjectList<T> {
    pub fn map<U>(self, convert: impl FnMut(T) -> Result<U>) -> Result<ObjectList<U>> {
        Ok(ObjectList {
            items: self.items.into_iter().map(convert).collect::<Result<_>>()?,
            resource_version: self.resource_version,
            continue_token: self.continue_token,
        })
    }
}

/// Which changes a watch delivers, and from when.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WatchParams {
    pub namespace: Option<String>,
    pub label_selector: Option<String>,
    pub field_selector: Option<String>,
    /// Deliver the changes after this revision (`Expired` when it was compacted). `None`, `""`
    /// and `"0"` (Kubernetes' "most recent" and "any") first deliver every matching object as
    /// `Added`, then the changes after that snapshot.
    pub resource_version: Option<String>,
}

impl WatchParams {
    #[must_use]
    pub fn namespace(mut self, namespace: &str) -> Self {
        self.namespace = Some(namespace.to_owned());
        self
    }

    #[must_use]
    pub fn labels(mut self, selector: &str) -> Self {
        self.label_selector = Some(selector.to_owned());
        self
    }

    #[must_use]
    pub fn fields(mut self, selector: &str) -> Self {
        self.field_selector = Some(selector.to_owned());
        self
    }

    #[must_use]
    pub fn from_version(mut self, resource_version: &str) -> Self {
        self.resource_version = Some(resource_version.to_owned());
        self
    }
}

/// Conditions a delete checks against the stored object; a mismatch is a `Conflict`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Preconditions {
    pub uid: Option<String>,
    pub resource_version: Option<String>,
}

/// What a delete did.
#[derive(Debug, Clone, PartialEq)]
pub enum Deletion<T = Object> {
    /// The object is gone; this is its last state.
    Deleted(T),
    /// The object has finalizers: it is marked with `deletionTimestamp` and stays until they are
    /// removed.
    Finalizing(T),
}

impl<T> Deletion<T> {
    pub fn object(&self) -> &T {
        match self {
            Self::Deleted(object) | Self::Finalizing(object) => object,
        }
    }

    pub fn map<U>(self, convert: impl FnOnce(T) -> Result<U>) -> Result<Deletion<U>> {
        Ok(match self {
            Self::Deleted(object) => Deletion::Deleted(convert(object)?),
            Self::Finalizing(object) => Deletion::Finalizing(convert(object)?),
        })
    }
}

/// Reads objects.
#[async_trait]
pub trait ResourceReader: Send + Sync {
    async fn get(&self, kind: &ResourceKind, namespace: Option<&str>, name: &str)
    -> Result<Object>;

    /// As [`Self::get`], shared: a backend that keeps parsed objects hands out its own copy
    /// instead of a deep clone (typed reads only borrow it). Never mutate through it.
    async fn get_shared(
        &self,
        kind: &ResourceKind,
        namespace: Option<&str>,
        name: &str,
    ) -> Result<Arc<Object>> {
        self.get(kind, namespace, name).await.map(Arc::new)
    }

    async fn list(&self, kind: &ResourceKind, params: &ListParams) -> Result<ObjectList>;

    /// As [`Self::list`], the objects shared (see [`Self::get_shared`]).
    async fn list_shared(
        &self,
        kind: &ResourceKind,
        params: &ListParams,
    ) -> Result<ObjectList<Arc<Object>>> {
        self.list(kind, params)
            .await?
            .map(|object| Ok(Arc::new(object)))
    }
}

/// Writes objects. Every write that changes something takes the next store revision.
#[async_trait]
pub trait ResourceWriter: Send + Sync {
    /// Stores a new object. A missing name is generated from `metadata.generateName`. Sets
    /// `uid`, `creationTimestamp`, `resourceVersion` and `generation`.
    async fn create(&self, kind: &ResourceKind, object: Object) -> Result<Object>;

    /// Replaces an object; `metadata.resourceVersion`, when set, must be the stored one.
    async fn update(&self, kind: &ResourceKind, object: Object) -> Result<Object>;

    /// As [`Self::update`], the stored object shared (a backend that keeps it, in its read
    /// cache or its event history, hands out that copy instead of a deep clone).
    async fn update_shared(&self, kind: &ResourceKind, object: Object) -> Result<Arc<Object>> {
        self.update(kind, object).await.map(Arc::new)
    }

    /// Replaces only the object's `status`; the precondition is as for [`Self::update`].
    async fn update_status(&self, kind: &ResourceKind, object: Object) -> Result<Object>;

    async fn delete(
        &self,
        kind: &ResourceKind,
        namespace: Option<&str>,
        name: &str,
        preconditions: &Preconditions,
    ) -> Result<Deletion>;
}

/// Streams changes.
#[async_trait]
pub trait ResourceWatcher: Send + Sync {
    /// Starts a watch. Fails with `Expired` when `params.resource_version` is older than the
    /// retained history; the client should list again and watch from the list's revision.
    async fn watch(&self, kind: &ResourceKind, params: &WatchParams) -> Result<WatchStream>;

    /// As [`Self::watch`], each object cut down to its `apiVersion`, `kind` and `metadata`
    /// (Kubernetes' metadata-only watch), for watchers that need names, labels and revisions
    /// only: a backend that supports it then copies no object body per change.
    async fn watch_metadata(
        &self,
        kind: &ResourceKind,
        params: &WatchParams,
    ) -> Result<WatchStream> {
        use futures::StreamExt;
        let events = self.watch(kind, params).await?;
        Ok(events
            .map(|event| event.and_then(|event| event.map(|object| Ok(object.metadata_only()))))
            .boxed())
    }

    /// The newest revisions this handle has published to its watches (of `kind`, and of the
    /// whole store), known without I/O. A watch-fed cache that has applied `kind`'s revision
    /// reflects every write made through this handle. `None` when the backend cannot tell:
    /// caches then read through.
    fn published(&self, kind: &ResourceKind) -> Option<Published> {
        let _ = kind;
        None
    }
}

/// Discards old watch history, as etcd compaction does. Watches from before it get `Expired`.
#[async_trait]
pub trait EventCompaction: Send + Sync {
    /// Drops the change history up to and including `through`.
    async fn compact_events(&self, through: Revision) -> Result<()>;

    /// The newest revision written so far.
    async fn current_revision(&self) -> Result<Revision>;
}

/// A full store: read, write and watch.
pub trait ResourceStore: ResourceReader + ResourceWriter + ResourceWatcher {}

impl<T: ResourceReader + ResourceWriter + ResourceWatcher + ?Sized> ResourceStore for T {}

#[async_trait]
impl<S: ResourceReader + ?Sized> ResourceReader for Arc<S> {
    async fn get(
        &self,
        kind: &ResourceKind,
        namespace: Option<&str>,
        name: &str,
    ) -> Result<Object> {
        (**self).get(kind, namespace, name).await
    }

    async fn get_shared(
        &self,
        kind: &ResourceKind,
        namespace: Option<&str>,
        name: &str,
    ) -> Result<Arc<Object>> {
        (**self).get_shared(kind, namespace, name).await
    }

    async fn list(&self, kind: &ResourceKind, params: &ListParams) -> Result<ObjectList> {
        (**self).list(kind, params).await
    }

    async fn list_shared(
        &self,
        kind: &ResourceKind,
        params: &ListParams,
    ) -> Result<ObjectList<Arc<Object>>> {
        (**self).list_shared(kind, params).await
    }
}

#[async_trait]
impl<S: ResourceWriter + ?Sized> ResourceWriter for Arc<S> {
    async fn create(&self, kind: &ResourceKind, object: Object) -> Result<Object> {
        (**self).create(kind, object).await
    }

    async fn update(&self, kind: &ResourceKind, object: Object) -> Result<Object> {
        (**self).update(kind, object).await
    }

    async fn update_shared(&self, kind: &ResourceKind, object: Object) -> Result<Arc<Object>> {
        (**self).update_shared(kind, object).await
    }

    async fn update_status(&self, kind: &ResourceKind, object: Object) -> Result<Object> {
        (**self).update_status(kind, object).await
    }

    async fn delete(
        &self,
        kind: &ResourceKind,
        namespace: Option<&str>,
        name: &str,
        preconditions: &Preconditions,
    ) -> Result<Deletion> {
        (**self).delete(kind, namespace, name, preconditions).await
    }
}

#[async_trait]
impl<S: ResourceWatcher + ?Sized> ResourceWatcher for Arc<S> {
    async fn watch(&self, kind: &ResourceKind, params: &WatchParams) -> Result<WatchStream> {
        (**self).watch(kind, params).await
    }

    async fn watch_metadata(
        &self,
        kind: &ResourceKind,
        params: &WatchParams,
    ) -> Result<WatchStream> {
        (**self).watch_metadata(kind, params).await
    }

    fn published(&self, kind: &ResourceKind) -> Option<Published> {
        (**self).published(kind)
    }
}

#[async_trait]
impl<S: EventCompaction + ?Sized> EventCompaction for Arc<S> {
    async fn compact_events(&self, through: Revision) -> Result<()> {
        (**self).compact_events(through).await
    }

    async fn current_revision(&self) -> Result<Revision> {
        (**self).current_revision().await
    }
}
