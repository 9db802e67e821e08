//! What `argo run`'s live display keeps of the workflow: its name, phase, message and, per node,
//! only the fields the display prints or follows logs by. A wide workflow's status is mostly
//! what the display never shows (inputs, outputs, resource durations, ...): reading just these
//! fields keeps its copy a fraction of the full status and each refresh cheaper.
//! Must not: be written back anywhere (it is not a whole workflow).

use std::collections::BTreeMap;

use anyhow::Context as _;
use argo_core::k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use argo_core::{NodePhase, NodeType, WorkflowPhase};
use argo_store::Object;
use serde::Deserialize;

/// The workflow as the display shows it.
#[derive(Debug, Clone, Default)]
pub(crate) struct ShownWorkflow {
    pub name: String,
    pub namespace: String,
    /// The stored revision this was read at.
    pub resource_version: Option<String>,
    pub status: ShownStatus,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct ShownStatus {
    pub phase: WorkflowPhase,
    pub message: String,
    pub nodes: BTreeMap<String, ShownNode>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct ShownNode {
    pub id: String,
    pub name: String,
    pub display_name: String,
    #[serde(rename = "type")]
    pub node_type: Option<NodeType>,
    pub template_name: String,
    pub template_ref: Option<ShownTemplateRef>,
    pub phase: NodePhase,
    pub message: String,
    pub started_at: Option<Time>,
    pub finished_at: Option<Time>,
    pub children: Vec<String>,
}

/// The one field of a node's `templateRef` the display needs: the template its pod is named by.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ShownTemplateRef {
    pub template: String,
}

impl ShownWorkflow {
    /// The display's view of a stored workflow; an error names what could not be read.
    pub(crate) fn of(stored: &Object) -> anyhow::Result<Self> {
        let name = stored.name().to_owned();
        let status = match stored.status() {
            Some(status) => ShownStatus::deserialize(status)
                .with_context(|| format!("reading the status of workflow {name}"))?,
            None => ShownStatus::default(),
        };
        Ok(Self {
            namespace: stored.namespace().unwrap_or_default().to_owned(),
            resource_version: stored.resource_version().map(str::to_owned),
            status,
            name,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_shown_fields_are_read_and_missing_ones_default() {
        let stored: Object = serde_json::from_value(serde_json::json!({
            "apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow",
            "metadata": {"name": "wf", "namespace": "argo", "resourceVersion": "7"},
            "status": {"phase": "Running", "nodes": {
                "wf": {"id": "wf", "name": "wf", "type": "DAG", "phase": "Running",
                       "children": ["wf-1"], "startedAt": "2026-11-25T01:00:00Z"},
                "wf-1": {"id": "wf-1", "name": "wf.a", "displayName": "a", "type": "Pod",
                         "templateRef": {"name": "lib", "template": "echo"},
                         "phase": "Failed", "message": "exit code 1",
                         "outputs": {"exitCode": "1"}, "resourcesDuration": {"cpu": 1}}}}
        }))
        .expect("an object");
        let shown = ShownWorkflow::of(&stored).expect("read");
        assert_eq!(
            (shown.name.as_str(), shown.namespace.as_str()),
            ("wf", "argo")
        );
        assert_eq!(shown.resource_version.as_deref(), Some("7"));
        assert_eq!(shown.status.phase, WorkflowPhase::Running);
        let root = &shown.status.nodes["wf"];
        assert_eq!(root.children, ["wf-1"]);
        assert!(root.started_at.is_some() && root.finished_at.is_none());
        let leaf = &shown.status.nodes["wf-1"];
        assert_eq!(leaf.node_type, Some(NodeType::Pod));
        assert_eq!(
            leaf.template_ref.as_ref().map(|r| r.template.as_str()),
            Some("echo")
        );
        assert_eq!(
            (leaf.phase.clone(), leaf.message.as_str()),
            (NodePhase::Failed, "exit code 1")
        );
    }

    #[test]
    fn a_status_of_the_wrong_shape_is_an_error_naming_the_workflow() {
        let stored: Object = serde_json::from_value(serde_json::json!({
            "apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow",
            "metadata": {"name": "odd"}, "status": {"nodes": ["not", "a", "map"]}
        }))
        .expect("an object");
        let error = ShownWorkflow::of(&stored).expect_err("a list is not a node map");
        assert!(error.to_string().contains("workflow odd"), "{error}");
    }
}
