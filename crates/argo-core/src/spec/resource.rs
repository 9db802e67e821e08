//! Resource templates (kubectl-style actions on a manifest) and suspend templates.
//!
//! Must not: talk to the Kubernetes API or evaluate success/failure conditions.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::spec::artifacts::Artifact;
use crate::values::is_false;

/// Apply an action (get, create, apply, delete, replace, patch) to a manifest.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct ResourceTemplate {
    pub action: String,
    /// Patch strategy: strategic, merge or json.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub merge_strategy: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub manifest: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manifest_from: Option<ManifestFrom>,
    #[serde(skip_serializing_if = "is_false")]
    pub set_owner_reference: bool,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub success_condition: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub failure_condition: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub flags: Vec<String>,
}

/// A manifest read from an artifact.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct ManifestFrom {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub artifact: Option<Box<Artifact>>,
}

/// Pause until resumed or until `duration` elapses.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct SuspendTemplate {
    /// Seconds ("20") or a Go duration ("2m"); may be templated.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub duration: String,
}
