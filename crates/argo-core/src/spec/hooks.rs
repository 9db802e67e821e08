//! Lifecycle hooks: templates run on an event (`exit`) or when an expression becomes true.
//!
//! Must not: evaluate hook expressions.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::spec::parameters::Arguments;
use crate::spec::reference::{TemplateCall, TemplateRef};
use crate::spec::template::Template;

/// The event name of the exit hook.
pub const EXIT_HOOK: &str = "exit";

/// Hooks keyed by event name (`exit`) or any user-chosen name for expression hooks.
pub type LifecycleHooks = BTreeMap<String, LifecycleHook>;

/// One hook.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct LifecycleHook {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub template: String,
    #[serde(skip_serializing_if = "Arguments::is_empty")]
    pub arguments: Arguments,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template_ref: Option<TemplateRef>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub expression: String,
}

impl TemplateCall for LifecycleHook {
    fn name(&self) -> &str {
        ""
    }

    fn template_name(&self) -> &str {
        &self.template
    }

    fn template_ref(&self) -> Option<&TemplateRef> {
        self.template_ref.as_ref()
    }

    fn inline_template(&self) -> Option<&Template> {
        None
    }

    fn arguments(&self) -> &Arguments {
        &self.arguments
    }
}
