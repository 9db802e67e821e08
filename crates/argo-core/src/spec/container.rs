//! Container-based template bodies: scripts, user containers (init/sidecars), container sets,
//! and executor settings. Each embeds the Kubernetes `Container` as Go does (flattened).
//!
//! Must not: build pods.

use k8s_openapi::api::core::v1::{Container, VolumeMount};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::values::null_as_default;

/// A container whose `source` is written to a file and run by the container's command.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct ScriptTemplate {
    #[serde(flatten)]
    pub container: Container,
    pub source: String,
}

/// An init container or sidecar.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct UserContainer {
    #[serde(flatten)]
    pub container: Container,
    /// Mount the main container's volume mounts into this container too.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mirror_volume_mounts: Option<bool>,
}

/// Several containers in one pod, ordered by their `dependencies`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct ContainerSetTemplate {
    #[serde(deserialize_with = "null_as_default")]
    pub containers: Vec<ContainerNode>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub volume_mounts: Vec<VolumeMount>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_strategy: Option<ContainerSetRetryStrategy>,
}

/// Per-container retries inside a container set.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct ContainerSetRetryStrategy {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub duration: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retries: Option<IntOrString>,
}

/// A container in a container set plus the names of containers it waits for.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct ContainerNode {
    #[serde(flatten)]
    pub container: Container,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dependencies: Vec<String>,
}

/// Settings for Argo's own executor containers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct ExecutorConfig {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub service_account_name: String,
}

impl ContainerSetTemplate {
    /// The container with this name.
    pub fn container(&self, name: &str) -> Option<&ContainerNode> {
        self.containers.iter().find(|c| c.container.name == name)
    }
}
