//! Conformance cases for watches: ordering, resumption, the initial snapshot, filtering,
//! selector transitions, expiry after compaction, and resumption across a reopen.

use serde_json::json;

use super::{Backend, assert_quiet, create_thing, next_event, open, summary, things};
use crate::{
    Error, ListParams, Preconditions, ResourceReader, ResourceWatcher, ResourceWriter, Revision,
    WatchEvent, WatchParams,
};

fn deleted() -> Preconditions {
    Preconditions::default()
}

pub async fn watch_replays_changes_after_a_revision_in_order<B: Backend>(backend: &B) {
    let store = open(backend).await;
    let seed = create_thing(&store, "ns", "seed", &[]).await;
    let a = create_thing(&store, "ns", "a", &[]).await;
    let spec = json!({"replicas": 2});
    store
        .update(&things(), a.with_field("spec", spec))
        .await
        .expect("update");
    create_thing(&store, "ns", "b", &[]).await;
    store
        .delete(&things(), Some("ns"), "a", &deleted())
        .await
        .expect("delete");
    let seed_version = seed
        .resource_version()
        .expect("a created object has a version");
    let params = WatchParams::default().from_version(seed_version);
    let mut from_seed = store.watch(&things(), &params).await.expect("watch");
    let mut seen = Vec::new();
    for _ in 0..4 {
        seen.push(next_event(&mut from_seed).await);
    }
    let summaries: Vec<_> = seen.iter().map(summary).collect();
    let expected = [
        ("ADDED", "a"),
        ("MODIFIED", "a"),
        ("ADDED", "b"),
        ("DELETED", "a"),
    ];
    assert_eq!(
        summaries,
        expected.map(|(kind, name)| (kind, name.to_owned()))
    );
    let versions: Vec<_> = seen
        .iter()
        .map(|event| {
            event
                .object()
                .resource_version()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    assert_eq!(versions, ["2", "3", "4", "5"]);
    let params = WatchParams::default().from_version("3");
    let mut from_three = store.watch(&things(), &params).await.expect("watch");
    assert_eq!(
        summary(&next_event(&mut from_three).await),
        ("ADDED", "b".to_owned())
    );
    assert_eq!(
        summary(&next_event(&mut from_three).await),
        ("DELETED", "a".to_owned())
    );
    create_thing(&store, "ns", "live", &[]).await;
    assert_eq!(
        summary(&next_event(&mut from_three).await),
        ("ADDED", "live".to_owned())
    );
    assert_eq!(
        summary(&next_event(&mut from_seed).await),
        ("ADDED", "live".to_owned())
    );
    assert_quiet(&mut from_three).await;
}

/// As in Kubernetes, `"0"` means "any version": the current objects, then live changes.
pub async fn watch_from_version_zero_starts_with_current_objects<B: Backend>(backend: &B) {
    let store = open(backend).await;
    let gone = create_thing(&store, "ns", "gone", &[]).await;
    create_thing(&store, "ns", "kept", &[]).await;
    store
        .delete(&things(), Some("ns"), gone.name(), &deleted())
        .await
        .expect("delete");
    let params = WatchParams::default().from_version("0");
    let mut watch = store.watch(&things(), &params).await.expect("watch");
    assert_eq!(
        summary(&next_event(&mut watch).await),
        ("ADDED", "kept".to_owned())
    );
    assert_quiet(&mut watch).await;
    create_thing(&store, "ns", "new", &[]).await;
    assert_eq!(
        summary(&next_event(&mut watch).await),
        ("ADDED", "new".to_owned())
    );
}

pub async fn watch_without_a_revision_starts_with_current_objects<B: Backend>(backend: &B) {
    let store = open(backend).await;
    let a = create_thing(&store, "ns", "a", &[]).await;
    create_thing(&store, "ns", "b", &[]).await;
    store
        .update(&things(), a.with_label("x", "y"))
        .await
        .expect("update");
    let mut watch = store
        .watch(&things(), &WatchParams::default())
        .await
        .expect("watch");
    let first = next_event(&mut watch).await;
    let second = next_event(&mut watch).await;
    assert_eq!(
        [summary(&first), summary(&second)],
        [("ADDED", "a".to_owned()), ("ADDED", "b".to_owned())]
    );
    assert_eq!(
        first.object().label("x"),
        Some("y"),
        "the snapshot has the current state"
    );
    assert_quiet(&mut watch).await;
    store
        .delete(&things(), Some("ns"), "b", &deleted())
        .await
        .expect("delete");
    assert_eq!(
        summary(&next_event(&mut watch).await),
        ("DELETED", "b".to_owned())
    );
}

pub async fn list_then_watch_from_its_revision_misses_nothing<B: Backend>(backend: &B) {
    let store = open(backend).await;
    create_thing(&store, "ns", "before", &[]).await;
    let list = store
        .list(&things(), &ListParams::default())
        .await
        .expect("list succeeds");
    assert_eq!(list.items.len(), 1);
    create_thing(&store, "ns", "between", &[]).await;
    let params = WatchParams::default().from_version(&list.resource_version);
    let mut watch = store.watch(&things(), &params).await.expect("watch");
    create_thing(&store, "ns", "after", &[]).await;
    assert_eq!(
        summary(&next_event(&mut watch).await),
        ("ADDED", "between".to_owned())
    );
    assert_eq!(
        summary(&next_event(&mut watch).await),
        ("ADDED", "after".to_owned())
    );
    assert_quiet(&mut watch).await;
}

pub async fn watch_filters_by_namespace_and_labels<B: Backend>(backend: &B) {
    let store = open(backend).await;
    let params = WatchParams::default()
        .namespace("mine")
        .labels("app=web")
        .from_version("0");
    let mut watch = store.watch(&things(), &params).await.expect("watch");
    let mut by_name = store
        .watch(
            &things(),
            &WatchParams::default()
                .fields("metadata.name=web-2")
                .from_version("0"),
        )
        .await
        .expect("watch");
    create_thing(&store, "other", "web-1", &[("app", "web")]).await;
    create_thing(&store, "mine", "db", &[("app", "db")]).await;
    create_thing(&store, "mine", "web-2", &[("app", "web")]).await;
    store
        .create(
            &super::gadgets(),
            super::object(&super::gadgets(), Some("mine"), "web-3").with_label("app", "web"),
        )
        .await
        .expect("create another kind");
    assert_eq!(
        summary(&next_event(&mut watch).await),
        ("ADDED", "web-2".to_owned())
    );
    assert_eq!(
        summary(&next_event(&mut by_name).await),
        ("ADDED", "web-2".to_owned())
    );
    assert_quiet(&mut watch).await;
    assert_quiet(&mut by_name).await;
    let invalid = store
        .watch(&things(), &WatchParams::default().labels("a in ()"))
        .await;
    assert!(
        matches!(invalid, Err(Error::InvalidSelector { .. })),
        "invalid selector accepted"
    );
}

pub async fn watch_turns_selector_transitions_into_added_and_deleted<B: Backend>(backend: &B) {
    let store = open(backend).await;
    let object = create_thing(&store, "ns", "mover", &[("stage", "draft")]).await;
    let params = WatchParams::default()
        .labels("stage=live")
        .from_version("1");
    let mut watch = store.watch(&things(), &params).await.expect("watch");
    let live = store
        .update(&things(), object.with_label("stage", "live"))
        .await
        .expect("update");
    let touched = store
        .update(&things(), live.with_field("spec", json!({"replicas": 4})))
        .await
        .expect("update");
    store
        .update(&things(), touched.with_label("stage", "retired"))
        .await
        .expect("update");
    let events = [
        next_event(&mut watch).await,
        next_event(&mut watch).await,
        next_event(&mut watch).await,
    ];
    let kinds = events.each_ref().map(|event| event.event_type().as_str());
    assert_eq!(kinds, ["ADDED", "MODIFIED", "DELETED"]);
    assert!(
        matches!(&events[2], WatchEvent::Deleted(object) if object.label("stage") == Some("retired"))
    );
}

pub async fn watch_from_a_compacted_revision_is_expired<B: Backend>(backend: &B) {
    let store = open(backend).await;
    for name in ["a", "b", "c"] {
        create_thing(&store, "ns", name, &[]).await;
    }
    if !backend.compact(&store, Revision(2)).await {
        eprintln!("skipped: this backend cannot compact on demand");
        return;
    }
    let expired = store
        .watch(&things(), &WatchParams::default().from_version("1"))
        .await;
    assert!(
        matches!(expired, Err(Error::Expired { .. })),
        "{:?}",
        expired.err()
    );
    let mut resumed = store
        .watch(&things(), &WatchParams::default().from_version("2"))
        .await
        .expect("watch");
    assert_eq!(
        summary(&next_event(&mut resumed).await),
        ("ADDED", "c".to_owned())
    );
    let list = store
        .list(&things(), &ListParams::default())
        .await
        .expect("relist");
    let mut relisted = store
        .watch(
            &things(),
            &WatchParams::default().from_version(&list.resource_version),
        )
        .await
        .expect("watch from the relist");
    create_thing(&store, "ns", "d", &[]).await;
    assert_eq!(
        summary(&next_event(&mut relisted).await),
        ("ADDED", "d".to_owned())
    );
    let garbage = store
        .watch(&things(), &WatchParams::default().from_version("yesterday"))
        .await;
    assert!(
        matches!(garbage, Err(Error::InvalidResourceVersion { .. })),
        "garbage version accepted"
    );
}

pub async fn watch_resumes_from_history_after_reopening<B: Backend>(backend: &B) {
    if !backend.durable() {
        eprintln!("skipped: this backend is not durable");
        return;
    }
    let store = open(backend).await;
    create_thing(&store, "ns", "a", &[]).await;
    create_thing(&store, "ns", "b", &[]).await;
    backend.close(store).await;
    let reopened = open(backend).await;
    let mut watch = reopened
        .watch(&things(), &WatchParams::default().from_version("1"))
        .await
        .expect("watch");
    assert_eq!(
        summary(&next_event(&mut watch).await),
        ("ADDED", "b".to_owned())
    );
    create_thing(&reopened, "ns", "c", &[]).await;
    let live = next_event(&mut watch).await;
    assert_eq!(summary(&live), ("ADDED", "c".to_owned()));
    assert_eq!(live.object().resource_version(), Some("3"));
}

pub async fn several_watchers_see_the_same_changes<B: Backend>(backend: &B) {
    let store = open(backend).await;
    let mut watchers = Vec::new();
    for _ in 0..3 {
        watchers.push(
            store
                .watch(&things(), &WatchParams::default().from_version("0"))
                .await
                .expect("watch"),
        );
    }
    let writer = {
        let store = store.clone();
        tokio::spawn(async move {
            for index in 0..20 {
                create_thing(&store, "ns", &format!("item-{index:02}"), &[]).await;
            }
        })
    };
    for watcher in &mut watchers {
        for index in 0..20 {
            let event = next_event(watcher).await;
            assert_eq!(summary(&event), ("ADDED", format!("item-{index:02}")));
        }
    }
    writer.await.expect("the writer finishes");
}

/// More changes than the live channel buffers (1,024) are written while a watcher is not
/// reading; it must still see every change once, in order, from the retained history.
pub async fn a_watcher_that_falls_behind_catches_up_from_history<B: Backend>(backend: &B) {
    const CHANGES: usize = 1_100;
    let store = open(backend).await;
    let mut watch = store
        .watch(&things(), &WatchParams::default().from_version("0"))
        .await
        .expect("watch");
    for index in 0..CHANGES {
        create_thing(&store, "ns", &format!("item-{index:04}"), &[]).await;
    }
    for index in 0..CHANGES {
        let event = next_event(&mut watch).await;
        assert_eq!(summary(&event), ("ADDED", format!("item-{index:04}")));
    }
    assert_quiet(&mut watch).await;
}
