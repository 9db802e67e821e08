//! DAG templates: tasks with `dependencies` or an enhanced `depends` expression, an optional
//! `target` and fail-fast behaviour.
//!
//! Must not: order tasks or evaluate `depends`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::spec::hooks::LifecycleHooks;
use crate::spec::parameters::Arguments;
use crate::spec::reference::{TemplateCall, TemplateRef};
use crate::spec::steps::{ContinueOn, Sequence};
use crate::spec::template::Template;
use crate::status::NodePhase;
use crate::values::{Item, null_as_default};

/// A DAG of tasks.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct DagTemplate {
    /// Space-separated task names to run (with their dependencies); empty means all.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub target: String,
    #[serde(deserialize_with = "null_as_default")]
    pub tasks: Vec<DagTask>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fail_fast: Option<bool>,
}

impl DagTemplate {
    /// The task with this name.
    pub fn task(&self, name: &str) -> Option<&DagTask> {
        self.tasks.iter().find(|t| t.name == name)
    }
}

/// One DAG task.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct DagTask {
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
    pub dependencies: Vec<String>,
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
    #[serde(skip_serializing_if = "String::is_empty")]
    pub depends: String,
    #[serde(skip_serializing_if = "LifecycleHooks::is_empty")]
    pub hooks: LifecycleHooks,
}

impl TemplateCall for DagTask {
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

impl DagTask {
    /// True when `continueOn` lets the DAG carry on after this phase.
    pub fn continues_on(&self, phase: &NodePhase) -> bool {
        self.continue_on.as_ref().is_some_and(|c| c.covers(phase))
    }

    /// A task calling a template by name.
    pub fn calling(name: impl Into<String>, template: impl Into<String>) -> Self {
        DagTask {
            name: name.into(),
            template: template.into(),
            ..DagTask::default()
        }
    }
}
