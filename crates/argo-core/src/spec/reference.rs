//! References to templates in other (Cluster)WorkflowTemplates and to whole WorkflowTemplates.
//!
//! Must not: look anything up.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::values::is_false;

/// A template inside a WorkflowTemplate or ClusterWorkflowTemplate.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct TemplateRef {
    /// Name of the (Cluster)WorkflowTemplate.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Name of the template inside it.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub template: String,
    #[serde(skip_serializing_if = "is_false")]
    pub cluster_scope: bool,
}

/// A whole WorkflowTemplate (or ClusterWorkflowTemplate) used as a workflow's spec.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct WorkflowTemplateRef {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(skip_serializing_if = "is_false")]
    pub cluster_scope: bool,
}
