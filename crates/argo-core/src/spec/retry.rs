//! Retry strategies: how often a failed node is retried, on what, and with which backoff.
//!
//! Must not: compute backoff delays or evaluate retry expressions (engine).

use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::values::string_enum::string_enum;

string_enum! {
    /// Which failures are retried.
    pub enum RetryPolicy {
        Always => "Always",
        OnFailure => "OnFailure",
        OnError => "OnError",
        OnTransientError => "OnTransientError",
    }
}

/// Retry settings of a template or workflow.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct RetryStrategy {
    /// Maximum number of retries (not attempts); int or templated string.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<IntOrString>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_policy: Option<RetryPolicy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backoff: Option<Backoff>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub affinity: Option<RetryAffinity>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub expression: String,
}

/// Delay between retries: `duration * factor^n`, capped by `cap`, bounded by `maxDuration`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct Backoff {
    /// Go duration string or seconds ("2", "1m").
    #[serde(skip_serializing_if = "String::is_empty")]
    pub duration: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub factor: Option<IntOrString>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub max_duration: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub cap: String,
}

/// Scheduling preferences for retried pods.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct RetryAffinity {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node_anti_affinity: Option<RetryNodeAntiAffinity>,
}

/// Marker: retry on a different node than the failed attempts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RetryNodeAntiAffinity {}
