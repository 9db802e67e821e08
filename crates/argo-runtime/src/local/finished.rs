//! A bounded memory of finished pods' records, so a controller that observes a workflow's pods
//! on every reconcile parses each finished pod's `status.json` once instead of every time.
//!
//! Coherence needs no invalidation: a cached record is used only while the file on disk is the
//! very file it was parsed from (same inode, modification time and length). Records are
//! written by atomic rename, so any rewrite, deletion or re-creation of the pod changes that
//! stamp. Only records in a terminal phase are kept: those are the ones read again and again.
//!
//! Must not: decide anything about a pod, or keep more than `capacity` records.

use std::collections::HashMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::error::Result;
use crate::layout::read_json;
use crate::record::PodRecord;

/// How many finished records are remembered: a 10,000-task workflow's pods, with room to spare.
pub(super) const CAPACITY: usize = 16_384;

/// Which file a record was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Stamp {
    inode: u64,
    modified_ns: i128,
    len: u64,
}

impl Stamp {
    fn of(metadata: &std::fs::Metadata) -> Self {
        Stamp {
            inode: metadata.ino(),
            modified_ns: i128::from(metadata.mtime()) * 1_000_000_000
                + i128::from(metadata.mtime_nsec()),
            len: metadata.len(),
        }
    }
}

#[derive(Debug)]
pub(super) struct FinishedRecords {
    capacity: usize,
    records: Mutex<HashMap<PathBuf, (Stamp, PodRecord)>>,
}

impl FinishedRecords {
    pub(super) fn new(capacity: usize) -> Self {
        FinishedRecords {
            capacity,
            records: Mutex::new(HashMap::new()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<PathBuf, (Stamp, PodRecord)>> {
        self.records.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The record in `status_file`, from memory when that file was read before and has not
    /// changed since; `None` when there is no such file.
    pub(super) fn read(&self, status_file: &Path) -> Result<Option<PodRecord>> {
        let stamp = match std::fs::metadata(status_file) {
            Ok(metadata) => Stamp::of(&metadata),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                self.lock().remove(status_file);
                return Ok(None);
            }
            // Let the read report the error with its path.
            Err(_) => return read_json(status_file),
        };
        if let Some((cached, record)) = self.lock().get(status_file)
            && *cached == stamp
        {
            return Ok(Some(record.clone()));
        }
        let record: Option<PodRecord> = read_json(status_file)?;
        if let Some(record) = &record
            && record.phase.is_terminal()
        {
            // Re-check after reading: a rewrite between the stat and the read must not be
            // remembered under the older stamp.
            let unchanged = std::fs::metadata(status_file).is_ok_and(|m| Stamp::of(&m) == stamp);
            if unchanged {
                let mut records = self.lock();
                if records.len() >= self.capacity {
                    records.clear();
                }
                records.insert(status_file.to_path_buf(), (stamp, record.clone()));
            }
        }
        Ok(record)
    }

    /// Forgets the record of a pod being deleted.
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
    fn only_finished_records_are_remembered_and_a_rewrite_is_seen() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("status.json");
        let cache = FinishedRecords::new(4);
        assert!(cache.read(&file).unwrap().is_none());

        write_json_atomic(&file, &record(Phase::Running, 1)).unwrap();
        assert_eq!(cache.read(&file).unwrap().unwrap().generation, 1);
        assert_eq!(cache.len(), 0, "a running pod's record is not kept");

        write_json_atomic(&file, &record(Phase::Succeeded, 2)).unwrap();
        assert_eq!(cache.read(&file).unwrap().unwrap().generation, 2);
        assert_eq!(cache.len(), 1);

        // Rewritten behind the cache's back (a re-created pod of the same name).
        write_json_atomic(&file, &record(Phase::Failed, 3)).unwrap();
        let again = cache.read(&file).unwrap().unwrap();
        assert_eq!((again.generation, again.phase), (3, Phase::Failed));

        std::fs::remove_file(&file).unwrap();
        assert!(cache.read(&file).unwrap().is_none());
        assert_eq!(cache.len(), 0);
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
