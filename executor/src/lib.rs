//! `argoexec`: the program that runs inside every pod of a container or script node, speaking
//! the emissary protocol of Argo's executor over the shared `/var/run/argo` directory.
//!
//! - `init` ([`inputs`]) stages the template, the script source and input artifacts;
//! - `emissary -- cmd...` ([`emissary`]) runs the main command, forwards signals, captures its
//!   output and exit code, and hands its declared outputs to the wait container;
//! - `wait` ([`wait`]) waits for main (enforcing the deadline), collects the outputs
//!   ([`outputs`]) and reports a `WorkflowTaskResult` ([`report`]);
//! - `resource <action>` ([`resource`]) and `data <spec>` ([`data`]) run as `main` of resource
//!   and data templates and report their own task result.
//!
//! The executor never writes the Workflow itself: the controller reads the task result.

pub mod config;
pub mod container_set;
pub mod data;
pub mod emissary;
mod error;
mod exit_watch;
pub mod handover;
pub mod inputs;
pub mod layout;
pub mod outputs;
pub mod report;
pub mod resource;
pub mod wait;

pub use config::{ArtifactSettings, ExecutorConfig};
pub use error::{Error, Result};
pub use layout::VarRunArgo;
