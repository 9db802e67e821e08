//! Storage of resources: the traits the services and the controller use, and their backends.
//!
//! The store holds any kind as a JSON [`Object`] keyed by (apiVersion/kind, namespace, name) and
//! keeps Kubernetes semantics: a store-wide `resourceVersion`, optimistic concurrency, label and
//! field selectors, paginated lists, and watches that resume from a revision (or fail with
//! [`Error::Expired`] so the client lists again). Backends: [`memory`] (in-process) and
//! [`sqlite`] (durable, one file). Every backend passes the suite in `conformance`.
//! [`Informer`] keeps a watch-fed copy of one kind for readers that must not hit the backend
//! on every read, and stays exactly as fresh as the store for writes made through it.
//!
//! This crate must not depend on the resource model: typed access goes through
//! `k8s_openapi` traits ([`Typed`]).
//!
//! ```
//! use std::sync::Arc;
//! use argo_store::{ListParams, MemoryStore, Object, ResourceKind, ResourceStore, Scope, WatchParams};
//! use futures::StreamExt;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> argo_store::Result<()> {
//! let workflows = ResourceKind::new("argoproj.io/v1alpha1", "Workflow", Scope::Namespaced);
//! let store: Arc<dyn ResourceStore> = Arc::new(MemoryStore::default());
//! let draft = Object::new(&workflows, Some("argo"), "").with_generate_name("hello-");
//! let created = store.create(&workflows, draft).await?;
//! assert!(created.name().starts_with("hello-"));
//!
//! // List, then watch from the list's revision: no change is missed in between.
//! let list = store.list(&workflows, &ListParams::default().namespace("argo")).await?;
//! let from = WatchParams::default().from_version(&list.resource_version);
//! let mut changes = store.watch(&workflows, &from).await?;
//! store.delete(&workflows, Some("argo"), created.name(), &Default::default()).await?;
//! let deleted = changes.next().await.expect("an event")?;
//! assert_eq!(deleted.event_type(), argo_store::EventType::Deleted);
//! # Ok(())
//! # }
//! ```

pub mod archive;
#[cfg(feature = "conformance")]
pub mod conformance;
pub mod environment;
mod error;
pub mod informer;
pub mod memory;
pub mod mutation;
mod object;
pub mod pagination;
mod published;
pub mod selector;
pub mod sqlite;
mod store;
mod typed;
pub mod watch;

pub use archive::{ArchiveQuery, ArchiveStore, MemoryArchive, NameMatch, SqliteArchive};
pub use environment::{
    Clock, Environment, IdGenerator, ManualClock, RandomIds, SequentialIds, SystemClock,
};
pub use error::{Error, Result};
pub use informer::Informer;
pub use memory::MemoryStore;
pub use object::{Object, ObjectKey, ResourceKind, Revision, Scope, ScopeOf};
pub use published::{Published, PublishedRevisions};
pub use selector::{FieldSelector, LabelSelector, Selectors};
pub use sqlite::{SqliteConfig, SqliteStore};
pub use store::{
    Deletion, EventCompaction, ListParams, ObjectList, Preconditions, ResourceReader,
    ResourceStore, ResourceWatcher, ResourceWriter, WatchParams,
};
pub use typed::Typed;

/// The store traits, for `use argo_store::prelude::*` where their methods are called.
pub mod prelude {
    pub use crate::{
        EventCompaction, ResourceReader, ResourceStore, ResourceWatcher, ResourceWriter,
    };
}
pub use watch::{EventType, WatchEvent, WatchStream};
