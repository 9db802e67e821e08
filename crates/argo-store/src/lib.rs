//! Storage of resources: the traits the services and the controller use, and their backends.
//!
//! The store holds any kind as a JSON [`Object`] keyed by (apiVersion/kind, namespace, name) and
//! keeps Kubernetes semantics: a store-wide `resourceVersion`, optimistic concurrency, label and
//! field selectors, paginated lists, and watches that resume from a revision (or fail with
//! [`Error::Expired`] so the client lists again). Backends: [`memory`] (in-process) and
//! [`sqlite`] (durable, one file). Every backend passes the suite in `conformance`.
//!
//! This crate must not depend on the resource model: typed access goes through
//! `k8s_openapi` traits ([`Typed`]).

#[cfg(feature = "conformance")]
pub mod conformance;
pub mod environment;
mod error;
pub mod memory;
pub mod mutation;
mod object;
pub mod pagination;
pub mod selector;
pub mod sqlite;
mod store;
mod typed;
pub mod watch;

pub use environment::{
    Clock, Environment, IdGenerator, ManualClock, RandomIds, SequentialIds, SystemClock,
};
pub use error::{Error, Result};
pub use memory::MemoryStore;
pub use object::{Object, ObjectKey, ResourceKind, Revision, Scope, ScopeOf};
pub use selector::{FieldSelector, LabelSelector, Selectors};
pub use sqlite::{SqliteConfig, SqliteStore};
pub use store::{
    Deletion, EventCompaction, ListParams, ObjectList, Preconditions, ResourceReader,
    ResourceStore, ResourceWatcher, ResourceWriter, WatchParams,
};
pub use typed::Typed;
pub use watch::{EventType, WatchEvent, WatchStream};
