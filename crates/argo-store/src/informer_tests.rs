//! The informer answers exactly what the store would: after every write through the same
//! handle, for gets, selector lists and pages, over both backends.

use serde_json::json;

use super::*;
use crate::{
    Environment, MemoryStore, ObjectKey, Preconditions, ResourceReader, ResourceWriter, Scope,
    SqliteConfig, SqliteStore,
};

fn things() -> ResourceKind {
    ResourceKind::new("example.argoproj.io/v1", "Thing", Scope::Namespaced)
}

fn thing(namespace: &str, name: &str, team: &str) -> Object {
    Object::new(&things(), Some(namespace), name).with_label("team", team)
}

async fn sqlite() -> Arc<SqliteStore> {
    Arc::new(
        SqliteStore::open(&SqliteConfig::in_memory(), Environment::system())
            .await
            .expect("opens"),
    )
}

/// Names of a page, whichever way it was read.
fn names<'a>(items: impl IntoIterator<Item = &'a Object>) -> Vec<String> {
    items
        .into_iter()
        .map(|item| format!("{}/{}", item.namespace().unwrap_or(""), item.name()))
        .collect()
}

async fn lists_agree<S: ResourceStore + 'static>(store: &Arc<S>, informer: &Informer<S>) {
    let selections = [
        ListParams::default(),
        ListParams::default().namespace("b"),
        ListParams::default().labels("team=red"),
        ListParams::default().namespace("a").labels("team!=red"),
        ListParams::default().fields("metadata.name=two"),
    ];
    for params in selections {
        let direct = store.list(&things(), &params).await.expect("lists");
        let cached = informer.list(&params).await.expect("lists");
        let direct_names: Vec<String> = names(&direct.items);
        assert_eq!(
            names(cached.items.iter().map(|item| &**item)),
            direct_names,
            "{params:?}"
        );
        assert_eq!(
            cached.resource_version, direct.resource_version,
            "{params:?}"
        );
    }
    // Two-item pages walk the same objects in the same order.
    let mut token = None;
    let mut paged = Vec::new();
    loop {
        let params = ListParams::default().limit(2).continue_from(token);
        let page = informer.list(&params).await.expect("a page");
        paged.extend(names(page.items.iter().map(|item| &**item)));
        token = page.continue_token;
        if token.is_none() {
            break;
        }
    }
    let all = store
        .list(&things(), &ListParams::default())
        .await
        .expect("lists");
    assert_eq!(paged, names(&all.items));
}

async fn reads_follow_every_write<S: ResourceStore + 'static>(store: Arc<S>) {
    let informer = Informer::start(store.clone(), things());
    for (namespace, name, team) in [
        ("a", "one", "red"),
        ("a", "two", "blue"),
        ("b", "three", "red"),
    ] {
        store
            .create(&things(), thing(namespace, name, team))
            .await
            .expect("creates");
    }
    lists_agree(&store, &informer).await;

    // Every write is visible to the very next read, with its new resourceVersion.
    for round in 0..20 {
        let current = informer.get(Some("a"), "one").await.expect("gets");
        let changed = Object::clone(&current).with_field("spec", json!({ "round": round }));
        let updated = store.update(&things(), changed).await.expect("updates");
        let read = informer.get(Some("a"), "one").await.expect("gets");
        assert_eq!(
            read.metadata.resource_version,
            updated.metadata.resource_version
        );
        assert_eq!(read.fields.get("spec"), Some(&json!({ "round": round })));
    }
    let relabelled = Object::clone(&informer.get(Some("b"), "three").await.expect("gets"))
        .with_label("team", "green");
    store.update(&things(), relabelled).await.expect("updates");
    lists_agree(&store, &informer).await;

    store
        .delete(&things(), Some("a"), "two", &Preconditions::default())
        .await
        .expect("deletes");
    let gone = informer.get(Some("a"), "two").await;
    assert!(gone.is_err_and(|error| error.is_not_found()));
    lists_agree(&store, &informer).await;
    assert_eq!(
        informer
            .get(Some("b"), "three")
            .await
            .expect("gets")
            .metadata
            .labels
            .as_ref()
            .and_then(|labels| labels.get("team"))
            .map(String::as_str),
        Some("green")
    );
}

#[tokio::test]
async fn the_memory_store_copy_follows_every_write() {
    reads_follow_every_write(Arc::new(MemoryStore::default())).await;
}

#[tokio::test]
async fn the_sqlite_copy_follows_every_write() {
    reads_follow_every_write(sqlite().await).await;
}

#[tokio::test]
async fn a_copy_started_over_existing_objects_lists_them_all() {
    let store = sqlite().await;
    for index in 0..30 {
        store
            .create(&things(), thing("a", &format!("wf-{index:02}"), "red"))
            .await
            .expect("creates");
    }
    let informer = Informer::start(store.clone(), things());
    lists_agree(&store, &informer).await;
    // Writes of other kinds move the store's revision, and lists report it.
    let other = ResourceKind::new("v1", "ConfigMap", Scope::Namespaced);
    store
        .create(&other, Object::new(&other, Some("a"), "settings"))
        .await
        .expect("creates");
    lists_agree(&store, &informer).await;
    let key = ObjectKey::new(&things(), Some("a"), "missing");
    let missing = informer.get(Some("a"), "missing").await;
    assert_eq!(
        missing.expect_err("absent").to_string(),
        key.not_found().to_string()
    );
}
