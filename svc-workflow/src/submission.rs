//! SubmitWorkflow: a new Workflow from a WorkflowTemplate, ClusterWorkflowTemplate or
//! CronWorkflow, then Argo's submit options (name, generateName, entrypoint, parameters,
//! labels, annotations, service account, priority) applied to it. Works on the JSON manifest.
//!
//! Must not: store or validate; the server does both.

use argo_core::labels::{
    LABEL_CLUSTER_WORKFLOW_TEMPLATE, LABEL_CRON_WORKFLOW, LABEL_WORKFLOW_TEMPLATE,
};
use serde_json::{Map, Value, json};

use crate::{Error, Result};

/// What the submission starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    WorkflowTemplate,
    ClusterWorkflowTemplate,
    CronWorkflow,
}

impl Source {
    /// Argo's `resourceKind` values (case-insensitive, as its CLI sends them).
    pub fn parse(kind: &str) -> Result<Self> {
        match kind.to_ascii_lowercase().as_str() {
            "workflowtemplate" | "workflowtemplates" | "wftmpl" => Ok(Self::WorkflowTemplate),
            "clusterworkflowtemplate" | "clusterworkflowtemplates" | "cwftmpl" => {
                Ok(Self::ClusterWorkflowTemplate)
            }
            "cronworkflow" | "cronworkflows" | "cronwf" => Ok(Self::CronWorkflow),
            _ => Err(Error::invalid_argument(format!(
                "resourceKind[{kind}] is invalid. Supported kinds: [cronworkflow, workflowtemplate, clusterworkflowtemplate]"
            ))),
        }
    }
}

/// A workflow that runs the named template.
pub fn from_template(namespace: &str, name: &str, cluster: bool) -> Value {
    let label = if cluster {
        LABEL_CLUSTER_WORKFLOW_TEMPLATE
    } else {
        LABEL_WORKFLOW_TEMPLATE
    };
    let mut reference = json!({ "name": name });
    if cluster {
        reference["clusterScope"] = Value::Bool(true);
    }
    json!({
        "metadata": {
            "generateName": format!("{name}-"),
            "namespace": namespace,
            "labels": { label: name },
        },
        "spec": { "workflowTemplateRef": reference },
    })
}

/// A workflow from a stored CronWorkflow manifest: its `workflowSpec` and `workflowMetadata`.
pub fn from_cron_workflow(namespace: &str, cron: &Value) -> Value {
    let name = cron
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let spec = cron
        .pointer("/spec/workflowSpec")
        .cloned()
        .unwrap_or_else(|| json!({}));
    let template_metadata = cron.pointer("/spec/workflowMetadata");
    let mut labels = template_metadata
        .and_then(|meta| meta.get("labels"))
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    labels.insert(
        LABEL_CRON_WORKFLOW.to_owned(),
        Value::String(name.to_owned()),
    );
    let mut metadata = json!({
        "generateName": format!("{name}-"),
        "namespace": namespace,
        "labels": labels,
    });
    if let Some(annotations) = template_metadata.and_then(|meta| meta.get("annotations")) {
        metadata["annotations"] = annotations.clone();
    }
    json!({ "metadata": metadata, "spec": spec })
}

