//! `WorkflowEventBinding`: submit a WorkflowTemplate when an event matching a selector arrives.
//!
//! Must not: evaluate selectors.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::kinds::{argo_kind, serialize_kind};
use crate::spec::parameters::Arguments;
use crate::spec::reference::WorkflowTemplateRef;
use crate::values::is_default;

/// Binds events to a workflow submission.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, JsonSchema)]
#[serde(default)]
#[schemars(transform = crate::kinds::with_type_meta)]
pub struct WorkflowEventBinding {
    pub metadata: ObjectMeta,
    pub spec: WorkflowEventBindingSpec,
}

argo_kind!(
    WorkflowEventBinding,
    kind = "WorkflowEventBinding",
    plural = "workfloweventbindings",
    scope = NamespaceResourceScope
);
serialize_kind!(WorkflowEventBinding { "spec" => spec });

/// A list of event bindings.
pub type WorkflowEventBindingList = k8s_openapi::List<WorkflowEventBinding>;

/// The event to match and what to submit.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct WorkflowEventBindingSpec {
    pub event: Event,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub submit: Option<Submit>,
}

/// An expression over `payload`, `metadata` and `discriminator`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct Event {
    pub selector: String,
}

/// The workflow to submit.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct Submit {
    pub workflow_template_ref: WorkflowTemplateRef,
    #[serde(skip_serializing_if = "is_default")]
    pub metadata: ObjectMeta,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arguments: Option<Arguments>,
}
