//! Lock holders and waiters recorded in a workflow's status.
//!
//! Must not: grant or release locks.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Semaphores and mutexes this workflow holds or waits for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct SynchronizationStatus {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub semaphore: Option<SemaphoreStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mutex: Option<MutexStatus>,
}

/// Semaphore holdings and waits.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct SemaphoreStatus {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub holding: Vec<SemaphoreHolding>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub waiting: Vec<SemaphoreHolding>,
}

/// The holders of one semaphore.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct SemaphoreHolding {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub semaphore: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub holders: Vec<String>,
}

/// Mutex holdings and waits.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct MutexStatus {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub holding: Vec<MutexHolding>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub waiting: Vec<MutexHolding>,
}

/// The holder of one mutex.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct MutexHolding {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub mutex: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub holder: String,
}
