//! Matching an event against WorkflowEventBindings and formulating the Workflow each match
//! submits, as Argo's event dispatch does: the binding's `event.selector` is an expr-lang
//! expression over `payload`, `metadata` (the request's `x-` headers, each a list of values),
//! `discriminator` and `namespace` that must yield a boolean; a match creates a Workflow that
//! references `submit.workflowTemplateRef` (named after the template, labelled with the
//! template and the binding), whose `submit.metadata` name, generateName, labels and
//! annotations are expressions yielding strings, and whose parameters are the values of their
//! `valueFrom.event` expressions (strings as they are, anything else as JSON).
//!
//! Must not: do I/O; the caller reads bindings and templates and stores the result.

use std::collections::BTreeMap;

use argo_core::WorkflowEventBinding;
use argo_expr::{Options, Scope};
use serde_json::{Map, Value, json};

/// Label naming the binding that submitted a workflow.
pub const LABEL_EVENT_BINDING: &str = "workflows.argoproj.io/workflow-event-binding";
const LABEL_TEMPLATE: &str = "workflows.argoproj.io/workflow-template";
const LABEL_CLUSTER_TEMPLATE: &str = "workflows.argoproj.io/cluster-workflow-template";

/// What expressions see of one event.
#[derive(Debug, Clone)]
pub struct EventEnvironment {
    scope: Scope,
}

impl EventEnvironment {
    pub fn new(
        namespace: &str,
        discriminator: &str,
        payload: Value,
        headers: &BTreeMap<String, Vec<String>>,
    ) -> Self {
        let mut scope = Scope::new();
        let metadata: Map<String, Value> = headers
            .iter()
            .filter(|(key, _)| key.starts_with("x-"))
            .map(|(key, values)| (key.clone(), json!(values)))
            .collect();
        scope.insert("namespace", namespace);
        scope.insert("discriminator", discriminator);
        scope.insert("payload", payload);
        scope.insert("metadata", Value::Object(metadata));
        Self { scope }
    }

    fn evaluate(&self, expression: &str) -> Result<Value, argo_expr::Error> {
        argo_expr::evaluate(expression, &self.scope, &Options::default())
    }

    /// Whether `binding`'s selector holds for this event.
    pub fn selects(&self, binding: &WorkflowEventBinding) -> Result<bool, String> {
        let selector = &binding.spec.event.selector;
        match self.evaluate(selector) {
            Ok(Value::Bool(matched)) => Ok(matched),
            Ok(other) => Err(format!(
                "malformed workflow event binding selector {selector:?}: evaluated to {other} \
                 instead of a boolean"
            )),
            Err(error) => Err(format!(
                "failed to evaluate workflow event binding selector {selector:?}: {error}"
            )),
        }
    }

    fn string(&self, expression: &str, what: &str) -> Result<String, String> {
        match self.evaluate(expression) {
            Ok(Value::String(text)) => Ok(text),
            Ok(other) => Err(format!(
                "workflow {what} expression must evaluate to a string, not {other}"
            )),
            Err(error) => Err(format!(
                "failed to evaluate workflow {what} expression: {error}"
            )),
        }
    }

