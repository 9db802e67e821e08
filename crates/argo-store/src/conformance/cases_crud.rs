//! Conformance cases for single-object operations: create (with generateName), get, update with
//! resourceVersion preconditions, status updates and generation.

use std::sync::Arc;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use serde_json::json;

use super::{
    Backend, ConstantSuffix, create_thing, environment, environment_is_injected, gadgets, object,
    open, start_time, things,
};
use crate::{
    Environment, Error, ListParams, Object, Preconditions, ResourceReader, ResourceWriter,
};

pub async fn create_stores_the_object_with_system_metadata<B: Backend>(backend: &B) {
    if !environment_is_injected(backend) {
        return;
    }
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
    if !environment_is_injected(backend) {
        return;
    }
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
    if !environment_is_injected(backend) {
        return;
    }
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
    if !environment_is_injected(backend) {
        return;
    }
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
