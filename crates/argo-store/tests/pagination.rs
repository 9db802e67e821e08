//! Property: paging through a list with any page size yields every object exactly once, in
//! order, for the memory backend and the SQLite backend alike.

use std::collections::BTreeSet;

use argo_store::prelude::*;
use argo_store::sqlite::SqliteConfig;
use argo_store::{
    Environment, ListParams, MemoryStore, Object, ResourceKind, ResourceStore, Scope, SqliteStore,
};
use proptest::prelude::*;

fn kind() -> ResourceKind {
    ResourceKind::new("example.argoproj.io/v1", "Thing", Scope::Namespaced)
}

async fn pages(store: &impl ResourceStore, limit: u32, selector: &str) -> Vec<(String, String)> {
    let mut seen = Vec::new();
    let mut token = None;
    loop {
        let params = ListParams::default()
            .limit(limit)
            .labels(selector)
            .continue_from(token);
        let page = store.list(&kind(), &params).await.expect("list succeeds");
        assert!(page.items.len() <= limit as usize);
        seen.extend(page.items.iter().map(|object| {
            (
                object.namespace().unwrap_or("").to_owned(),
                object.name().to_owned(),
            )
        }));
        token = page.continue_token;
        if token.is_none() {
            return seen;
        }
    }
}

async fn check(keys: BTreeSet<(String, String, bool)>, limit: u32) {
    let memory = MemoryStore::new(Environment::system());
    let sqlite = SqliteStore::open(&SqliteConfig::in_memory(), Environment::system())
        .await
        .expect("the database opens");
    let mut expected = Vec::new();
    for (namespace, name, marked) in &keys {
        let object = Object::new(&kind(), Some(namespace), name)
            .with_label("marked", if *marked { "yes" } else { "no" });
        memory
            .create(&kind(), object.clone())
            .await
            .expect("create succeeds");
        sqlite
            .create(&kind(), object)
            .await
            .expect("create succeeds");
        if *marked {
            expected.push((namespace.clone(), name.clone()));
        }
    }
    assert_eq!(pages(&memory, limit, "marked=yes").await, expected);
    assert_eq!(pages(&sqlite, limit, "marked=yes").await, expected);
    assert_eq!(pages(&sqlite, limit, "").await.len(), keys.len());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]
    #[test]
    fn paging_yields_every_selected_object_once_in_order(
        keys in proptest::collection::btree_set(("[ab]", "[a-z]{1,3}", any::<bool>()), 0..25),
        limit in 1u32..6,
    ) {
        // Names are unique per namespace: keep the first of duplicates that differ only in mark.
        let mut unique = BTreeSet::new();
        let mut seen = BTreeSet::new();
        for (namespace, name, marked) in keys {
            if seen.insert((namespace.clone(), name.clone())) {
                unique.insert((namespace, name, marked));
            }
        }
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        runtime.block_on(check(unique, limit));
    }
}
