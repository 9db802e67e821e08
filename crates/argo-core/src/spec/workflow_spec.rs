//! `WorkflowSpec`: the spec shared by Workflow, WorkflowTemplate, ClusterWorkflowTemplate and
//! CronWorkflow's `workflowSpec`.
//!
//! Must not: merge a referenced WorkflowTemplate or workflow defaults into itself (engine).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    Affinity, HostAlias, LocalObjectReference, PersistentVolumeClaim, PodDNSConfig,
    PodResourceClaim, PodSecurityContext, ResourceRequirements, Toleration, Volume,
};
use k8s_openapi::api::policy::v1::PodDisruptionBudgetSpec;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::spec::artifact_repository::ArtifactRepositoryRef;
use crate::spec::container::ExecutorConfig;
use crate::spec::gc::{PodGC, TtlStrategy, VolumeClaimGC, WorkflowLevelArtifactGC};
use crate::spec::hooks::LifecycleHooks;
use crate::spec::metadata::{Metadata, WorkflowMetadata};
use crate::spec::metrics::Metrics;
use crate::spec::parameters::Arguments;
use crate::spec::plugin::ExecutorPlugin;
use crate::spec::reference::WorkflowTemplateRef;
use crate::spec::retry::RetryStrategy;
use crate::spec::synchronization::Synchronization;
use crate::spec::template::Template;
use crate::values::string_enum::string_enum;

string_enum! {
    /// How a running workflow is asked to stop.
    pub enum ShutdownStrategy {
        /// Stop now; exit handlers do not run.
        Terminate => "Terminate",
        /// Stop scheduling; exit handlers still run.
        Stop => "Stop",
    }
}

/// The spec of a workflow.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct WorkflowSpec {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub templates: Vec<Template>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub entrypoint: String,
    #[serde(skip_serializing_if = "Arguments::is_empty")]
    pub arguments: Arguments,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub service_account_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub automount_service_account_token: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub executor: Option<ExecutorConfig>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub volumes: Vec<Volume>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub volume_claim_templates: Vec<PersistentVolumeClaim>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parallelism: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub artifact_repository_ref: Option<ArtifactRepositoryRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suspend: Option<bool>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub node_selector: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub affinity: Option<Affinity>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tolerations: Vec<Toleration>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub image_pull_secrets: Vec<LocalObjectReference>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host_network: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dns_policy: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dns_config: Option<PodDNSConfig>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub on_exit: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ttl_strategy: Option<TtlStrategy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active_deadline_seconds: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<i32>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub scheduler_name: String,
    #[serde(rename = "podGC", skip_serializing_if = "Option::is_none")]
    pub pod_gc: Option<PodGC>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub pod_priority_class_name: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub host_aliases: Vec<HostAlias>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub security_context: Option<PodSecurityContext>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub pod_spec_patch: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pod_disruption_budget: Option<PodDisruptionBudgetSpec>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metrics: Option<Metrics>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shutdown: Option<ShutdownStrategy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workflow_template_ref: Option<WorkflowTemplateRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub synchronization: Option<Synchronization>,
    #[serde(rename = "volumeClaimGC", skip_serializing_if = "Option::is_none")]
    pub volume_claim_gc: Option<VolumeClaimGC>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_strategy: Option<RetryStrategy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pod_metadata: Option<Metadata>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template_defaults: Option<Box<Template>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub archive_logs: Option<bool>,
    #[serde(skip_serializing_if = "LifecycleHooks::is_empty")]
    pub hooks: LifecycleHooks,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workflow_metadata: Option<WorkflowMetadata>,
    #[serde(rename = "artifactGC", skip_serializing_if = "Option::is_none")]
    pub artifact_gc: Option<WorkflowLevelArtifactGC>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub executor_plugins: Vec<ExecutorPlugin>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pod_resources: Option<ResourceRequirements>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub resource_claims: Vec<PodResourceClaim>,
}

impl WorkflowSpec {
    /// The template with this name.
    pub fn template(&self, name: &str) -> Option<&Template> {
        self.templates.iter().find(|t| t.name == name)
    }

    /// The template with this name, mutably.
    pub fn template_mut(&mut self, name: &str) -> Option<&mut Template> {
        self.templates.iter_mut().find(|t| t.name == name)
    }

    /// The entrypoint template, when it is defined locally.
    pub fn entrypoint_template(&self) -> Option<&Template> {
        self.template(&self.entrypoint)
    }

    /// True when `suspend: true`.
    pub fn is_suspended(&self) -> bool {
        self.suspend == Some(true)
    }
}
