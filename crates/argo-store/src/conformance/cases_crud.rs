//! Conformance cases for single-object operations: create, get, update, status update, delete,
//! preconditions, generation, finalizers, scopes, concurrency and durability.

use std::sync::Arc;

use jiff::SignedDuration;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use serde_json::json;

use super::{
    Backend, ConstantSuffix, cluster_things, create_thing, environment, gadgets, object, open,
    start_time, things,
};
use crate::{
    Deletion, Environment, Error, ListParams, Object, Preconditions, ResourceKind, ResourceReader,
    ResourceWriter, Scope,
};

pub async fn create_stores_the_object_with_system_metadata<B: Backend>(backend: &B) {
    let store = open(backend).await;
    let input = object(&things(), Some("argo"), "first").with_label("app", "web");
    let created = store
        .create(&things(), input)
        .await
        .expect("create succeeds");
    assert_eq!(created.uid(), Some("00000000-0000-0000-0000-000000000001"));
    assert_eq!(
        created.metadata.creation_timestamp,
        Some(Time(start_time()))
    );
    assert_eq!(created.resource_version(), Some("1"));
    assert_eq!(created.generation(), 1);
    assert_eq!(created.fields["spec"], json!({"replicas": 1}));
    assert_eq!(created.label("app"), Some("web"));
    let fetched = store
        .get(&things(), Some("argo"), "first")
        .await
        .expect("get succeeds");
    assert_eq!(fetched, created);
}

pub async fn create_fills_in_the_type_and_rejects_another_kind<B: Backend>(backend: &B) {
    let store = open(backend).await;
    let mut untyped = object(&things(), Some("argo"), "untyped");
    untyped.api_version.clear();
    untyped.kind.clear();
    let created = store
        .create(&things(), untyped)
        .await
        .expect("create succeeds");
    assert_eq!(
        (created.api_version.as_str(), created.kind.as_str()),
        ("example.argoproj.io/v1", "Thing")
    );
    let gadget = object(&gadgets(), Some("argo"), "gadget");
    let wrong = store.create(&things(), gadget).await;
    assert!(
        matches!(wrong, Err(Error::InvalidObject { .. })),
        "{wrong:?}"
    );
}

pub async fn create_rejects_invalid_objects<B: Backend>(backend: &B) {
    let store = open(backend).await;
    let nameless = Object::new(&things(), Some("argo"), "");
    let no_namespace = object(&things(), None, "orphan");
    let mut versioned = object(&things(), Some("argo"), "versioned");
    versioned.metadata.resource_version = Some("5".into());
    let slashed = object(&things(), Some("argo"), "a/b");
    for invalid in [nameless, no_namespace, versioned, slashed] {
        let result = store.create(&things(), invalid.clone()).await;
        assert!(
            matches!(result, Err(Error::InvalidObject { .. })),
            "{invalid:?} gave {result:?}"
        );
    }
}

pub async fn generate_name_appends_a_kubernetes_suffix<B: Backend>(backend: &B) {
    let store = open(backend).await;
    let first = store
        .create(
            &things(),
            object(&things(), Some("argo"), "").with_generate_name("wf-"),
        )
        .await
        .expect("create succeeds");
    let second = store
        .create(
            &things(),
            object(&things(), Some("argo"), "").with_generate_name("wf-"),
        )
        .await
        .expect("create succeeds");
    assert_eq!(first.name(), "wf-bbbbb");
    assert_eq!(second.name(), "wf-bbbbc");
    assert_eq!(first.metadata.generate_name.as_deref(), Some("wf-"));
    let long = store
        .create(
            &things(),
            object(&things(), Some("argo"), "").with_generate_name(&"x".repeat(70)),
        )
        .await
        .expect("create succeeds");
    assert_eq!(long.name().len(), 63);
}

