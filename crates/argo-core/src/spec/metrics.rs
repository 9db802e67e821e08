//! Custom Prometheus metrics declared by workflows and templates.
//!
//! Must not: register or emit metrics.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::values::string_enum::string_enum;
use crate::values::{Amount, null_as_default};

/// Metrics to emit.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct Metrics {
    #[serde(deserialize_with = "null_as_default")]
    pub prometheus: Vec<Prometheus>,
}

/// One Prometheus metric: exactly one of gauge, histogram or counter.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct Prometheus {
    pub name: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<MetricLabel>,
    pub help: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub when: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gauge: Option<Gauge>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub histogram: Option<Histogram>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counter: Option<Counter>,
}

/// A metric label.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct MetricLabel {
    pub key: String,
    pub value: String,
}

string_enum! {
    /// How a gauge value is applied.
    pub enum GaugeOperation {
        Set => "Set",
        Add => "Add",
        Sub => "Sub",
    }
}

/// A gauge.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct Gauge {
    pub value: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub realtime: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<GaugeOperation>,
}

/// A histogram with fixed bucket bounds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct Histogram {
    pub value: String,
    #[serde(deserialize_with = "null_as_default")]
    pub buckets: Vec<Amount>,
}

/// A counter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct Counter {
    pub value: String,
}
