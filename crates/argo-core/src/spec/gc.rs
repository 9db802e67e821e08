//! Garbage-collection settings: workflow TTL, pod GC, artifact GC and volume-claim GC.
//!
//! Must not: decide when anything is deleted; the controller's GC loops do.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::spec::metadata::Metadata;
use crate::values::is_false;
use crate::values::string_enum::string_enum;

/// How long a finished workflow is kept.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct TtlStrategy {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seconds_after_completion: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seconds_after_success: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seconds_after_failure: Option<i32>,
}

string_enum! {
    /// When pods are deleted.
    pub enum PodGCStrategy {
        OnPodCompletion => "OnPodCompletion",
        OnPodSuccess => "OnPodSuccess",
        OnWorkflowCompletion => "OnWorkflowCompletion",
        OnWorkflowSuccess => "OnWorkflowSuccess",
    }
}

/// Pod garbage collection.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct PodGC {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub strategy: Option<PodGCStrategy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label_selector: Option<LabelSelector>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub delete_delay_duration: String,
}

string_enum! {
    /// When artifacts are deleted.
    pub enum ArtifactGCStrategy {
        OnWorkflowCompletion => "OnWorkflowCompletion",
        OnWorkflowDeletion => "OnWorkflowDeletion",
        Never => "Never",
    }
}

/// Artifact garbage collection for one artifact (or the default for all).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct ArtifactGC {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub strategy: Option<ArtifactGCStrategy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pod_metadata: Option<Metadata>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub service_account_name: String,
}

/// Workflow-level artifact GC: the default strategy plus GC-pod settings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct WorkflowLevelArtifactGC {
    #[serde(flatten)]
    pub artifact_gc: ArtifactGC,
    #[serde(skip_serializing_if = "is_false")]
    pub force_finalizer_removal: bool,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub pod_spec_patch: String,
}

string_enum! {
    /// When volume claims created from `volumeClaimTemplates` are deleted.
    pub enum VolumeClaimGCStrategy {
        OnWorkflowCompletion => "OnWorkflowCompletion",
        OnWorkflowSuccess => "OnWorkflowSuccess",
    }
}

/// Volume-claim garbage collection.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct VolumeClaimGC {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub strategy: Option<VolumeClaimGCStrategy>,
}