pub async fn generate_name_retries_after_a_collision<B: Backend>(backend: &B) {
    let store = open(backend).await;
    create_thing(&store, "argo", "wf-bbbbb", &[]).await;
    let generated = store
        .create(
            &things(),
            object(&things(), Some("argo"), "").with_generate_name("wf-"),
        )
        .await
        .expect("create retries with a new suffix");
    assert_eq!(generated.name(), "wf-bbbbc");
}

pub async fn generate_name_gives_up_with_already_exists<B: Backend>(backend: &B) {
    let (environment, _clock) = environment();
    let environment = Environment {
        ids: Arc::new(ConstantSuffix::default()),
        ..environment
    };
    let store = backend.open(environment).await;
    let generated = || object(&things(), Some("argo"), "").with_generate_name("wf-");
    let first = store
        .create(&things(), generated())
        .await
        .expect("create succeeds");
    assert_eq!(first.name(), "wf-xxxxx");
    let second = store.create(&things(), generated()).await;
    assert!(
        matches!(second, Err(Error::AlreadyExists { .. })),
        "{second:?}"
    );
}

pub async fn creating_an_existing_name_is_already_exists<B: Backend>(backend: &B) {
    let store = open(backend).await;
    create_thing(&store, "argo", "taken", &[]).await;
    let again = store
        .create(&things(), object(&things(), Some("argo"), "taken"))
        .await;
    match again {
        Err(Error::AlreadyExists {
            kind,
            namespace,
            name,
        }) => {
            assert_eq!(
                (kind.as_str(), namespace.as_deref(), name.as_str()),
                ("Thing", Some("argo"), "taken")
            );
        }
        other => panic!("expected AlreadyExists, got {other:?}"),
    }
    create_thing(&store, "other", "taken", &[]).await;
}

pub async fn missing_objects_are_not_found<B: Backend>(backend: &B) {
    let store = open(backend).await;
    let missing = object(&things(), Some("argo"), "missing");
    let get = store.get(&things(), Some("argo"), "missing").await;
    assert!(
        matches!(&get, Err(Error::NotFound { name, .. }) if name == "missing"),
        "{get:?}"
    );
    let update = store.update(&things(), missing.clone()).await;
    assert!(matches!(update, Err(Error::NotFound { .. })), "{update:?}");
    let status = store.update_status(&things(), missing).await;
    assert!(matches!(status, Err(Error::NotFound { .. })), "{status:?}");
    let delete = store
        .delete(
            &things(),
            Some("argo"),
            "missing",
            &Preconditions::default(),
        )
        .await;
    assert!(matches!(delete, Err(Error::NotFound { .. })), "{delete:?}");
}

pub async fn update_with_a_stale_resource_version_is_a_conflict<B: Backend>(backend: &B) {
    let store = open(backend).await;
    let created = create_thing(&store, "argo", "a", &[]).await;
    let first = store
        .update(
            &things(),
            created.clone().with_field("spec", json!({"replicas": 2})),
        )
        .await
        .expect("update with the current version succeeds");
    assert_eq!(first.resource_version(), Some("2"));
    let stale = store
        .update(
            &things(),
            created.clone().with_field("spec", json!({"replicas": 3})),
        )
        .await;
    assert!(matches!(stale, Err(Error::Conflict { .. })), "{stale:?}");
    let stale_status = store
        .update_status(&things(), created.with_field("status", json!({"x": 1})))
        .await;
    assert!(
        matches!(stale_status, Err(Error::Conflict { .. })),
        "{stale_status:?}"
    );
    let stored = store
        .get(&things(), Some("argo"), "a")
        .await
        .expect("get succeeds");
    assert_eq!(stored.fields["spec"], json!({"replicas": 2}));
}

pub async fn update_without_a_resource_version_is_unconditional<B: Backend>(backend: &B) {
    let store = open(backend).await;
    create_thing(&store, "argo", "a", &[]).await;
    let blind = object(&things(), Some("argo"), "a").with_field("spec", json!({"replicas": 9}));
    let updated = store
        .update(&things(), blind)
        .await
        .expect("unconditional update succeeds");
    assert_eq!(updated.fields["spec"], json!({"replicas": 9}));
    assert_eq!(updated.uid(), Some("00000000-0000-0000-0000-000000000001"));
    assert_eq!(
        updated.metadata.creation_timestamp,
        Some(Time(start_time()))
    );
}