    /// The Workflow manifest a matching `binding` submits in `namespace`; `None` when the
    /// binding submits nothing.
    pub fn workflow_for(&self, binding: &WorkflowEventBinding) -> Result<Option<Value>, String> {
        let Some(submit) = &binding.spec.submit else {
            return Ok(None);
        };
        let reference = &submit.workflow_template_ref;
        let template = reference.name.clone();
        if template.is_empty() {
            return Err("submit.workflowTemplateRef.name is required".to_owned());
        }
        let cluster_scope = reference.cluster_scope;
        let template_label = if cluster_scope {
            LABEL_CLUSTER_TEMPLATE
        } else {
            LABEL_TEMPLATE
        };
        let mut metadata = json!({
            "namespace": binding.metadata.namespace.clone().unwrap_or_default(),
            "generateName": format!("{template}-"),
            "labels": {template_label: template, LABEL_EVENT_BINDING: binding.metadata.name.clone().unwrap_or_default()},
        });
        let requested = &submit.metadata;
        if let Some(name) = requested.name.as_deref().filter(|name| !name.is_empty()) {
            metadata["name"] = json!(self.string(name, "name")?);
        }
        if let Some(prefix) = requested.generate_name.as_deref().filter(|p| !p.is_empty()) {
            metadata["generateName"] = json!(self.string(prefix, "generateName")?);
        }
        for (key, value) in requested.labels.iter().flatten() {
            metadata["labels"][key] = json!(self.string(value, &format!("label {key:?}"))?);
        }
        for (key, value) in requested.annotations.iter().flatten() {
            let value = self.string(value, &format!("annotation {key:?}"))?;
            if !metadata["annotations"].is_object() {
                metadata["annotations"] = json!({});
            }
            metadata["annotations"][key] = json!(value);
        }
        let mut parameters = Vec::new();
        for parameter in submit.arguments.iter().flat_map(|a| a.parameters.iter()) {
            let name = &parameter.name;
            let Some(expression) = parameter
                .value_from
                .as_ref()
                .map(|value_from| value_from.event.as_str())
                .filter(|event| !event.is_empty())
            else {
                return Err(format!(
                    "malformed workflow template parameter {name:?}: valueFrom.event is required"
                ));
            };
            let value = self.evaluate(expression).map_err(|error| {
                format!(
                    "failed to evaluate workflow template parameter {name:?} expression: {error}"
                )
            })?;
            let value = match value {
                Value::String(text) => text,
                other => other.to_string(),
            };
            parameters.push(json!({"name": name, "value": value}));
        }
        let mut reference = json!({"name": template});
        if cluster_scope {
            reference["clusterScope"] = json!(true);
        }
        let mut spec = json!({"workflowTemplateRef": reference});
        if !parameters.is_empty() {
            spec["arguments"] = json!({"parameters": parameters});
        }
        Ok(Some(json!({
            "apiVersion": "argoproj.io/v1alpha1",
            "kind": "Workflow",
            "metadata": metadata,
            "spec": spec,
        })))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn binding(selector: &str, parameter: &str) -> WorkflowEventBinding {
        serde_json::from_value(json!({
            "apiVersion": "argoproj.io/v1alpha1", "kind": "WorkflowEventBinding",
            "metadata": {"name": "on-push", "namespace": "argo"},
            "spec": {
                "event": {"selector": selector},
                "submit": {
                    "workflowTemplateRef": {"name": "build"},
                    "metadata": {"labels": {"branch": "payload.ref"}},
                    "arguments": {"parameters": [{"name": "commit", "valueFrom": {"event": parameter}}]}
                }
            }
        }))
        .expect("valid binding")
    }

    fn environment() -> EventEnvironment {
        let headers = BTreeMap::from([
            ("x-github-event".to_owned(), vec!["push".to_owned()]),
            ("authorization".to_owned(), vec!["secret".to_owned()]),
        ]);
        EventEnvironment::new(
            "argo",
            "github",
            json!({"ref": "main", "commits": [{"id": "abc"}], "size": 2}),
            &headers,
        )
    }

    #[test]
    fn selectors_see_payload_x_headers_and_discriminator() {
        let env = environment();
        let matching = binding(
            r#"payload.ref == "main" && metadata["x-github-event"] == ["push"] && discriminator == "github""#,
            "payload.commits[0].id",
        );
        assert_eq!(env.selects(&matching), Ok(true));
        let other = binding(r#"discriminator == "gitlab""#, "payload.size");
        assert_eq!(env.selects(&other), Ok(false));
        let leaky = binding(r#"metadata["authorization"] != nil"#, "payload.size");
        assert_eq!(
            env.selects(&leaky),
            Ok(false),
            "only x- headers are visible"
        );
    }

    #[test]
    fn a_match_formulates_the_templated_workflow_with_event_parameters() {
        let env = environment();
        let workflow = env
            .workflow_for(&binding("true", "payload.commits[0].id"))
            .expect("formulated")
            .expect("submits");
        assert_eq!(workflow["metadata"]["generateName"], "build-");
        assert_eq!(
            workflow["metadata"]["labels"][LABEL_EVENT_BINDING],
            "on-push"
        );
        assert_eq!(workflow["metadata"]["labels"]["branch"], "main");
        assert_eq!(
            workflow["spec"]["workflowTemplateRef"],
            json!({"name": "build"})
        );
        assert_eq!(
            workflow["spec"]["arguments"]["parameters"][0]["value"],
            "abc"
        );
        let number = env
            .workflow_for(&binding("true", "payload.size"))
            .expect("formulated")
            .expect("submits");
        assert_eq!(number["spec"]["arguments"]["parameters"][0]["value"], "2");
    }

    #[test]
    fn non_boolean_selectors_and_failing_parameters_name_the_problem() {
        let env = environment();
        let error = env
            .selects(&binding("payload.ref", "x"))
            .expect_err("not a boolean");
        assert!(error.contains("instead of a boolean"), "{error}");
        let error = env
            .workflow_for(&binding("true", "payload.("))
            .expect_err("bad expression");
        assert!(error.contains("\"commit\""), "{error}");
    }
}
