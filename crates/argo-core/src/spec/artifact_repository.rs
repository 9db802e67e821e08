//! Artifact repositories (the default bucket a workflow writes outputs to) and references to the
//! ConfigMap key that holds one.
//!
//! Must not: resolve references; the controller looks the ConfigMap up.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::spec::artifact_location::{ArtifactoryAuth, HdfsConfig};
use crate::spec::object_storage::{AzureBlobContainer, GcsBucket, OssBucket, S3Bucket};
use crate::values::is_false;

/// Names a ConfigMap key that holds an [`ArtifactRepository`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct ArtifactRepositoryRef {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub config_map: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub key: String,
}

/// The repository a workflow resolved, recorded in its status.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct ArtifactRepositoryRefStatus {
    #[serde(flatten)]
    pub reference: ArtifactRepositoryRef,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub namespace: String,
    #[serde(skip_serializing_if = "is_false")]
    pub default: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub artifact_repository: Option<ArtifactRepository>,
}

/// A default artifact location; at most one kind should be set.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct ArtifactRepository {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub archive_logs: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub s3: Option<S3ArtifactRepository>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub artifactory: Option<ArtifactoryArtifactRepository>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hdfs: Option<HdfsArtifactRepository>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oss: Option<OssArtifactRepository>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gcs: Option<GcsArtifactRepository>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub azure: Option<AzureArtifactRepository>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plugin: Option<PluginArtifactRepository>,
}

/// An S3 bucket plus how keys are formed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct S3ArtifactRepository {
    #[serde(flatten)]
    pub bucket: S3Bucket,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub key_format: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub key_prefix: String,
}

/// An OSS bucket plus how keys are formed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct OssArtifactRepository {
    #[serde(flatten)]
    pub bucket: OssBucket,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub key_format: String,
}

/// A GCS bucket plus how keys are formed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct GcsArtifactRepository {
    #[serde(flatten)]
    pub bucket: GcsBucket,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub key_format: String,
}

/// An Artifactory repository URL plus how keys are formed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct ArtifactoryArtifactRepository {
    #[serde(flatten)]
    pub auth: ArtifactoryAuth,
    #[serde(rename = "repoURL", skip_serializing_if = "String::is_empty")]
    pub repo_url: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub key_format: String,
}

/// An Azure container plus how blob names are formed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct AzureArtifactRepository {
    #[serde(flatten)]
    pub container: AzureBlobContainer,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub blob_name_format: String,
}

/// An HDFS cluster plus how paths are formed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct HdfsArtifactRepository {
    #[serde(flatten)]
    pub config: HdfsConfig,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub path_format: String,
    #[serde(skip_serializing_if = "is_false")]
    pub force: bool,
}

/// An artifact driver plugin and its configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct PluginArtifactRepository {
    pub name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub key_format: String,
    pub configuration: String,
}