pub async fn generation_tracks_spec_changes_only<B: Backend>(backend: &B) {
    let store = open(backend).await;
    let created = create_thing(&store, "argo", "a", &[]).await;
    let relabelled = store
        .update(&things(), created.with_label("app", "web"))
        .await
        .expect("update succeeds");
    assert_eq!(relabelled.generation(), 1);
    assert_eq!(relabelled.resource_version(), Some("2"));
    let respecced = store
        .update(
            &things(),
            relabelled.with_field("spec", json!({"replicas": 2})),
        )
        .await
        .expect("update succeeds");
    assert_eq!(respecced.generation(), 2);
    let status = store
        .update_status(
            &things(),
            respecced.with_field("status", json!({"phase": "Running"})),
        )
        .await
        .expect("status update succeeds");
    assert_eq!(status.generation(), 2);
    assert_eq!(status.resource_version(), Some("4"));
}

pub async fn status_update_changes_only_the_status<B: Backend>(backend: &B) {
    let store = open(backend).await;
    let created = create_thing(&store, "argo", "a", &[]).await;
    let attempt = created
        .with_label("ignored", "yes")
        .with_field("spec", json!({"replicas": 5}))
        .with_field("status", json!({"phase": "Running"}));
    let updated = store
        .update_status(&things(), attempt)
        .await
        .expect("status update succeeds");
    assert_eq!(updated.status(), Some(&json!({"phase": "Running"})));
    assert_eq!(updated.fields["spec"], json!({"replicas": 1}));
    assert_eq!(updated.label("ignored"), None);
    assert_eq!(updated.generation(), 1);
    let fetched = store
        .get(&things(), Some("argo"), "a")
        .await
        .expect("get succeeds");
    assert_eq!(fetched, updated);
}

pub async fn status_subresource_kinds_ignore_status_in_update<B: Backend>(backend: &B) {
    let store = open(backend).await;
    let with_status =
        object(&gadgets(), Some("argo"), "g").with_field("status", json!({"phase": "Set"}));
    let created = store
        .create(&gadgets(), with_status)
        .await
        .expect("create succeeds");
    assert_eq!(
        created.status(),
        None,
        "create ignores status with a status subresource"
    );
    let status = store
        .update_status(
            &gadgets(),
            created.with_field("status", json!({"phase": "Running"})),
        )
        .await
        .expect("status update succeeds");
    let updated = store
        .update(
            &gadgets(),
            status.with_field("status", json!({"phase": "Overwritten"})),
        )
        .await
        .expect("update succeeds");
    assert_eq!(updated.status(), Some(&json!({"phase": "Running"})));
    assert_eq!(updated.generation(), 1);
    let things_status = create_thing(&store, "argo", "t", &[])
        .await
        .with_field("status", json!({"phase": "Written"}));
    let thing = store
        .update(&things(), things_status)
        .await
        .expect("update succeeds");
    assert_eq!(
        thing.status(),
        Some(&json!({"phase": "Written"})),
        "without a subresource update writes status"
    );
}

pub async fn an_update_that_changes_nothing_keeps_the_resource_version<B: Backend>(backend: &B) {
    let store = open(backend).await;
    let created = create_thing(&store, "argo", "a", &[]).await;
    let same = store
        .update(&things(), created.clone())
        .await
        .expect("update succeeds");
    assert_eq!(same.resource_version(), Some("1"));
    let list = store
        .list(&things(), &ListParams::default())
        .await
        .expect("list succeeds");
    assert_eq!(list.resource_version, "1");
}

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
    let deleted_at = start_time()
        .checked_add(SignedDuration::from_secs(10))
        .expect("in range");
    assert_eq!(marked.metadata.deletion_timestamp, Some(Time(deleted_at)));
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
