//! Synchronization declarations: semaphores (ConfigMap- or database-backed) and mutexes that a
//! workflow or template must hold while running.
//!
//! Must not: track holders (status types live in `status::synchronization`).

use k8s_openapi::api::core::v1::ConfigMapKeySelector;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::values::is_false;

/// Locks to acquire before running.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct Synchronization {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub semaphores: Vec<SemaphoreRef>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub mutexes: Vec<Mutex>,
}

/// A counting semaphore whose limit lives in a ConfigMap key or a database row.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct SemaphoreRef {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config_map_key_ref: Option<ConfigMapKeySelector>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub namespace: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database: Option<SyncDatabaseRef>,
}

/// A semaphore limit stored in the synchronization database.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct SyncDatabaseRef {
    pub key: String,
}

/// A named mutex, optionally database-backed (shared across controllers).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct Mutex {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub namespace: String,
    #[serde(skip_serializing_if = "is_false")]
    pub database: bool,
}

impl Synchronization {
    /// True when no lock is declared.
    pub fn is_empty(&self) -> bool {
        self.semaphores.is_empty() && self.mutexes.is_empty()
    }
}
