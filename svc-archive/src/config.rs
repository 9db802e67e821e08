//! Settings of the archive service: how resubmitted workflows get their name suffix, and
//! Argo's `DISABLE_VALUE_LIST_RETRIEVAL_KEY_PATTERN` (label keys whose values are never
//! listed, for high-cardinality labels).
//!
//! Must not: read the environment (the binary does).

use std::sync::Arc;

use argo_store::{IdGenerator, RandomIds};
use regex::Regex;

use crate::{Error, Result};

/// Settings of [`crate::ArchivedWorkflowServer`].
#[derive(Clone)]
pub struct ArchiveConfig {
    /// Name suffixes for resubmitted workflows.
    pub ids: Arc<dyn IdGenerator>,
    /// Label keys matching this get an empty value list.
    pub skip_values_for_keys: Option<Regex>,
}

impl Default for ArchiveConfig {
    fn default() -> Self {
        Self {
            ids: Arc::new(RandomIds),
            skip_values_for_keys: None,
        }
    }
}

impl std::fmt::Debug for ArchiveConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ArchiveConfig")
            .field("skip_values_for_keys", &self.skip_values_for_keys)
            .finish_non_exhaustive()
    }
}

impl ArchiveConfig {
    /// Sets the key pattern from its text (empty: none).
    pub fn with_skipped_value_keys(mut self, pattern: &str) -> Result<Self> {
        self.skip_values_for_keys = if pattern.is_empty() {
            None
        } else {
            Some(Regex::new(pattern).map_err(|error| {
                Error::invalid_argument(format!(
                    "DISABLE_VALUE_LIST_RETRIEVAL_KEY_PATTERN {pattern:?}: {error}"
                ))
            })?)
        };
        Ok(self)
    }
}
