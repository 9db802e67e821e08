//! `WorkflowTaskResult`: what an executor reports for one node (named by the node id); the
//! `NodeResult` fields sit at the top level, beside `metadata`.
//!
//! Must not: be written by anything but executors (the controller only reads and deletes).

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use schemars::JsonSchema;
use serde::ser::SerializeMap as _;
use serde::{Deserialize, Serialize, Serializer};

use crate::kinds::argo_kind;
use crate::status::node::NodeResult;

/// The outputs of one node.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, JsonSchema)]
#[serde(default)]
#[schemars(transform = crate::kinds::with_type_meta)]
pub struct WorkflowTaskResult {
    pub metadata: ObjectMeta,
    #[serde(flatten)]
    pub result: NodeResult,
}

argo_kind!(
    WorkflowTaskResult,
    kind = "WorkflowTaskResult",
    plural = "workflowtaskresults",
    scope = NamespaceResourceScope
);

/// A list of task results.
pub type WorkflowTaskResultList = k8s_openapi::List<WorkflowTaskResult>;

impl Serialize for WorkflowTaskResult {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("apiVersion", <Self as k8s_openapi::Resource>::API_VERSION)?;
        map.serialize_entry("kind", <Self as k8s_openapi::Resource>::KIND)?;
        map.serialize_entry("metadata", &self.metadata)?;
        let result = &self.result;
        if !result.phase.is_unknown() {
            map.serialize_entry("phase", &result.phase)?;
        }
        if !result.message.is_empty() {
            map.serialize_entry("message", &result.message)?;
        }
        if let Some(outputs) = &result.outputs {
            map.serialize_entry("outputs", outputs)?;
        }
        if !result.progress.is_empty() {
            map.serialize_entry("progress", &result.progress)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::phase::NodePhase;

    #[test]
    fn task_result_fields_sit_beside_metadata() {
        let json = serde_json::json!({
            "apiVersion": "argoproj.io/v1alpha1",
            "kind": "WorkflowTaskResult",
            "metadata": {"name": "wf-123"},
            "phase": "Succeeded",
            "outputs": {"result": "hi"},
            "progress": "1/1"
        });
        let result: WorkflowTaskResult = serde_json::from_value(json.clone()).expect("de");
        assert_eq!(result.result.phase, NodePhase::Succeeded);
        assert_eq!(serde_json::to_value(&result).expect("ser"), json);
    }
}
