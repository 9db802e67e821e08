use prost::Message as _;
use serde_json::json;

use super::*;
use crate::conversion::workflow_kind;

fn stored(name: &str, version: &str, phase: &str) -> Object {
    let mut object = Object::new(&workflow_kind(), Some("argo"), name)
        .with_field("status", json!({ "phase": phase }));
    object.metadata.uid = Some(format!("uid-{name}"));
    object.metadata.resource_version = Some(version.to_owned()).filter(|v| !v.is_empty());
    object
}

fn with_message(name: &str, bytes: usize) -> Object {
    stored(name, "1", "Running").with_field("status", json!({ "message": "x".repeat(bytes) }))
}

#[test]
fn a_stored_version_is_encoded_once() {
    let cache = AnswerCache::default();
    let running = stored("wf", "1", "Running");
    let first = cache.answer(&running, "").expect("encodes");
    assert_eq!(first, encode_answer(&running, "").expect("encodes"));
    // A version names one content, so the second read is the cached answer (the different
    // phase here only shows that nothing was encoded again).
    let again = cache
        .answer(&stored("wf", "1", "Succeeded"), "")
        .expect("cached");
    assert_eq!(again, first);
    assert_eq!(cache.len(), 1);
}

#[test]
fn a_new_revision_or_other_fields_are_encoded_anew() {
    let cache = AnswerCache::default();
    let running = cache
        .answer(&stored("wf", "1", "Running"), "")
        .expect("encodes");
    let newer = stored("wf", "2", "Succeeded");
    let succeeded = cache.answer(&newer, "").expect("encodes");
    assert_eq!(succeeded, encode_answer(&newer, "").expect("encodes"));
    assert_ne!(succeeded, running);
    let decoded = wf::Workflow::decode(succeeded).expect("a workflow");
    assert_eq!(
        decoded.status.and_then(|status| status.phase).as_deref(),
        Some("Succeeded")
    );
    assert_eq!(
        cache.answer(&newer, "metadata.name").expect("encodes"),
        encode_answer(&newer, "metadata.name").expect("encodes")
    );
    assert_eq!(cache.len(), 3);
}

#[test]
fn objects_without_a_version_are_not_cached() {
    let cache = AnswerCache::default();
    let draft = stored("wf", "", "Pending");
    assert_eq!(
        cache.answer(&draft, "").expect("encodes"),
        encode_answer(&draft, "").expect("encodes")
    );
    assert!(cache.is_empty());
}

#[test]
fn a_list_of_cached_items_is_the_encoding_of_the_decoded_list() {
    let cache = AnswerCache::default();
    let objects = [
        stored("a", "3", "Running"),
        stored("b", "4", "Succeeded"),
        stored("c", "5", "Failed"),
    ];
    let items = objects
        .iter()
        .map(|object| cache.answer(object, "").expect("encodes"))
        .collect::<Vec<_>>();
    let metadata = k8s_meta::ListMeta {
        resource_version: Some("5".to_owned()),
        r#continue: Some("token".to_owned()),
        ..Default::default()
    };
    let joined = EncodedAnswer::List {
        metadata: metadata.clone(),
        items: items.clone(),
    };
    let list = wf::WorkflowList {
        metadata: Some(metadata),
        items: items
            .iter()
            .map(|item| wf::Workflow::decode(item.clone()).expect("a workflow"))
            .collect(),
    };
    assert_eq!(joined.to_bytes(), Bytes::from(list.encode_to_vec()));
    assert_eq!(joined.encoded_len(), list.encoded_len());
    assert_eq!(joined.decode::<wf::WorkflowList>().expect("decodes"), list);
}

#[test]
fn an_empty_list_is_the_encoding_of_the_empty_list() {
    let joined = EncodedAnswer::List {
        metadata: k8s_meta::ListMeta::default(),
        items: Vec::new(),
    };
    let list = wf::WorkflowList {
        metadata: Some(k8s_meta::ListMeta::default()),
        items: Vec::new(),
    };
    assert_eq!(joined.to_bytes(), Bytes::from(list.encode_to_vec()));
}

#[test]
fn the_entry_bound_drops_the_least_recently_used() {
    let cache = AnswerCache::default();
    for index in 0..ANSWER_CACHE_ENTRIES {
        cache
            .answer(&stored(&format!("wf-{index}"), "1", "Running"), "")
            .expect("encodes");
    }
    // Reading the oldest makes it the most recently used, so the next entry evicts wf-1.
    cache
        .answer(&stored("wf-0", "1", "Running"), "")
        .expect("cached");
    cache
        .answer(&stored("extra", "1", "Running"), "")
        .expect("encodes");
    assert_eq!(cache.len(), ANSWER_CACHE_ENTRIES);
    let changed = |name: &str| {
        let object = stored(name, "1", "Succeeded");
        cache.answer(&object, "").expect("encodes") == encode_answer(&object, "").expect("encodes")
    };
    // A kept entry answers its cached (Running) bytes; an evicted one is encoded anew.
    assert!(!changed("wf-0"), "the recently read entry stays");
    assert!(changed("wf-1"), "the least recently used entry went");
}

#[test]
fn the_byte_budget_is_respected() {
    let cache = AnswerCache::default();
    let each = 1024 * 1024;
    for index in 0..(ANSWER_CACHE_BYTES / each + 4) {
        cache
            .answer(&with_message(&format!("big-{index}"), each), "")
            .expect("encodes");
        assert!(cache.bytes() <= ANSWER_CACHE_BYTES);
    }
    assert!(cache.len() < ANSWER_CACHE_BYTES / each);
}

#[test]
fn oversized_answers_are_not_kept() {
    let cache = AnswerCache::default();
    let huge = with_message("huge", MAX_CACHED_ANSWER_BYTES + 1);
    let answer = cache.answer(&huge, "").expect("encodes");
    assert!(answer.len() > MAX_CACHED_ANSWER_BYTES);
    assert!(cache.is_empty());
}
