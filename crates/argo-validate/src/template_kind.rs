//! What kind of template a manifest template is (container, steps, DAG...), decided the way Argo
//! decides it: by the first present type field in a fixed order.
//!
//! Must not: validate the template; this only classifies it.

use serde_json::Value;

use crate::manifest::{array, field, has, str};

/// The type of a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplateKind {
    Container,
    ContainerSet,
    Steps,
    Script,
    Resource,
    Dag,
    Suspend,
    Data,
    Http,
    Plugin,
    Unknown,
}

/// The type fields, in the order [`TemplateKind::of`] consults them.
const ORDER: [(&str, TemplateKind); 10] = [
    ("container", TemplateKind::Container),
    ("containerSet", TemplateKind::ContainerSet),
    ("steps", TemplateKind::Steps),
    ("dag", TemplateKind::Dag),
    ("script", TemplateKind::Script),
    ("resource", TemplateKind::Resource),
    ("data", TemplateKind::Data),
    ("suspend", TemplateKind::Suspend),
    ("http", TemplateKind::Http),
    ("plugin", TemplateKind::Plugin),
];

impl TemplateKind {
    /// The kind of a template.
    pub fn of(template: &Value) -> Self {
        ORDER
            .iter()
            .find(|(key, _)| has(template, key))
            .map_or(TemplateKind::Unknown, |(_, kind)| *kind)
    }

    /// How many type fields a template sets.
    pub fn count_of(template: &Value) -> usize {
        ORDER.iter().filter(|(key, _)| has(template, key)).count()
    }

    /// Argo's name for the kind, used in messages.
    pub fn name(self) -> &'static str {
        match self {
            TemplateKind::Container => "Container",
            TemplateKind::ContainerSet => "ContainerSet",
            TemplateKind::Steps => "Steps",
            TemplateKind::Script => "Script",
            TemplateKind::Resource => "Resource",
            TemplateKind::Dag => "DAG",
            TemplateKind::Suspend => "Suspend",
            TemplateKind::Data => "Data",
            TemplateKind::Http => "HTTP",
            TemplateKind::Plugin => "Plugin",
            TemplateKind::Unknown => "Unknown",
        }
    }

    /// Whether the template runs in a pod.
    pub fn is_pod(self) -> bool {
        matches!(
            self,
            TemplateKind::Container
                | TemplateKind::ContainerSet
                | TemplateKind::Script
                | TemplateKind::Resource
                | TemplateKind::Data
        )
    }

    /// Whether the template does work itself instead of orchestrating other templates.
    pub fn is_leaf(self) -> bool {
        self.is_pod() || matches!(self, TemplateKind::Http | TemplateKind::Plugin)
    }
}

/// Whether a template yields `outputs.result` and `exitCode`.
pub fn has_output(template: &Value) -> bool {
    has(template, "container")
        || container_set_has_main(template)
        || has(template, "script")
        || has(template, "data")
        || has(template, "http")
        || has(template, "plugin")
}

/// Whether the template's container set has a container named `main`.
pub fn container_set_has_main(template: &Value) -> bool {
    field(template, "containerSet").is_some_and(|set| {
        array(set, "containers")
            .iter()
            .any(|container| str(container, "name") == "main")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_first_type_field_decides_the_kind() {
        assert_eq!(
            TemplateKind::of(&json!({"container": {}})),
            TemplateKind::Container
        );
        assert_eq!(
            TemplateKind::of(&json!({"dag": {}, "script": {}})),
            TemplateKind::Dag
        );
        assert_eq!(
            TemplateKind::of(&json!({"name": "x"})),
            TemplateKind::Unknown
        );
    }

    #[test]
    fn suspend_is_neither_leaf_nor_pod() {
        assert!(!TemplateKind::Suspend.is_leaf());
        assert!(TemplateKind::Http.is_leaf());
        assert!(!TemplateKind::Http.is_pod());
    }
}
