//! The in-process archive: records in a map keyed by uid behind a mutex, filtered with
//! [`ArchiveQuery::matches`] (the reference semantics). For tests and the embedded mode.
//!
//! Must not: be used where archived workflows must survive a restart.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Mutex, MutexGuard, PoisonError};

use async_trait::async_trait;
use jiff::Timestamp;
use serde_json::Value;

use super::{ArchiveQuery, ArchiveStore, ArchivedWorkflow};
use crate::Result;

/// An archive in memory. Cheap to create; not shared between processes.
#[derive(Debug, Default)]
pub struct MemoryArchive {
    records: Mutex<BTreeMap<String, ArchivedWorkflow>>,
}

impl MemoryArchive {
    fn records(&self) -> MutexGuard<'_, BTreeMap<String, ArchivedWorkflow>> {
        self.records.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn matching(&self, query: &ArchiveQuery) -> Vec<ArchivedWorkflow> {
        let mut matching: Vec<ArchivedWorkflow> = self
            .records()
            .values()
            .filter(|record| query.matches(record))
            .cloned()
            .collect();
        matching.sort_by(ArchivedWorkflow::list_order);
        matching
    }

    fn distinct(
        &self,
        namespace: Option<&str>,
        pick: impl Fn(&ArchivedWorkflow) -> Vec<String>,
    ) -> Vec<String> {
        self.records()
            .values()
            .filter(|record| namespace.is_none_or(|namespace| record.namespace == namespace))
            .flat_map(pick)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect()
    }
}

#[async_trait]
impl ArchiveStore for MemoryArchive {
    async fn archive(&self, workflow: &Value) -> Result<()> {
        let record = ArchivedWorkflow::from_workflow(workflow)?;
        self.records().insert(record.uid.clone(), record);
        Ok(())
    }

    async fn list(&self, query: &ArchiveQuery) -> Result<Vec<Value>> {
        let matching = self.matching(query);
        Ok(query.page(matching.into_iter().map(|record| record.workflow)))
    }

    async fn count(&self, query: &ArchiveQuery) -> Result<u64> {
        Ok(self.matching(query).len() as u64)
    }

    async fn get(&self, uid: &str) -> Result<Option<Value>> {
        Ok(self
            .records()
            .get(uid)
            .map(|record| record.workflow.clone()))
    }

    async fn get_by_name(&self, namespace: &str, name: &str) -> Result<Option<Value>> {
        let query = ArchiveQuery {
            namespace: Some(namespace.to_owned()),
            name: Some(super::NameMatch::Exact(name.to_owned())),
            ..ArchiveQuery::default()
        };
        Ok(self
            .matching(&query)
            .into_iter()
            .next()
            .map(|record| record.workflow))
    }

    async fn delete(&self, uid: &str) -> Result<bool> {
        Ok(self.records().remove(uid).is_some())
    }

    async fn delete_finished_before(&self, before: Timestamp) -> Result<u64> {
        let mut records = self.records();
        let count = records.len();
        records.retain(|_, record| record.finished_at.is_none_or(|finished| finished >= before));
        Ok((count - records.len()) as u64)
    }

    async fn label_keys(&self, namespace: Option<&str>) -> Result<Vec<String>> {
        Ok(self.distinct(namespace, |record| record.labels.keys().cloned().collect()))
    }

    async fn label_values(&self, key: &str, namespace: Option<&str>) -> Result<Vec<String>> {
        Ok(self.distinct(namespace, |record| {
            record.labels.get(key).cloned().into_iter().collect()
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::archive_conformance_suite!(MemoryArchive::default());
}
