//! Artifact repositories: where a workflow's files live between pods.
//!
//! - [`ArtifactRepository`] is the object-storage trait (put, get, open, list, delete) every
//!   backend implements; [`LocalRepository`] keeps objects under `<root>/<bucket>/<key>`.
//! - [`keys`] renders Argo's `keyFormat` (`{{workflow.name}}/{{pod.name}}` by default).
//! - [`archive`] packs and unpacks tar+gzip, zip and plain files.
//! - [`transfer`] moves one artifact between a path and a repository with its archive strategy,
//!   `subPath`, `mode` and `optional` semantics; [`location`] decides which object an artifact
//!   names (key-only `s3: {key}` artifacts resolve against the default repository).
//!
//! This crate must not know about pods, the store or the workflow status: the executor calls it.

pub mod archive;
mod error;
pub mod keys;
pub mod local;
pub mod location;
mod repository;
pub mod transfer;

pub use error::{Error, Result};
pub use keys::{DEFAULT_KEY_FORMAT, KeyContext};
pub use local::LocalRepository;
pub use location::{DefaultRepository, Resolved};
pub use repository::{ArtifactRepository, ObjectLocation, ObjectReader};
