//! `WorkflowArtifactGCTask`: artifacts to delete, grouped by node, and the per-artifact results.
//!
//! Must not: delete anything.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::kinds::{argo_kind, serialize_kind};
use crate::spec::artifact_location::ArtifactLocation;
use crate::spec::artifacts::Artifact;
use crate::values::is_false;

/// A batch of artifact deletions.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, JsonSchema)]
#[serde(default)]
#[schemars(transform = crate::kinds::with_type_meta)]
pub struct WorkflowArtifactGCTask {
    pub metadata: ObjectMeta,
    pub spec: ArtifactGCSpec,
    pub status: ArtifactGCStatus,
}

argo_kind!(
    WorkflowArtifactGCTask,
    kind = "WorkflowArtifactGCTask",
    plural = "workflowartifactgctasks",
    scope = NamespaceResourceScope
);
serialize_kind!(WorkflowArtifactGCTask { "spec" => spec; ? "status" => status });

/// A list of artifact GC tasks.
pub type WorkflowArtifactGCTaskList = k8s_openapi::List<WorkflowArtifactGCTask>;

/// Artifacts to delete, keyed by node id.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct ArtifactGCSpec {
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub artifacts_by_node: BTreeMap<String, ArtifactNodeSpec>,
}

/// One node's artifacts and its archive location.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct ArtifactNodeSpec {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub archive_location: Option<ArtifactLocation>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub artifacts: BTreeMap<String, Artifact>,
}

/// Deletion results, keyed by node id.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct ArtifactGCStatus {
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub artifact_results_by_node: BTreeMap<String, ArtifactResultNodeStatus>,
}

/// Results for one node, keyed by artifact name.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct ArtifactResultNodeStatus {
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub artifact_results: BTreeMap<String, ArtifactResult>,
}

/// The outcome of deleting one artifact.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct ArtifactResult {
    pub name: String,
    #[serde(skip_serializing_if = "is_false")]
    pub success: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}
