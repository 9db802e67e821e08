//! Steps templates: an outer list of step groups run in order, each group a list of steps run in
//! parallel, plus the loop and continue-on settings steps share with DAG tasks.
//!
//! Must not: expand loops or evaluate `when`.

use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::spec::hooks::LifecycleHooks;
use crate::spec::parameters::Arguments;
use crate::spec::reference::{TemplateCall, TemplateRef};
use crate::spec::template::Template;
use crate::status::NodePhase;
use crate::values::{Item, is_false};

/// One group of steps that run in parallel; on the wire it is a bare list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct ParallelSteps {
    pub steps: Vec<WorkflowStep>,
}

impl From<Vec<WorkflowStep>> for ParallelSteps {
    fn from(steps: Vec<WorkflowStep>) -> Self {
        ParallelSteps { steps }
    }
}

/// A step: a reference to a template (by name, templateRef or inline) with arguments.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct WorkflowStep {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub template: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inline: Option<Box<Template>>,
    #[serde(skip_serializing_if = "Arguments::is_empty")]
    pub arguments: Arguments,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template_ref: Option<TemplateRef>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub with_items: Vec<Item>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub with_param: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub with_sequence: Option<Sequence>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub when: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub continue_on: Option<ContinueOn>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub on_exit: String,
    #[serde(skip_serializing_if = "LifecycleHooks::is_empty")]
    pub hooks: LifecycleHooks,
}

impl TemplateCall for WorkflowStep {
    fn name(&self) -> &str {
        &self.name
    }

    fn template_name(&self) -> &str {
        &self.template
    }

    fn template_ref(&self) -> Option<&TemplateRef> {
        self.template_ref.as_ref()
    }

    fn inline_template(&self) -> Option<&Template> {
        self.inline.as_deref()
    }

    fn arguments(&self) -> &Arguments {
        &self.arguments
    }
}

impl WorkflowStep {
    /// True when `continueOn` lets the parent carry on after this phase.
    pub fn continues_on(&self, phase: &NodePhase) -> bool {
        self.continue_on.as_ref().is_some_and(|c| c.covers(phase))
    }

    /// A step calling a template by name.
    pub fn calling(name: impl Into<String>, template: impl Into<String>) -> Self {
        WorkflowStep {
            name: name.into(),
            template: template.into(),
            ..WorkflowStep::default()
        }
    }
}

/// A numeric loop: `count` items, or `start..=end`, formatted with `format`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct Sequence {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<IntOrString>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<IntOrString>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<IntOrString>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub format: String,
}

impl ContinueOn {
    /// True for Error with `error: true` and for Failed with `failed: true`.
    pub fn covers(&self, phase: &NodePhase) -> bool {
        (self.error && *phase == NodePhase::Error) || (self.failed && *phase == NodePhase::Failed)
    }
}

/// Whether the parent carries on when this step or task fails or errors.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct ContinueOn {
    #[serde(skip_serializing_if = "is_false")]
    pub error: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub failed: bool,
}
