//! The `Workflow` kind, plus a small builder for tests.
//!
//! Must not: hold execution logic.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use schemars::JsonSchema;
use serde::Deserialize;

use crate::kinds::{argo_kind, object_meta, serialize_kind};
use crate::spec::parameters::Parameter;
use crate::spec::template::Template;
use crate::spec::workflow_spec::WorkflowSpec;
use crate::status::workflow_status::WorkflowStatus;

/// A workflow run.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, JsonSchema)]
#[serde(default)]
#[schemars(transform = crate::kinds::with_type_meta)]
pub struct Workflow {
    pub metadata: ObjectMeta,
    pub spec: WorkflowSpec,
    pub status: WorkflowStatus,
}

argo_kind!(
    Workflow,
    kind = "Workflow",
    plural = "workflows",
    scope = NamespaceResourceScope
);
serialize_kind!(Workflow { "spec" => spec; ? "status" => status });

/// A list of workflows as the API returns it.
pub type WorkflowList = k8s_openapi::List<Workflow>;

impl Workflow {
    /// Starts a test workflow named `test` in namespace `argo`.
    pub fn test() -> WorkflowBuilder {
        WorkflowBuilder {
            workflow: Workflow {
                metadata: object_meta("test", Some("argo")),
                ..Workflow::default()
            },
        }
    }

    /// The workflow's name ("" when unset).
    pub fn name(&self) -> &str {
        self.metadata.name.as_deref().unwrap_or_default()
    }

    /// The workflow's namespace ("" when unset).
    pub fn namespace(&self) -> &str {
        self.metadata.namespace.as_deref().unwrap_or_default()
    }
}

/// Builds small workflows for tests: `Workflow::test().entrypoint("main").template(..).build()`.
#[derive(Debug, Clone)]
pub struct WorkflowBuilder {
    workflow: Workflow,
}

impl WorkflowBuilder {
    /// Sets the name.
    pub fn name(mut self, name: &str) -> Self {
        self.workflow.metadata.name = Some(name.to_owned());
        self
    }

    /// Sets the namespace.
    pub fn namespace(mut self, namespace: &str) -> Self {
        self.workflow.metadata.namespace = Some(namespace.to_owned());
        self
    }

    /// Sets the entrypoint.
    pub fn entrypoint(mut self, entrypoint: &str) -> Self {
        self.workflow.spec.entrypoint = entrypoint.to_owned();
        self
    }

    /// Adds a template.
    pub fn template(mut self, template: Template) -> Self {
        self.workflow.spec.templates.push(template);
        self
    }

    /// Adds a workflow argument with a literal value.
    pub fn argument(mut self, name: &str, value: &str) -> Self {
        self.workflow
            .spec
            .arguments
            .parameters
            .push(Parameter::with_value(name, value));
        self
    }

    /// Finishes.
    pub fn build(self) -> Workflow {
        self.workflow
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::Resource as _;

    #[test]
    fn workflow_serialises_its_type_fields_and_skips_empty_status() {
        let wf = Workflow::test()
            .entrypoint("main")
            .template(Template::named("main"))
            .build();
        let json = serde_json::to_value(&wf).expect("serialise");
        assert_eq!(json["apiVersion"], "argoproj.io/v1alpha1");
        assert_eq!(json["kind"], "Workflow");
        assert_eq!(json["spec"]["entrypoint"], "main");
        assert!(json.get("status").is_none());
        assert_eq!(Workflow::URL_PATH_SEGMENT, "workflows");
    }

    #[test]
    fn workflow_list_uses_the_list_kind() {
        let list = WorkflowList {
            items: vec![Workflow::test().build()],
            metadata: Default::default(),
        };
        let json = serde_json::to_value(&list).expect("serialise");
        assert_eq!(json["kind"], "WorkflowList");
        let back: WorkflowList = serde_json::from_value(json).expect("deserialise");
        assert_eq!(back.items[0].name(), "test");
    }
}
