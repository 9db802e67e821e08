//! Data templates: list an artifact location's keys, then transform the list with expressions.
//!
//! Must not: list storage or evaluate expressions.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::spec::artifacts::Artifact;
use crate::values::null_as_default;

/// A data source and the transformation applied to it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct Data {
    pub source: DataSource,
    #[serde(deserialize_with = "null_as_default")]
    pub transformation: Vec<TransformationStep>,
}

/// Where the data comes from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct DataSource {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub artifact_paths: Option<ArtifactPaths>,
}

/// The keys under an artifact location.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct ArtifactPaths {
    #[serde(flatten)]
    pub artifact: Artifact,
}

/// One expression applied to the data.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct TransformationStep {
    pub expression: String,
}
