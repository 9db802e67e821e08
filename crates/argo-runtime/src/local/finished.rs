//! A bounded memory of finished pods' records, so a controller that observes a workflow's pods
//! on every reconcile, and the watcher's scans, read each finished pod's `status.json` once
//! instead of every time (neither parsing nor even `stat`ing it again).
//!
//! A finished record is final: the pod's supervisor writes the terminal record last, once, and
//! nothing writes that file afterwards. It is replaced only when the pod goes away or a pod of
//! the same name is made again, and in a state directory only its runtime does either (one
//! runtime process owns a state directory; see `names`): the runtime [`forget`]s the record
//! when it has deleted the pod's directory or creates the pod, and when a scan finds the
//! directory gone; a record remembered just as its directory went is dropped again at once.
//! Only records in a terminal phase are kept: those are the ones read again and again.
//!
//! Must not: decide anything about a pod, keep a record that is not terminal, or keep more than
//! `capacity` records.
//!
//! [`forget`]: FinishedRecords::forget

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::error::Result;
use crate::layout::read_json;
use crate::record::PodRecord;

/// How many finished records are remembered: a 10,000-task workflow's pods, with room to spare.
pub(super) const CAPACITY: usize = 16_384;

#[derive(Debug)]
pub(super) struct FinishedRecords {
    capacity: usize,
    records: Mutex<HashMap<PathBuf, PodRecord>>,
}

impl FinishedRecords {
    pub(super) fn new(capacity: usize) -> Self {
        FinishedRecords {
            capacity,
            records: Mutex::new(HashMap::new()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<PathBuf, PodRecord>> {
        self.records.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The record in `status_file`: from memory when it was read finished before, else from
    /// the file (`None` when there is no such file).
    pub(super) fn read(&self, status_file: &Path) -> Result<Option<PodRecord>> {
        if let Some(record) = self.lock().get(status_file) {
            return Ok(Some(record.clone()));
        }
        let record: Option<PodRecord> = read_json(status_file)?;
        if let Some(record) = &record
            && record.phase.is_terminal()
        {
            {
                let mut records = self.lock();
                if records.len() >= self.capacity {
                    records.clear();
                }
                records.insert(status_file.to_path_buf(), record.clone());
            }
            // A deletion forgets the record once the pod's directory is gone: if that happened
            // between the read above and the insert, the insert must not outlive it.
            if !status_file.exists() {
                self.forget(status_file);
            }
        }
        Ok(record)
    }

    /// Whether the finished record of `status_file` is remembered (so it is known not to
    /// change).
    pub(super) fn holds(&self, status_file: &Path) -> bool {
        self.lock().contains_key(status_file)
    }

    /// Forgets the record of a pod being deleted, created, or found gone.
    pub(super) fn forget(&self, status_file: &Path) {
        self.lock().remove(status_file);
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.lock().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::write_json_atomic;
    use crate::record::Phase;

    fn record(phase: Phase, generation: u64) -> PodRecord {
        PodRecord {
            generation,
            phase,
            reason: None,
            message: None,
            start_time: None,
            init_containers: Vec::new(),
            containers: Vec::new(),
        }
    }

    #[test]
    fn only_finished_records_are_remembered_until_forgotten() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("status.json");
        let cache = FinishedRecords::new(4);
        assert!(cache.read(&file).unwrap().is_none());

        write_json_atomic(&file, &record(Phase::Running, 1)).unwrap();
        assert_eq!(cache.read(&file).unwrap().unwrap().generation, 1);
        assert_eq!(cache.len(), 0, "a running pod's record is not kept");
        assert!(!cache.holds(&file));

        write_json_atomic(&file, &record(Phase::Succeeded, 2)).unwrap();
        assert_eq!(cache.read(&file).unwrap().unwrap().generation, 2);
        assert!(cache.holds(&file));

        // A finished record is final: the file is not read again, even gone.
        std::fs::remove_file(&file).unwrap();
        assert_eq!(cache.read(&file).unwrap().unwrap().generation, 2);

        // The runtime forgets it when the pod is made again; then the new file is read.
        cache.forget(&file);
        assert!(cache.read(&file).unwrap().is_none());
        write_json_atomic(&file, &record(Phase::Failed, 3)).unwrap();
        let again = cache.read(&file).unwrap().unwrap();
        assert_eq!((again.generation, again.phase), (3, Phase::Failed));
        assert_eq!(cache.len(), 1);
    }

    #[test]
    fn the_memory_stays_within_its_capacity() {
        let dir = tempfile::tempdir().unwrap();
        let cache = FinishedRecords::new(3);
        for i in 0..10 {
            let file = dir.path().join(format!("{i}.json"));
            write_json_atomic(&file, &record(Phase::Succeeded, i)).unwrap();
            assert_eq!(cache.read(&file).unwrap().unwrap().generation, i);
            assert!(cache.len() <= 3);
        }
    }
}
