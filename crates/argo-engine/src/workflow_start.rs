//! Starting from a WorkflowTemplate (`workflowTemplateRef`): the executed spec is the
//! template's spec with the workflow's own fields laid over it, arguments merged by name.
//!
//! Must not: fetch templates (they arrive in `Observed::templates`).

use argo_core::{Parameter, WorkflowSpec};

use crate::template_resolution::merge_json;

/// Joins a workflow's spec with the spec of the WorkflowTemplate it references (Argo's
/// `JoinWorkflowSpec` without controller defaults).
pub fn join_workflow_spec(workflow: &WorkflowSpec, template: &WorkflowSpec) -> WorkflowSpec {
    let mut base = serde_json::to_value(template).unwrap_or_default();
    let mut overlay_spec = workflow.clone();
    overlay_spec.workflow_template_ref = None;
    let parameters = merge_parameters(
        &template.arguments.parameters,
        &workflow.arguments.parameters,
    );
    let mut templates = template.templates.clone();
    for own in &workflow.templates {
        match templates.iter_mut().find(|t| t.name == own.name) {
            Some(existing) => *existing = own.clone(),
            None => templates.push(own.clone()),
        }
    }
    overlay_spec.templates.clear();
    overlay_spec.arguments.parameters.clear();
    let overlay = serde_json::to_value(&overlay_spec).unwrap_or_default();
    merge_json(&mut base, overlay);
    let mut merged: WorkflowSpec =
        serde_json::from_value(base).unwrap_or_else(|_| template.clone());
    merged.arguments.parameters = parameters;
    merged.templates = templates;
    if merged.entrypoint.is_empty() {
        merged.entrypoint = template.entrypoint.clone();
    }
    merged
}

fn merge_parameters(base: &[Parameter], overlay: &[Parameter]) -> Vec<Parameter> {
    let mut out: Vec<Parameter> = base.to_vec();
    for param in overlay {
        match out.iter_mut().find(|p| p.name == param.name) {
            Some(existing) => {
                if param.value.is_some() {
                    existing.value = param.value.clone();
                }
                if param.value_from.is_some() {
                    existing.value_from = param.value_from.clone();
                }
            }
            None => out.push(param.clone()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_arguments_override_template_arguments_by_name() {
        let mut template = WorkflowSpec {
            entrypoint: "main".into(),
            ..WorkflowSpec::default()
        };
        template.arguments.parameters = vec![
            Parameter::with_value("a", "1"),
            Parameter::with_value("b", "2"),
        ];
        let mut workflow = WorkflowSpec::default();
        workflow.arguments.parameters = vec![Parameter::with_value("b", "3")];
        let merged = join_workflow_spec(&workflow, &template);
        assert_eq!(merged.entrypoint, "main");
        let values: Vec<_> = merged
            .arguments
            .parameters
            .iter()
            .map(|p| p.value.clone().unwrap_or_default().0)
            .collect();
        assert_eq!(values, ["1", "3"]);
    }
}
