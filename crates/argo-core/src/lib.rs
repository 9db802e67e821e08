//! The `argoproj.io/v1alpha1` resource model: Workflow, WorkflowTemplate, ClusterWorkflowTemplate,
//! CronWorkflow, WorkflowEventBinding, WorkflowTaskSet, WorkflowTaskResult and
//! WorkflowArtifactGCTask, as serde types whose JSON and YAML match Argo's, plus parsing of
//! multi-document YAML/JSON with unknown-field detection and line numbers.
//!
//! Layout: `spec` (what users write), `status` (what the controller writes), `kinds` (the eight
//! top-level resources), `values` (Argo's special JSON scalars and duration strings), `labels`
//! (well-known label and annotation keys), and for parsing `document` (entry points), `path`,
//! `positions`, `unknown_fields` and the private `coercion` (Go-compatible scalar reading).
//!
//! Everything is re-exported at the crate root: `argo_core::{Workflow, Template, NodeStatus,
//! parse_documents, ...}`. Kubernetes types come from the re-exported `k8s_openapi`.
//!
//! Must not: perform I/O, read clocks or evaluate expressions (that is `argo-expr`).

pub mod kinds;
pub mod spec;
pub mod status;
pub mod values;

pub use kinds::*;
pub use spec::*;
pub use status::*;
pub use values::{Amount, AnyString, Item, Progress, parse_duration_or_seconds, parse_go_duration};

/// Re-exported so dependents name the same Kubernetes types.
pub use k8s_openapi;

mod coercion;
pub mod document;
mod error;
pub mod labels;
pub mod path;
pub mod positions;
mod resource;
pub mod unknown_fields;

pub use document::{Document, DocumentError, parse_documents, parse_one, parse_resource};
pub use error::{Error, Result};
pub use path::{FieldPath, FieldPathParseError, PathSegment};
pub use positions::Positions;
pub use resource::{ARGO_KINDS, ArgoKind, Resource};
