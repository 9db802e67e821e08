//! The eight kinds with the names, scopes, short names and printer columns Kubernetes users know
//! from upstream's manifests.
//! Must not: describe fields; those come from the types' schemas.

use argo_core::{
    ClusterWorkflowTemplate, CronWorkflow, Workflow, WorkflowArtifactGCTask, WorkflowEventBinding,
    WorkflowTaskResult, WorkflowTaskSet, WorkflowTemplate,
};
use schemars::{JsonSchema, Schema};
use serde_json::{Value, json};

/// How one kind's CRD is assembled.
#[derive(Debug, Clone)]
pub struct CrdDefinition {
    pub kind: &'static str,
    pub plural: &'static str,
    pub scope: &'static str,
    pub short_names: &'static [&'static str],
    pub required: &'static [&'static str],
    pub printer_columns: Vec<Value>,
    pub subresources: Option<Value>,
    /// Status fields stored as opaque objects: copies of whole specs that would repeat the spec's
    /// schema (upstream keeps them opaque for the same reason: the CRD size limit).
    pub opaque_status_fields: &'static [&'static str],
    pub schema: fn() -> Schema,
}

fn schema_of<T: JsonSchema>() -> Schema {
    // Optional fields come out as `T | null`; the structural conversion drops the null, since
    // Kubernetes JSON omits an absent field rather than writing null.
    schemars::generate::SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<T>()
}

fn workflow_columns() -> Vec<Value> {
    vec![
        json!({"description": "Status of the workflow", "jsonPath": ".status.phase", "name": "Status", "type": "string"}),
        json!({"description": "When the workflow was started", "format": "date-time", "jsonPath": ".status.startedAt", "name": "Age", "type": "date"}),
        json!({"description": "Human readable message indicating details about why the workflow is in this condition.", "jsonPath": ".status.message", "name": "Message", "type": "string"}),
    ]
}

/// Every kind, in a stable order.
pub fn definitions() -> Vec<CrdDefinition> {
    let namespaced = "Namespaced";
    vec![
        CrdDefinition {
            kind: "ClusterWorkflowTemplate",
            plural: "clusterworkflowtemplates",
            scope: "Cluster",
            short_names: &["clusterwftmpl", "cwft"],
            required: &["metadata", "spec"],
            printer_columns: vec![],
            subresources: None,
            opaque_status_fields: &[],
            schema: schema_of::<ClusterWorkflowTemplate>,
        },
        CrdDefinition {
            kind: "CronWorkflow",
            plural: "cronworkflows",
            scope: namespaced,
            short_names: &["cwf", "cronwf"],
            required: &["metadata", "spec"],
            printer_columns: vec![],
            subresources: None,
            opaque_status_fields: &[],
            schema: schema_of::<CronWorkflow>,
        },
        CrdDefinition {
            kind: "WorkflowArtifactGCTask",
            plural: "workflowartifactgctasks",
            scope: namespaced,
            short_names: &["wfat"],
            required: &["metadata", "spec"],
            printer_columns: vec![],
            subresources: Some(json!({"status": {}})),
            opaque_status_fields: &[],
            schema: schema_of::<WorkflowArtifactGCTask>,
        },
        CrdDefinition {
            kind: "WorkflowEventBinding",
            plural: "workfloweventbindings",
            scope: namespaced,
            short_names: &["wfeb"],
            required: &["metadata", "spec"],
            printer_columns: vec![],
            subresources: None,
            opaque_status_fields: &[],
            schema: schema_of::<WorkflowEventBinding>,
        },
        CrdDefinition {
            kind: "Workflow",
            plural: "workflows",
            scope: namespaced,
            short_names: &["wf"],
            required: &["metadata", "spec"],
            printer_columns: workflow_columns(),
            subresources: Some(json!({})),
            opaque_status_fields: &["storedTemplates", "storedWorkflowTemplateSpec"],
            schema: schema_of::<Workflow>,
        },
        CrdDefinition {
            kind: "WorkflowTaskResult",
            plural: "workflowtaskresults",
            scope: namespaced,
            short_names: &[],
            required: &["metadata"],
            printer_columns: vec![],
            subresources: None,
            opaque_status_fields: &[],
            schema: schema_of::<WorkflowTaskResult>,
        },
        CrdDefinition {
            kind: "WorkflowTaskSet",
            plural: "workflowtasksets",
            scope: namespaced,
            short_names: &["wfts"],
            required: &["metadata", "spec"],
            printer_columns: vec![],
            subresources: Some(json!({"status": {}})),
            opaque_status_fields: &[],
            schema: schema_of::<WorkflowTaskSet>,
        },
        CrdDefinition {
            kind: "WorkflowTemplate",
            plural: "workflowtemplates",
            scope: namespaced,
            short_names: &["wftmpl"],
            required: &["metadata", "spec"],
            printer_columns: vec![],
            subresources: None,
            opaque_status_fields: &[],
            schema: schema_of::<WorkflowTemplate>,
        },
    ]
}
