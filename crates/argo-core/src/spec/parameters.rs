//! Parameters and the argument/input/output containers that carry parameters and artifacts.
//!
//! Must not: resolve values (defaults, ConfigMaps, expressions); that is the engine's job.

use k8s_openapi::api::core::v1::ConfigMapKeySelector;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::spec::artifacts::Artifact;
use crate::values::AnyString;

/// Values passed to a workflow, step, task or hook.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct Arguments {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<Parameter>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub artifacts: Vec<Artifact>,
}

/// What a template expects.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct Inputs {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<Parameter>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub artifacts: Vec<Artifact>,
}

/// What a template (or node) produces.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct Outputs {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<Parameter>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub artifacts: Vec<Artifact>,
    /// Captured stdout (or HTTP body, data result).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
    /// Main container exit code, as a string.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<String>,
}

/// A named string value.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct Parameter {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<AnyString>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<AnyString>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_from: Option<ValueFrom>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub global_name: String,
    #[serde(rename = "enum", skip_serializing_if = "Vec::is_empty")]
    pub enum_values: Vec<AnyString>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<AnyString>,
}

/// Where a parameter's value comes from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct ValueFrom {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub path: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub json_path: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub jq_filter: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub event: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub parameter: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supplied: Option<SuppliedValueFrom>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config_map_key_ref: Option<ConfigMapKeySelector>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<AnyString>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub expression: String,
}

/// Marker: the value is supplied when a suspend node is resumed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SuppliedValueFrom {}

impl Parameter {
    /// A parameter with a literal value.
    pub fn with_value(name: impl Into<String>, value: impl Into<String>) -> Self {
        Parameter {
            name: name.into(),
            value: Some(AnyString(value.into())),
            ..Parameter::default()
        }
    }
}

impl Arguments {
    /// The parameter with this name.
    pub fn parameter(&self, name: &str) -> Option<&Parameter> {
        self.parameters.iter().find(|p| p.name == name)
    }

    /// The artifact with this name.
    pub fn artifact(&self, name: &str) -> Option<&Artifact> {
        self.artifacts.iter().find(|a| a.name == name)
    }

    /// True when there is nothing to pass.
    pub fn is_empty(&self) -> bool {
        self.parameters.is_empty() && self.artifacts.is_empty()
    }
}

impl Inputs {
    /// The parameter with this name.
    pub fn parameter(&self, name: &str) -> Option<&Parameter> {
        self.parameters.iter().find(|p| p.name == name)
    }

    /// The artifact with this name.
    pub fn artifact(&self, name: &str) -> Option<&Artifact> {
        self.artifacts.iter().find(|a| a.name == name)
    }

    /// True when nothing is expected.
    pub fn is_empty(&self) -> bool {
        self.parameters.is_empty() && self.artifacts.is_empty()
    }
}

impl Outputs {
    /// The parameter with this name.
    pub fn parameter(&self, name: &str) -> Option<&Parameter> {
        self.parameters.iter().find(|p| p.name == name)
    }

    /// The artifact with this name.
    pub fn artifact(&self, name: &str) -> Option<&Artifact> {
        self.artifacts.iter().find(|a| a.name == name)
    }

    /// True when nothing was (or will be) produced.
    pub fn is_empty(&self) -> bool {
        self.parameters.is_empty()
            && self.artifacts.is_empty()
            && self.result.is_none()
            && self.exit_code.is_none()
    }
}
