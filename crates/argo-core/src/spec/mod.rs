//! The spec side of the model: everything a user writes in `spec`.
//!
//! Must not: contain status types or behaviour beyond simple accessors.

pub(crate) mod artifact_location;
pub(crate) mod artifact_repository;
pub(crate) mod artifacts;
pub(crate) mod container;
pub(crate) mod dag;
pub(crate) mod data;
pub(crate) mod gc;
pub(crate) mod hooks;
pub(crate) mod http;
pub(crate) mod memoize;
pub(crate) mod metadata;
pub(crate) mod metrics;
pub(crate) mod object_storage;
pub(crate) mod parameters;
pub(crate) mod plugin;
pub(crate) mod reference;
pub(crate) mod resource;
pub(crate) mod retry;
pub(crate) mod steps;
pub(crate) mod synchronization;
pub(crate) mod template;
pub(crate) mod workflow_spec;

pub use artifact_location::*;
pub use artifact_repository::*;
pub use artifacts::*;
pub use container::*;
pub use dag::*;
pub use data::*;
pub use gc::*;
pub use hooks::*;
pub use http::*;
pub use memoize::*;
pub use metadata::*;
pub use metrics::*;
pub use object_storage::*;
pub use parameters::*;
pub use plugin::*;
pub use reference::*;
pub use resource::*;
pub use retry::*;
pub use steps::*;
pub use synchronization::*;
pub use template::*;
pub use workflow_spec::*;
