//! Between stored objects, `argo-core` values and protobuf messages, always through JSON; and
//! [`AnswerCache`], which keeps the protobuf answer of each recently read stored version so an
//! unchanged workflow is converted once, not on every read.
//!
//! Must not: change values on the way (defaults and validation belong elsewhere).

use std::collections::HashMap;
use std::hash::BuildHasher as _;
use std::sync::Arc;

use argo_core::Workflow;
use argo_proto::wf;
use argo_store::{Object, ResourceKind};

use crate::Result;
use crate::fields::filter_fields;

/// The store's description of the Workflow kind.
pub fn workflow_kind() -> ResourceKind {
    ResourceKind::of::<Workflow>()
}

/// Kubernetes core/v1 Events, kept in the store for WatchEvents.
pub fn event_kind() -> ResourceKind {
    ResourceKind::new("v1", "Event", argo_store::Scope::Namespaced)
}

pub use argo_service::conversion::{
    cluster_workflow_template_kind as cluster_template_kind, json_message, json_object,
    message_json, object_json, workflow_template_kind as template_kind,
};

pub fn cron_kind() -> ResourceKind {
    ResourceKind::of::<argo_core::CronWorkflow>()
}

/// A stored workflow as the domain type the engine's operations take.
pub fn workflow_of(object: Object) -> Result<Workflow> {
    Ok(object.into_resource()?)
}

/// A domain workflow as an object to store.
pub fn object_of(workflow: &Workflow) -> Result<Object> {
    Ok(Object::from_resource(workflow)?)
}

/// How many converted answers [`AnswerCache`] keeps.
pub const ANSWER_CACHE_ENTRIES: usize = 256;

/// What one cached answer was converted from: a stored version and the `fields` filter.
#[derive(Debug)]
struct AnswerSource {
    namespace: String,
    name: String,
    uid: String,
    resource_version: String,
    fields: String,
}

impl AnswerSource {
    fn is(&self, key: &[&str; 5]) -> bool {
        [
            &self.namespace,
            &self.name,
            &self.uid,
            &self.resource_version,
            &self.fields,
        ]
        .iter()
        .zip(key)
        .all(|(owned, borrowed)| owned.as_str() == *borrowed)
    }
}

/// Recent GetWorkflow answers by the stored version they were converted from, so reading an
/// unchanged workflow again skips object -> JSON -> protobuf.
///
/// A store revision names one content of one object (every write takes a new one), so an
/// entry for (namespace, name, uid, resourceVersion, fields) never goes stale and needs no
/// invalidation; objects without a resourceVersion (dry runs) and archived ones are not cached.
#[derive(Debug, Default)]
pub struct AnswerCache {
    hasher: std::collections::hash_map::RandomState,
    entries: std::sync::Mutex<HashMap<u64, (AnswerSource, Arc<wf::Workflow>)>>,
}

impl AnswerCache {
    /// The answer for a stored workflow, converted once per version and `fields`.
    pub fn answer(&self, object: &Object, fields: &str) -> Result<wf::Workflow> {
        let version = object.metadata.resource_version.as_deref().unwrap_or("");
        if version.is_empty() {
            return convert_answer(object, fields);
        }
        let key = [
            object.namespace().unwrap_or(""),
            object.name(),
            object.metadata.uid.as_deref().unwrap_or(""),
            version,
            fields,
        ];
        let hash = self.hasher.hash_one(key);
        let hit = self
            .lock()
            .get(&hash)
            .filter(|(source, _)| source.is(&key))
            .map(|(_, answer)| answer.clone());
        if let Some(answer) = hit {
            return Ok(wf::Workflow::clone(&answer));
        }
        let answer = convert_answer(object, fields)?;
        let source = AnswerSource {
            namespace: key[0].to_owned(),
            name: key[1].to_owned(),
            uid: key[2].to_owned(),
            resource_version: key[3].to_owned(),
            fields: key[4].to_owned(),
        };
        let shared = Arc::new(answer.clone());
        let mut entries = self.lock();
        if entries.len() >= ANSWER_CACHE_ENTRIES && !entries.contains_key(&hash) {
            let evicted = entries.keys().next().copied();
            if let Some(evicted) = evicted {
                entries.remove(&evicted);
            }
        }
        entries.insert(hash, (source, shared));
        Ok(answer)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, (AnswerSource, Arc<wf::Workflow>)>> {
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.lock().len()
    }
}

/// A stored object as the protobuf answer, with the `fields` filter applied.
pub fn convert_answer(object: &Object, fields: &str) -> Result<wf::Workflow> {
    json_message(&filter_fields(object_json(object)?, fields))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn stored(version: &str, phase: &str) -> Object {
        let mut object = Object::new(&workflow_kind(), Some("argo"), "wf")
            .with_field("status", json!({ "phase": phase }));
        object.metadata.uid = Some("uid-1".to_owned());
        object.metadata.resource_version = Some(version.to_owned()).filter(|v| !v.is_empty());
        object
    }

    #[test]
    fn a_stored_version_is_converted_once() {
        let cache = AnswerCache::default();
        let running = stored("1", "Running");
        let first = cache.answer(&running, "").expect("converts");
        assert_eq!(first, convert_answer(&running, "").expect("converts"));
        // A version names one content, so the second read is the cached answer (the
        // different phase here only shows that nothing was converted again).
        let again = cache.answer(&stored("1", "Succeeded"), "").expect("cached");
        assert_eq!(again, first);
        assert_eq!(cache.len(), 1);
    }

    #[test]
    fn a_new_version_or_other_fields_are_converted_anew() {
        let cache = AnswerCache::default();
        cache.answer(&stored("1", "Running"), "").expect("converts");
        let newer = stored("2", "Succeeded");
        assert_eq!(
            cache.answer(&newer, "").expect("converts"),
            convert_answer(&newer, "").expect("converts")
        );
        assert_eq!(
            cache.answer(&newer, "metadata.name").expect("converts"),
            convert_answer(&newer, "metadata.name").expect("converts")
        );
        assert_eq!(cache.len(), 3);
    }

    #[test]
    fn objects_without_a_version_are_not_cached() {
        let cache = AnswerCache::default();
        let draft = stored("", "Pending");
        assert_eq!(
            cache.answer(&draft, "").expect("converts"),
            convert_answer(&draft, "").expect("converts")
        );
        assert_eq!(cache.len(), 0);
    }
}
