//! The status side of the model: what the controller, executors and agents write.
//!
//! Must not: contain spec types or transition logic.

pub(crate) mod node;
pub(crate) mod phase;
pub(crate) mod synchronization;
pub(crate) mod workflow_status;

pub use node::*;
pub use phase::*;
pub use synchronization::*;
pub use workflow_status::*;
