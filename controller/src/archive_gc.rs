//! What the controller configmap's `persistence` says about the archive beyond `archive: true`:
//! `archiveLabelSelector` (only workflows whose labels match it are archived) and `archiveTTL`
//! (archived workflows that finished longer ago are deleted from the archive), as
//! [`ArchivePolicy`]: parsed once from the configmap's values, asked per workflow and per
//! collection pass.
//!
//! Must not: read the configmap (the caller passes its values), schedule itself (the loop
//! calls [`ArchivePolicy::collect`] periodically) or delete live workflows.

use std::collections::BTreeMap;

use argo_core::k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector as KubeSelector;
use argo_store::{ArchiveStore, LabelSelector};
use jiff::{SignedDuration, Timestamp};

use crate::error::{Error, Result};

/// Which completed workflows are archived and how long archived ones are kept.
#[derive(Debug, Clone, Default)]
pub struct ArchivePolicy {
    /// Archived workflows finished longer ago than this are deleted; `None` keeps them.
    pub ttl: Option<SignedDuration>,
    /// Only workflows matching it are archived; `None` archives all.
    pub selector: Option<LabelSelector>,
}

impl ArchivePolicy {
    /// The policy of `persistence.archiveTTL` (Argo's TTL: `<n>d` days, or a Go duration such
    /// as `12h`; empty for none) and `persistence.archiveLabelSelector` (a Kubernetes label
    /// selector: `matchLabels` and `matchExpressions`).
    ///
    /// # Errors
    /// [`Error::Config`] naming the key whose value is not usable.
    pub fn new(archive_ttl: &str, selector: Option<&KubeSelector>) -> Result<Self> {
        let ttl = match archive_ttl.trim() {
            "" => None,
            text => Some(parse_ttl(text).ok_or_else(|| {
                Error::Config(format!(
                    "persistence.archiveTTL: {text:?} is not a duration (use e.g. 7d or 12h)"
                ))
            })?),
        };
        let selector = match selector.map(selector_text).transpose()? {
            Some(text) if !text.is_empty() => {
                Some(LabelSelector::parse(&text).map_err(|error| {
                    Error::Config(format!("persistence.archiveLabelSelector: {error}"))
                })?)
            }
            _ => None,
        };
        Ok(Self { ttl, selector })
    }

    /// Whether a workflow with `labels` may be archived under the selector.
    pub fn selects(&self, labels: Option<&BTreeMap<String, String>>) -> bool {
        let empty = BTreeMap::new();
        self.selector
            .as_ref()
            .is_none_or(|selector| selector.matches_labels(labels.unwrap_or(&empty)))
    }

    /// Deletes the archived workflows that finished before `now - ttl`; answers how many.
    ///
    /// # Errors
    /// The archive's failure.
    pub async fn collect(&self, archive: &dyn ArchiveStore, now: Timestamp) -> Result<u64> {
        let Some(ttl) = self.ttl else {
            return Ok(0);
        };
        let Ok(before) = now.checked_sub(ttl) else {
            return Ok(0);
        };
        let deleted = archive.delete_finished_before(before).await?;
        if deleted > 0 {
            tracing::info!(deleted, %before, "archived workflows past archiveTTL deleted");
        }
        Ok(deleted)
    }
}

/// `<n>d` as days, else a Go duration; must be positive.
fn parse_ttl(text: &str) -> Option<SignedDuration> {
    let duration = match text.strip_suffix('d') {
        Some(days) => SignedDuration::from_hours(days.parse::<i64>().ok()?.checked_mul(24)?),
        None => argo_core::parse_go_duration(text).ok()?,
    };
    duration.is_positive().then_some(duration)
}

/// A Kubernetes label selector in the store's text syntax.
fn selector_text(selector: &KubeSelector) -> Result<String> {
    let mut parts: Vec<String> = selector
        .match_labels
        .iter()
        .flatten()
        .map(|(key, value)| format!("{key}={value}"))
        .collect();
    for expression in selector.match_expressions.iter().flatten() {
        let key = &expression.key;
        let values = expression.values.clone().unwrap_or_default().join(",");
        parts.push(match expression.operator.as_str() {
            "In" => format!("{key} in ({values})"),
            "NotIn" => format!("{key} notin ({values})"),
            "Exists" => key.clone(),
            "DoesNotExist" => format!("!{key}"),
            other => {
                return Err(Error::Config(format!(
                    "persistence.archiveLabelSelector: unknown operator {other:?} for {key:?} (In, NotIn, Exists, DoesNotExist)"
                )));
            }
        });
    }
    Ok(parts.join(","))
}

#[cfg(test)]
#[path = "archive_gc_tests.rs"]
mod tests;
