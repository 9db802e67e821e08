//! References to templates in other (Cluster)WorkflowTemplates and to whole WorkflowTemplates.
//!
//! Must not: look anything up.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::spec::parameters::Arguments;
use crate::spec::template::Template;
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

/// Something that calls a template: a step, a DAG task or a lifecycle hook. The callee is an
/// inline template, a `templateRef`, or a template of the same workflow by name.
pub trait TemplateCall {
    /// The step's or task's name ("" for hooks).
    fn name(&self) -> &str;
    /// The local template name ("" when a reference or inline template is used).
    fn template_name(&self) -> &str;
    /// The template in another (Cluster)WorkflowTemplate.
    fn template_ref(&self) -> Option<&TemplateRef>;
    /// The template given inline.
    fn inline_template(&self) -> Option<&Template>;
    /// The arguments passed.
    fn arguments(&self) -> &Arguments;
}
