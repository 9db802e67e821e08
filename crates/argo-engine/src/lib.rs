//! The workflow operator as a pure function. [`reconcile`] takes a Workflow, what the world
//! reported ([`Observed`]), the time and the [`EngineConfig`], and returns the new status,
//! labels, the [`Effect`]s the controller must carry out and when to look again.
//!
//! Layout: `reconcile` (entry, workflow phase), `executor/*` (one file per template kind),
//! `pod_assessment` (pod observations into nodes), `pod_spec` (pod rendering), `phase` (the
//! node phase transition match), `loops`, `retry`, `deadline`, `parallelism`,
//! `exit_handler`, `outputs`, `scope`, `tags` (is there anything to substitute?), `inputs`,
//! `template_resolution`, `spec_cache` (template facts and the status index kept between reconciles), `status_index`, `node_id`, `operations/*` (suspend, resume, stop, terminate, retry, resubmit, set) and
//! [`simulation`] (a scripted runtime for tests and benchmarks).
//! Must not: perform I/O, read a clock, sleep or use randomness.

mod artifacts;
mod config;
mod deadline;
mod duration;
mod effect;
mod error;
mod executor;
mod exit_handler;
mod hooks;
mod inputs;
mod loops;
mod memoization;
mod observed;
mod operation;
mod outputs;
mod parallelism;
mod pod_assessment;
mod pod_request;
mod pod_spec;
mod reconcile;
mod retry;
mod scope;
mod shared_template;
mod spec_cache;
mod status_index;
mod tags;
mod template_resolution;
mod when;
mod workflow_start;

pub mod node_id;
pub mod operations;
pub mod phase;
pub mod simulation;
pub mod synchronization;

pub use config::EngineConfig;
pub use duration::parse_duration;
pub use effect::{Effect, EventKind, LockRequest, Signal};
pub use error::{Error, Result};
pub use observed::{
    ContainerObservation, ContainerState, LockStatus, MemoEntry, NodeId, Observed, PodName,
    PodObservation, PodPhase, TemplateResolver,
};
pub use pod_assessment::assess_pod;
pub use pod_request::PodRequest;
pub use reconcile::{
    LABEL_COMPLETED, LABEL_PHASE, Reconciled, reconcile, reconcile_cached, reconcile_owned,
    reconcile_with_status,
};
pub use spec_cache::SpecCache;
pub use workflow_start::join_workflow_spec;
