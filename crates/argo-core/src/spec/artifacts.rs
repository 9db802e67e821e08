//! Artifacts: named files or directories moved through an artifact location, with their archive
//! strategy and garbage-collection settings.
//!
//! Must not: know how to reach a location (drivers live in the executor).

use schemars::JsonSchema;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};

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
    /// File mode; YAML 1.1 octal such as `0755` is read as octal, as Argo's YAML reader does.
    #[serde(
        skip_serializing_if = "Option::is_none",
        deserialize_with = "file_mode"
    )]
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

/// A mode as a number, or as the text of a YAML 1.1 octal number (`0755`, `0o755`) that a YAML
/// 1.2 reader hands over as a string.
fn file_mode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i32>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Mode {
        Number(i32),
        Text(String),
    }
    let Some(mode) = Option::<Mode>::deserialize(deserializer)? else {
        return Ok(None);
    };
    match mode {
        Mode::Number(number) => Ok(Some(number)),
        Mode::Text(text) => {
            let digits = text
                .strip_prefix("0o")
                .or_else(|| text.strip_prefix('0'))
                .filter(|digits| !digits.is_empty())
                .ok_or_else(|| D::Error::custom(format!("invalid file mode {text:?}")))?;
            i32::from_str_radix(digits, 8)
                .map(Some)
                .map_err(|_| D::Error::custom(format!("invalid octal file mode {text:?}")))
        }
    }
}

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
