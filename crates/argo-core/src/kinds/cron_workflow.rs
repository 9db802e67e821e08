//! `CronWorkflow`: a workflow spec submitted on cron schedules, with its concurrency and history
//! policy and the status the cron controller keeps.
//!
//! Must not: parse schedules or compute fire times.

use k8s_openapi::api::core::v1::ObjectReference;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::kinds::{argo_kind, object_meta, serialize_kind};
use crate::spec::workflow_spec::WorkflowSpec;
use crate::status::phase::Condition;
use crate::values::string_enum::string_enum;
use crate::values::{is_false, null_as_default};

/// A scheduled workflow.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, JsonSchema)]
#[serde(default)]
#[schemars(transform = crate::kinds::with_type_meta)]
pub struct CronWorkflow {
    pub metadata: ObjectMeta,
    pub spec: CronWorkflowSpec,
    pub status: CronWorkflowStatus,
}

argo_kind!(
    CronWorkflow,
    kind = "CronWorkflow",
    plural = "cronworkflows",
    scope = NamespaceResourceScope
);
serialize_kind!(CronWorkflow { "spec" => spec; ? "status" => status });

/// A list of cron workflows.
pub type CronWorkflowList = k8s_openapi::List<CronWorkflow>;

string_enum! {
    /// What to do when a run is due while the previous one still runs.
    pub enum ConcurrencyPolicy {
        Allow => "Allow",
        Forbid => "Forbid",
        Replace => "Replace",
    }
}

string_enum! {
    /// Whether the cron workflow still schedules.
    pub enum CronWorkflowPhase {
        Active => "Active",
        Stopped => "Stopped",
    }
}

/// The spec of a cron workflow.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct CronWorkflowSpec {
    pub workflow_spec: WorkflowSpec,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub concurrency_policy: Option<ConcurrencyPolicy>,
    #[serde(skip_serializing_if = "is_false")]
    pub suspend: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub starting_deadline_seconds: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub successful_jobs_history_limit: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failed_jobs_history_limit: Option<i32>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub timezone: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workflow_metadata: Option<ObjectMeta>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stop_strategy: Option<StopStrategy>,
    #[serde(deserialize_with = "null_as_default")]
    pub schedules: Vec<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub when: String,
}

/// Stop scheduling once this expression (over `cronworkflow.*`) holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct StopStrategy {
    pub expression: String,
}

/// What the cron controller records.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct CronWorkflowStatus {
    #[serde(deserialize_with = "null_as_default")]
    pub active: Vec<ObjectReference>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_scheduled_time: Option<Time>,
    #[serde(deserialize_with = "null_as_default")]
    pub conditions: Vec<Condition>,
    pub succeeded: i64,
    pub failed: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phase: Option<CronWorkflowPhase>,
}

impl CronWorkflow {
    /// A cron workflow named `name` in namespace `argo` with these schedules and spec.
    pub fn test(name: &str, schedules: &[&str], workflow_spec: WorkflowSpec) -> Self {
        CronWorkflow {
            metadata: object_meta(name, Some("argo")),
            spec: CronWorkflowSpec {
                workflow_spec,
                schedules: schedules.iter().map(|s| (*s).to_owned()).collect(),
                ..CronWorkflowSpec::default()
            },
            status: CronWorkflowStatus::default(),
        }
    }
}
