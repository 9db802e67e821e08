//! Conformance cases for an object's lifecycle across operations: deletion and its
//! preconditions, finalizers, store-wide revisions, scopes, kinds, racing writers, durability.

use jiff::SignedDuration;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use serde_json::json;

use super::{
    Backend, cluster_things, create_thing, environment, gadgets, object, open, start_time, things,
};
use crate::{
    Deletion, Error, ListParams, Preconditions, ResourceKind, ResourceReader, ResourceWriter, Scope,
};

pub async fn delete_checks_preconditions_and_returns_the_last_state<B: Backend>(backend: &B) {
    let store = open(backend).await;
    let created = create_thing(&store, "argo", "a", &[]).await;
    let wrong_uid = Preconditions {
        uid: Some("another".into()),
        resource_version: None,
    };
    let stale = Preconditions {
        uid: None,
        resource_version: Some("0".into()),
    };
    for preconditions in [wrong_uid, stale] {
        let result = store
            .delete(&things(), Some("argo"), "a", &preconditions)
            .await;
        assert!(
            matches!(result, Err(Error::Conflict { .. })),
            "{preconditions:?} gave {result:?}"
        );
    }
    let exact = Preconditions {
        uid: created.metadata.uid.clone(),
        resource_version: created.metadata.resource_version.clone(),
    };
    let deleted = store
        .delete(&things(), Some("argo"), "a", &exact)
        .await
        .expect("delete succeeds");
    let Deletion::Deleted(last) = deleted else {
        panic!("expected Deleted, got {deleted:?}")
    };
    assert_eq!(last.name(), "a");
    assert_eq!(last.resource_version(), Some("2"));
    let gone = store.get(&things(), Some("argo"), "a").await;
    assert!(matches!(gone, Err(Error::NotFound { .. })), "{gone:?}");
    create_thing(&store, "argo", "a", &[]).await;
}

pub async fn finalizers_hold_a_deleted_object_until_removed<B: Backend>(backend: &B) {
    let (environment, clock) = environment();
    let store = backend.open(environment).await;
    let mut guarded = object(&things(), Some("argo"), "guarded");
    guarded.metadata.finalizers = Some(vec!["example.argoproj.io/cleanup".into()]);
    store
        .create(&things(), guarded)
        .await
        .expect("create succeeds");
    clock.advance(SignedDuration::from_secs(10));
    let deletion = store
        .delete(
            &things(),
            Some("argo"),
            "guarded",
            &Preconditions::default(),
        )
        .await;
    let Ok(Deletion::Finalizing(marked)) = deletion else {
        panic!("expected Finalizing, got {deletion:?}")
    };
    if backend.honours_environment() {
        let deleted_at = start_time()
            .checked_add(SignedDuration::from_secs(10))
            .expect("in range");
        assert_eq!(marked.metadata.deletion_timestamp, Some(Time(deleted_at)));
    } else {
        assert!(marked.metadata.deletion_timestamp.is_some());
    }
    let again = store
        .delete(
            &things(),
            Some("argo"),
            "guarded",
            &Preconditions::default(),
        )
        .await;
    assert!(
        matches!(&again, Ok(Deletion::Finalizing(object)) if object == &marked),
        "{again:?}"
    );
    let mut released = store
        .get(&things(), Some("argo"), "guarded")
        .await
        .expect("still stored");
    released.metadata.finalizers = Some(Vec::new());
    store
        .update(&things(), released)
        .await
        .expect("update succeeds");
    let gone = store.get(&things(), Some("argo"), "guarded").await;
    assert!(matches!(gone, Err(Error::NotFound { .. })), "{gone:?}");
}

pub async fn resource_versions_increase_across_kinds<B: Backend>(backend: &B) {
    let store = open(backend).await;
    let a = create_thing(&store, "argo", "a", &[]).await;
    let b = store
        .create(&gadgets(), object(&gadgets(), Some("argo"), "b"))
        .await
        .expect("create succeeds");
    let c = store
        .create(&cluster_things(), object(&cluster_things(), None, "c"))
        .await
        .expect("create succeeds");
    let versions: Vec<u64> = [a, b, c]
        .iter()
        .map(|object| {
            object
                .resource_version()
                .and_then(|v| v.parse().ok())
                .expect("numeric version")
        })
        .collect();
    assert!(
        versions.windows(2).all(|pair| pair[0] < pair[1]),
        "{versions:?}"
    );
    let list = store
        .list(&things(), &ListParams::default())
        .await
        .expect("list succeeds");
    assert_eq!(list.resource_version, versions[2].to_string());
}

