//! The workflow controller: watches Workflows in a store, reconciles each with
//! `argo_engine::reconcile` and carries out the effects on a pod runtime.
//!
//! Layout: [`queue`] (deduplicating work queue), [`observe`] (building the engine's input),
//! [`effects`] (carrying out the engine's output), [`workers`] (the loop and its watchers),
//! [`gc`] (pod GC), [`ttl`] (workflow TTL), [`config`] (Argo's controller configmap shape),
//! [`local`] (pods on the local runtime with an embedded store), `inline_wait` (local mode's
//! `wait` containers run in this process), `memo`, `locks`,
//! `pod_status`, `own_writes` (the watch events of the controller's own writes), `passes`
//! (counts of passes and writes), `seen_results` (task results a pass already read).
//! Must not: decide workflow semantics (the engine does) or keep state a restart needs.

pub mod agent;
pub mod archive;
pub mod archive_gc;
mod cluster;
pub mod config;
pub mod effects;
pub mod embedded;
mod error;
pub mod gc;
mod heap;
mod inline_wait;
pub mod local;
mod locks;
mod memo;
pub mod observe;
mod own_writes;
mod owners;
mod passes;
mod pod_status;
pub mod queue;
mod seen_results;
mod spec_caches;
pub mod ttl;
pub mod workers;

pub use cluster::Cluster;
pub use config::{ControllerConfig, DEFAULT_POD_SETTLE, LoopSettings};
pub use effects::{AsRendered, PodRewriter};
pub use embedded::{Embedded, EmbeddedOptions};
pub use error::{Error, Result};
pub use heap::limit_arenas;
pub use local::LocalPods;
pub use locks::LockTable;
pub use passes::PassCounts;
pub use pod_status::observe_pod;
pub use queue::{WorkQueue, WorkflowKey};
pub use workers::{Controller, Pass};