/// Applies Argo's `SubmitOpts` (as JSON, keys as on the wire) to a workflow manifest.
pub fn apply_submit_options(workflow: &mut Value, options: &Value) -> Result<()> {
    let text = |key: &str| {
        options
            .get(key)
            .and_then(Value::as_str)
            .filter(|value| !value.is_empty())
    };
    if let Some(entrypoint) = text("entryPoint") {
        workflow["spec"]["entrypoint"] = Value::String(entrypoint.to_owned());
    }
    if let Some(account) = text("serviceAccount") {
        workflow["spec"]["serviceAccountName"] = Value::String(account.to_owned());
    }
    if let Some(class) = text("podPriorityClassName") {
        workflow["spec"]["podPriorityClassName"] = Value::String(class.to_owned());
    }
    if let Some(priority) = options.get("priority").filter(|value| !value.is_null()) {
        workflow["spec"]["priority"] = priority.clone();
    }
    if let Some(labels) = text("labels") {
        merge_pairs(&mut workflow["metadata"], "labels", labels, "label")?;
    }
    if let Some(annotations) = text("annotations") {
        merge_pairs(
            &mut workflow["metadata"],
            "annotations",
            annotations,
            "annotation",
        )?;
    }
    if let Some(name) = text("name") {
        workflow["metadata"]["name"] = Value::String(name.to_owned());
    }
    if let Some(prefix) = text("generateName") {
        workflow["metadata"]["generateName"] = Value::String(prefix.to_owned());
    }
    let parameters: Vec<&str> = options
        .get("parameters")
        .and_then(Value::as_array)
        .map(|items| items.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    set_parameters(workflow, &parameters)
}

/// `NAME=VALUE` parameters: replace the value of a declared argument, or add one.
pub fn set_parameters(workflow: &mut Value, parameters: &[&str]) -> Result<()> {
    if parameters.is_empty() {
        return Ok(());
    }
    let arguments = &mut workflow["spec"]["arguments"];
    if !arguments.is_object() {
        *arguments = json!({});
    }
    if !arguments["parameters"].is_array() {
        arguments["parameters"] = json!([]);
    }
    let Some(declared) = arguments["parameters"].as_array_mut() else {
        return Ok(());
    };
    for parameter in parameters {
        let Some((name, value)) = parameter.split_once('=') else {
            return Err(Error::invalid_argument(format!(
                "Expected parameter of the form: NAME=VALUE. Received: {parameter}"
            )));
        };
        match declared
            .iter_mut()
            .find(|item| item.get("name").and_then(Value::as_str) == Some(name))
        {
            Some(existing) => {
                existing["value"] = Value::String(value.to_owned());
                if let Some(map) = existing.as_object_mut() {
                    map.remove("valueFrom");
                }
            }
            None => declared.push(json!({ "name": name, "value": value })),
        }
    }
    Ok(())
}

fn merge_pairs(metadata: &mut Value, field: &str, pairs: &str, what: &str) -> Result<()> {
    if !metadata[field].is_object() {
        metadata[field] = Value::Object(Map::new());
    }
    for pair in pairs.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((key, value)) = pair.split_once('=') else {
            return Err(Error::invalid_argument(format!(
                "expected {what} in the form key=value: {pair}"
            )));
        };
        metadata[field][key] = Value::String(value.to_owned());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_submissions_reference_the_template_and_label_the_workflow() {
        let workflow = from_template("argo", "hello", true);
        assert_eq!(workflow["metadata"]["generateName"], "hello-");
        assert_eq!(
            workflow["spec"]["workflowTemplateRef"]["clusterScope"],
            true
        );
        assert_eq!(
            workflow["metadata"]["labels"][LABEL_CLUSTER_WORKFLOW_TEMPLATE],
            "hello"
        );
    }

    #[test]
    fn submit_options_set_entrypoint_labels_and_parameters() {
        let mut workflow = from_template("argo", "hello", false);
        let options = json!({
            "entryPoint": "main", "labels": "a=1,b=2", "parameters": ["message=hi"],
            "serviceAccount": "robot", "generateName": "x-"
        });
        apply_submit_options(&mut workflow, &options).expect("valid options");
        assert_eq!(workflow["spec"]["entrypoint"], "main");
        assert_eq!(workflow["spec"]["serviceAccountName"], "robot");
        assert_eq!(workflow["metadata"]["labels"]["b"], "2");
        assert_eq!(workflow["metadata"]["generateName"], "x-");
        assert_eq!(
            workflow["spec"]["arguments"]["parameters"][0],
            json!({"name": "message", "value": "hi"})
        );
    }

    #[test]
    fn malformed_options_are_invalid_arguments() {
        let mut workflow = from_template("argo", "hello", false);
        assert!(apply_submit_options(&mut workflow, &json!({"labels": "nokey"})).is_err());
        assert!(apply_submit_options(&mut workflow, &json!({"parameters": ["x"]})).is_err());
        assert!(Source::parse("Pod").is_err());
    }
}