pub async fn cluster_scoped_kinds_have_no_namespace<B: Backend>(backend: &B) {
    let store = open(backend).await;
    let created = store
        .create(
            &cluster_things(),
            object(&cluster_things(), Some("ignored"), "global"),
        )
        .await
        .expect("create succeeds");
    assert_eq!(created.namespace(), None);
    store
        .get(&cluster_things(), None, "global")
        .await
        .expect("get without namespace");
    store
        .get(&cluster_things(), Some("any"), "global")
        .await
        .expect("namespace is ignored");
    let all = store
        .list(&cluster_things(), &ListParams::default().namespace("any"))
        .await
        .expect("list");
    assert_eq!(all.items.len(), 1);
    store
        .delete(&cluster_things(), None, "global", &Preconditions::default())
        .await
        .expect("delete");
}

pub async fn kinds_with_the_same_names_are_separate<B: Backend>(backend: &B) {
    let store = open(backend).await;
    create_thing(&store, "argo", "same", &[]).await;
    store
        .create(&gadgets(), object(&gadgets(), Some("argo"), "same"))
        .await
        .expect("another kind");
    let other_version = ResourceKind::new("example.argoproj.io/v2", "Thing", Scope::Namespaced);
    store
        .create(&other_version, object(&other_version, Some("argo"), "same"))
        .await
        .expect("another version");
    let list = store
        .list(&things(), &ListParams::default())
        .await
        .expect("list succeeds");
    assert_eq!(list.items.len(), 1);
    store
        .delete(&gadgets(), Some("argo"), "same", &Preconditions::default())
        .await
        .expect("delete");
    store
        .get(&things(), Some("argo"), "same")
        .await
        .expect("the Thing remains");
}

pub async fn racing_updates_with_the_same_version_have_one_winner<B: Backend>(backend: &B) {
    let store = open(backend).await;
    let created = create_thing(&store, "argo", "contended", &[]).await;
    let mut racers = Vec::new();
    for replicas in 0..8 {
        let store = store.clone();
        let attempt = created
            .clone()
            .with_field("spec", json!({"replicas": replicas + 10}));
        racers.push(tokio::spawn(async move {
            store.update(&things(), attempt).await
        }));
    }
    let mut winners = 0;
    for racer in racers {
        match racer.await.expect("the racing task does not panic") {
            Ok(_) => winners += 1,
            Err(Error::Conflict { .. }) => {}
            Err(other) => panic!("expected Conflict, got {other:?}"),
        }
    }
    assert_eq!(winners, 1);
    let stored = store
        .get(&things(), Some("argo"), "contended")
        .await
        .expect("get succeeds");
    assert_eq!(stored.resource_version(), Some("2"));
}

pub async fn reopening_keeps_objects_and_revisions<B: Backend>(backend: &B) {
    if !backend.durable() {
        eprintln!("skipped: this backend is not durable");
        return;
    }
    let store = open(backend).await;
    let kept = create_thing(&store, "argo", "kept", &[("app", "web")]).await;
    let removed = create_thing(&store, "argo", "removed", &[]).await;
    store
        .delete(
            &things(),
            Some("argo"),
            removed.name(),
            &Preconditions::default(),
        )
        .await
        .expect("delete");
    backend.close(store).await;
    let reopened = open(backend).await;
    let fetched = reopened
        .get(&things(), Some("argo"), "kept")
        .await
        .expect("survives reopening");
    assert_eq!(fetched, kept);
    let list = reopened
        .list(&things(), &ListParams::default().labels("app=web"))
        .await
        .expect("list");
    assert_eq!(list.items, vec![kept]);
    assert_eq!(list.resource_version, "3");
    let next = create_thing(&reopened, "argo", "next", &[]).await;
    assert_eq!(next.resource_version(), Some("4"));
}
