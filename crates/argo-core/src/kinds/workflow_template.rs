//! `WorkflowTemplate` (namespaced) and `ClusterWorkflowTemplate` (cluster-scoped): stored
//! workflow specs that workflows reference or are submitted from.
//!
//! Must not: resolve `templateRef`s.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use schemars::JsonSchema;
use serde::Deserialize;

use crate::kinds::{argo_kind, object_meta, serialize_kind};
use crate::spec::workflow_spec::WorkflowSpec;

/// A namespaced, reusable workflow spec.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, JsonSchema)]
#[serde(default)]
#[schemars(transform = crate::kinds::with_type_meta)]
pub struct WorkflowTemplate {
    pub metadata: ObjectMeta,
    pub spec: WorkflowSpec,
}

argo_kind!(
    WorkflowTemplate,
    kind = "WorkflowTemplate",
    plural = "workflowtemplates",
    scope = NamespaceResourceScope
);
serialize_kind!(WorkflowTemplate { "spec" => spec });

/// A list of workflow templates.
pub type WorkflowTemplateList = k8s_openapi::List<WorkflowTemplate>;

/// A cluster-scoped, reusable workflow spec.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, JsonSchema)]
#[serde(default)]
#[schemars(transform = crate::kinds::with_type_meta)]
pub struct ClusterWorkflowTemplate {
    pub metadata: ObjectMeta,
    pub spec: WorkflowSpec,
}

argo_kind!(
    ClusterWorkflowTemplate,
    kind = "ClusterWorkflowTemplate",
    plural = "clusterworkflowtemplates",
    scope = ClusterResourceScope
);
serialize_kind!(ClusterWorkflowTemplate { "spec" => spec });

/// A list of cluster workflow templates.
pub type ClusterWorkflowTemplateList = k8s_openapi::List<ClusterWorkflowTemplate>;

impl WorkflowTemplate {
    /// A template with this name in namespace `argo` and this spec.
    pub fn test(name: &str, spec: WorkflowSpec) -> Self {
        WorkflowTemplate {
            metadata: object_meta(name, Some("argo")),
            spec,
        }
    }
}

impl ClusterWorkflowTemplate {
    /// A cluster template with this name and spec.
    pub fn test(name: &str, spec: WorkflowSpec) -> Self {
        ClusterWorkflowTemplate {
            metadata: object_meta(name, None),
            spec,
        }
    }
}
