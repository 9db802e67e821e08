//! The names of the pods in each namespace, read from the state directory once and then kept
//! up to date by this runtime's own creations and deletions, so finding one workflow's pods
//! costs a range lookup instead of listing a directory that may hold thousands of pods.
//!
//! One runtime process creates and deletes the pods of a state directory (the controller that
//! owns it); a new process reads the directory again, so pods created before a restart are
//! found. [`PodRuntime::list`](crate::PodRuntime::list) still lists the directory itself.
//!
//! Must not: read pod records or decide anything about a pod.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::error::Result;
use crate::local::pods::list_keys;

#[derive(Debug, Default)]
pub(super) struct PodNames {
    /// Namespace -> names, for the namespaces read so far.
    namespaces: Mutex<HashMap<String, BTreeSet<String>>>,
}

impl PodNames {
    fn lock(&self) -> MutexGuard<'_, HashMap<String, BTreeSet<String>>> {
        self.namespaces
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The pods of `namespace` named `owner` or `owner-...`, in name order (`owner` sorts
    /// before `owner-`, and the range is ordered).
    pub(super) fn owned(
        &self,
        pods_root: &Path,
        namespace: &str,
        owner: &str,
    ) -> Result<Vec<String>> {
        let mut namespaces = self.lock();
        if !namespaces.contains_key(namespace) {
            // Listed under the lock, so no creation recorded meanwhile can be lost.
            let listed: BTreeSet<String> = list_keys(pods_root, Some(namespace))?
                .into_iter()
                .map(|(_, name)| name)
                .collect();
            namespaces.insert(namespace.to_string(), listed);
        }
        let names = &namespaces[namespace];
        let prefix = format!("{owner}-");
        let mut owned: Vec<String> = names.get(owner).cloned().into_iter().collect();
        owned.extend(
            names
                .range::<str, _>((
                    std::ops::Bound::Included(prefix.as_str()),
                    std::ops::Bound::Unbounded,
                ))
                .take_while(|name| name.starts_with(&prefix))
                .cloned(),
        );
        Ok(owned)
    }

    /// Records a pod this runtime created (or found existing).
    pub(super) fn added(&self, namespace: &str, name: &str) {
        if let Some(names) = self.lock().get_mut(namespace) {
            names.insert(name.to_string());
        }
    }

    /// Records a pod this runtime deleted.
    pub(super) fn removed(&self, namespace: &str, name: &str) {
        if let Some(names) = self.lock().get_mut(namespace) {
            names.remove(name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_workflows_pods_are_found_by_prefix_after_one_listing() {
        let root = tempfile::tempdir().unwrap();
        for pod in ["wf-a-1", "wf-b-2", "wf", "wf2-a-1", "other-1", ".hidden"] {
            std::fs::create_dir_all(root.path().join("argo").join(pod)).unwrap();
        }
        let names = PodNames::default();
        assert_eq!(
            names.owned(root.path(), "argo", "wf").unwrap(),
            ["wf", "wf-a-1", "wf-b-2"]
        );
        // Kept up to date by the runtime's own changes, without listing again.
        names.added("argo", "wf-c-3");
        names.removed("argo", "wf-a-1");
        std::fs::create_dir_all(root.path().join("argo").join("wf-foreign")).unwrap();
        assert_eq!(
            names.owned(root.path(), "argo", "wf").unwrap(),
            ["wf", "wf-b-2", "wf-c-3"]
        );
        assert!(
            names
                .owned(root.path(), "missing", "wf")
                .unwrap()
                .is_empty()
        );
    }
}
