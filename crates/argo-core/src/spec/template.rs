//! `Template`: one unit of work (exactly one of ten kinds) plus the pod, scheduling and
//! control settings every kind may carry.
//!
//! Must not: merge template defaults or resolve references (engine).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    Affinity, Container, HostAlias, PodResourceClaim, PodSecurityContext, ResourceRequirements,
    Toleration, Volume,
};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::spec::artifact_location::ArtifactLocation;
use crate::spec::container::{ContainerSetTemplate, ExecutorConfig, ScriptTemplate, UserContainer};
use crate::spec::dag::DagTemplate;
use crate::spec::data::Data;
use crate::spec::http::Http;
use crate::spec::memoize::Memoize;
use crate::spec::metadata::Metadata;
use crate::spec::metrics::Metrics;
use crate::spec::parameters::{Inputs, Outputs};
use crate::spec::plugin::Plugin;
use crate::spec::resource::{ResourceTemplate, SuspendTemplate};
use crate::spec::retry::RetryStrategy;
use crate::spec::steps::ParallelSteps;
use crate::spec::synchronization::Synchronization;

/// A reusable unit of work.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct Template {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(skip_serializing_if = "Inputs::is_empty")]
    pub inputs: Inputs,
    #[serde(skip_serializing_if = "Outputs::is_empty")]
    pub outputs: Outputs,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub node_selector: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub affinity: Option<Affinity>,
    #[serde(skip_serializing_if = "Metadata::is_empty")]
    pub metadata: Metadata,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub daemon: Option<bool>,
    /// Step groups; `Some` even when empty, because Go tells `steps: []` from no steps.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub steps: Option<Vec<ParallelSteps>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container: Option<Container>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container_set: Option<ContainerSetTemplate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub script: Option<ScriptTemplate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<ResourceTemplate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dag: Option<DagTemplate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suspend: Option<SuspendTemplate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<Data>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http: Option<Http>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plugin: Option<Plugin>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub volumes: Vec<Volume>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub init_containers: Vec<UserContainer>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sidecars: Vec<UserContainer>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub archive_location: Option<ArtifactLocation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active_deadline_seconds: Option<IntOrString>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_strategy: Option<RetryStrategy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parallelism: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fail_fast: Option<bool>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tolerations: Vec<Toleration>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub scheduler_name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub priority_class_name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub service_account_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub automount_service_account_token: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub executor: Option<ExecutorConfig>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub host_aliases: Vec<HostAlias>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub security_context: Option<PodSecurityContext>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub pod_spec_patch: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metrics: Option<Metrics>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub synchronization: Option<Synchronization>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memoize: Option<Memoize>,
    /// Go duration string; leaf templates only.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub timeout: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub pending_timeout: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pod_resources: Option<ResourceRequirements>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub resource_claims: Vec<PodResourceClaim>,
}

/// Which of the ten template bodies a template has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TemplateKind {
    Container,
    ContainerSet,
    Steps,
    Script,
    Resource,
    Dag,
    Suspend,
    Data,
    Http,
    Plugin,
}

impl TemplateKind {
    /// Go's name for the kind (`TemplateType`).
    pub fn as_str(self) -> &'static str {
        match self {
            TemplateKind::Container => "Container",
            TemplateKind::ContainerSet => "ContainerSet",
            TemplateKind::Steps => "Steps",
            TemplateKind::Script => "Script",
            TemplateKind::Resource => "Resource",
            TemplateKind::Dag => "DAG",
            TemplateKind::Suspend => "Suspend",
            TemplateKind::Data => "Data",
            TemplateKind::Http => "HTTP",
            TemplateKind::Plugin => "Plugin",
        }
    }

    /// Kinds that run as a pod.
    pub fn is_pod(self) -> bool {
        matches!(
            self,
            TemplateKind::Container
                | TemplateKind::ContainerSet
                | TemplateKind::Script
                | TemplateKind::Resource
                | TemplateKind::Data
        )
    }

    /// Kinds that do work themselves instead of calling other templates.
    pub fn is_leaf(self) -> bool {
        self.is_pod() || matches!(self, TemplateKind::Http | TemplateKind::Plugin)
    }
}

impl std::fmt::Display for TemplateKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Template {
    /// The body kinds that are set, in Go's precedence order (valid templates have exactly one).
    pub fn kinds(&self) -> Vec<TemplateKind> {
        let candidates = [
            (self.container.is_some(), TemplateKind::Container),
            (self.container_set.is_some(), TemplateKind::ContainerSet),
            (self.steps.is_some(), TemplateKind::Steps),
            (self.dag.is_some(), TemplateKind::Dag),
            (self.script.is_some(), TemplateKind::Script),
            (self.resource.is_some(), TemplateKind::Resource),
            (self.data.is_some(), TemplateKind::Data),
            (self.suspend.is_some(), TemplateKind::Suspend),
            (self.http.is_some(), TemplateKind::Http),
            (self.plugin.is_some(), TemplateKind::Plugin),
        ];
        candidates
            .into_iter()
            .filter_map(|(set, kind)| set.then_some(kind))
            .collect()
    }

    /// The template's kind as Go decides it (first set body), `None` when no body is set.
    pub fn kind(&self) -> Option<TemplateKind> {
        self.kinds().into_iter().next()
    }

    /// The main container of container and script templates.
    pub fn main_container(&self) -> Option<&Container> {
        self.container
            .as_ref()
            .or_else(|| self.script.as_ref().map(|s| &s.container))
    }

    /// True for `daemon: true`.
    pub fn is_daemon(&self) -> bool {
        self.daemon == Some(true)
    }

    /// Steps/DAG fail fast unless `failFast: false`.
    pub fn is_fail_fast(&self) -> bool {
        self.fail_fast != Some(false)
    }

    /// A template with only a name; combine with struct update syntax in tests.
    pub fn named(name: impl Into<String>) -> Self {
        Template {
            name: name.into(),
            ..Template::default()
        }
    }
}
