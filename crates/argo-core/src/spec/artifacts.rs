//! Artifacts: named files or directories moved through an artifact location, with their archive
//! strategy and garbage-collection settings.
//!
//! Must not: know how to reach a location (drivers live in the executor).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::spec::artifact_location::ArtifactLocation;
use crate::spec::gc::ArtifactGC;
use crate::values::is_false;

/// A file or directory input to, or output of, a template.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct Artifact {
    pub name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<i32>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub from: String,
    #[serde(flatten)]
    pub location: ArtifactLocation,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub global_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub archive: Option<ArchiveStrategy>,
    #[serde(skip_serializing_if = "is_false")]
    pub optional: bool,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub sub_path: String,
    #[serde(skip_serializing_if = "is_false")]
    pub recurse_mode: bool,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub from_expression: String,
    #[serde(rename = "artifactGC", skip_serializing_if = "Option::is_none")]
    pub artifact_gc: Option<ArtifactGC>,
    #[serde(skip_serializing_if = "is_false")]
    pub deleted: bool,
}

/// How an output is packed before upload: tar+gzip (the default), none, or zip.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct ArchiveStrategy {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tar: Option<TarStrategy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub none: Option<NoneStrategy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zip: Option<ZipStrategy>,
}

/// Tar with gzip at an optional compression level.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct TarStrategy {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compression_level: Option<i32>,
}

/// Store the single file as is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct NoneStrategy {}

/// Zip the file or directory.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ZipStrategy {}

impl Artifact {
    /// An artifact with just a name and path.
    pub fn at_path(name: impl Into<String>, path: impl Into<String>) -> Self {
        Artifact {
            name: name.into(),
            path: path.into(),
            ..Artifact::default()
        }
    }
}
