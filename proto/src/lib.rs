//! The Argo Workflows API schema for the Rust rebuild: wire types, services and descriptors.
//!
//! The `.proto` files under `protos/` keep upstream Argo's package, service, method, message
//! and field names and numbers, so a gRPC client generated from Argo's own protos talks to
//! our servers unchanged. This crate only describes the wire; it holds no service logic and
//! performs no I/O.
//!
//! - [`pb`] is the generated prost/tonic code, one module per protobuf package;
//!   [`wf`], [`k8s_core`], [`k8s_meta`] and the service modules are short aliases into it.
//! - [`FILE_DESCRIPTOR_SET`] is the compiled schema, for gRPC reflection and the REST gateway;
//!   [`descriptor_pool`] decodes it once.
//! - [`request_params`] fills request messages from REST path and query parameters.
//! - [`json`] converts between Argo's REST JSON (Go `encoding/json` of the Kubernetes-style
//!   structs) and protobuf messages, using only the descriptor set.

pub mod descriptors;
mod error;
pub mod http_binding;
pub mod json;
pub mod request_params;

pub use descriptors::{FILE_DESCRIPTOR_SET, descriptor_pool};
pub use error::{Error, Result};
pub use http_binding::{HttpBinding, HttpBody, HttpVerb, http_bindings};
pub use json::{json_to_message, json_to_prost, message_to_json, prost_to_json};
pub use request_params::set_request_param;

/// Generated code, nested by protobuf package (`pb::workflow`, `pb::k8s::io::api::core::v1`, ...).
#[allow(clippy::all, clippy::pedantic, missing_docs, rustdoc::all)]
pub mod pb {
    include!(concat!(env!("OUT_DIR"), "/argo_proto_modules.rs"));
}

/// Argo Events `v1alpha1` messages carried by the event-source and sensor services.
pub use pb::github::com::argoproj::argo_events::pkg::apis::events::v1alpha1 as events;
/// Argo's `argoproj.io/v1alpha1` resource messages (`Workflow`, `Template`, ...).
pub use pb::github::com::argoproj::argo_workflows::v4::pkg::apis::workflow::v1alpha1 as wf;
/// Kubernetes `core/v1` messages the API reaches.
pub use pb::k8s::io::api::core::v1 as k8s_core;
/// Kubernetes `meta/v1` messages (object metadata, list and request options).
pub use pb::k8s::io::apimachinery::pkg::apis::meta::v1 as k8s_meta;

pub use pb::{
    artifact, clusterworkflowtemplate, cronworkflow, event, eventsource, info, sensor, sync,
    workflow, workflowarchive, workflowtemplate,
};
