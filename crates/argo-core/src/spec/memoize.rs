//! Memoization: cache a template's outputs in a ConfigMap under a key.
//!
//! Must not: read or write the cache.

use k8s_openapi::api::core::v1::LocalObjectReference;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Cache the outputs of a template.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct Memoize {
    pub key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cache: Option<Cache>,
    pub max_age: String,
}

/// The storage of a memoization cache.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct Cache {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config_map: Option<LocalObjectReference>,
}
