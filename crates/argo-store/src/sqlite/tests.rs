//! SQLite-specific tests: connection settings, the SQL translation of selectors on its own (the
//! backend also filters in memory, which would hide a too-wide query), and automatic compaction.

use std::time::Duration;

use super::*;
use crate::selector::LabelSelector;
use crate::{ResourceWriter, Scope};

fn kind() -> ResourceKind {
    ResourceKind::new("example.argoproj.io/v1", "Thing", Scope::Namespaced)
}

async fn open_file(config: SqliteConfig) -> (tempfile::TempDir, SqliteStore) {
    let directory = tempfile::tempdir().expect("a temporary directory");
    let config = SqliteConfig {
        location: Location::File(directory.path().join("argo.db")),
        ..config
    };
    let store = SqliteStore::open(&config, Environment::system())
        .await
        .expect("the database opens");
    (directory, store)
}

async fn pragma(store: &SqliteStore, name: &'static str) -> String {
    let sql = match name {
        "journal_mode" => "PRAGMA journal_mode",
        _ => "PRAGMA synchronous",
    };
    let row = sqlx::query(sql)
        .fetch_one(&store.shared.pool)
        .await
        .expect("the pragma reads");
    sqlx::Row::try_get::<String, _>(&row, 0)
        .or_else(|_| sqlx::Row::try_get::<i64, _>(&row, 0).map(|value| value.to_string()))
        .expect("the pragma has a value")
}

#[tokio::test]
async fn a_database_file_uses_wal_and_full_synchronous_commits_by_default() {
    let (_directory, store) = open_file(SqliteConfig::file("unused")).await;
    assert_eq!(pragma(&store, "journal_mode").await, "wal");
    assert_eq!(pragma(&store, "synchronous").await, "2");
}

#[tokio::test]
async fn synchronous_commits_are_configurable() {
    let config = SqliteConfig::file("unused").synchronous(Synchronous::Normal);
    let (_directory, store) = open_file(config).await;
    assert_eq!(pragma(&store, "synchronous").await, "1");
}

/// The names in the stored JSON of the rows `list`'s SQL alone selects (no in-memory filter).
async fn names_in_sql(store: &SqliteStore, list: &ListQuery<'_>) -> Vec<String> {
    let rows = store
        .read(|connection| tables::select(connection, list))
        .await
        .expect("the query runs");
    rows.iter()
        .map(|row| row.body.decode().expect("stored JSON").name().to_owned())
        .collect()
}

#[tokio::test]
async fn label_selectors_are_exact_in_sql_alone() {
    let store = SqliteStore::open(&SqliteConfig::in_memory(), Environment::system())
        .await
        .expect("the database opens");
    let labelled: &[(&str, &[(&str, &str)])] = &[
        ("a", &[("env", "prod"), ("tier", "web")]),
        ("b", &[("env", "dev")]),
        ("c", &[("tier", "db")]),
        ("d", &[]),
    ];
    let mut all = Vec::new();
    for (name, labels) in labelled {
        let mut object = Object::new(&kind(), Some("ns"), name);
        for (key, value) in *labels {
            object = object.with_label(key, value);
        }
        all.push(
            store
                .create(&kind(), object)
                .await
                .expect("create succeeds"),
        );
    }
    let selectors = [
        "env=prod",
        "env!=prod",
        "env in (prod,dev)",
        "env notin (dev)",
        "tier",
        "!tier",
        "env,!tier",
        "env notin (prod),tier in (db,web)",
    ];
    for selector in selectors {
        let parsed = Selectors {
            labels: LabelSelector::parse(selector).expect("parses"),
            ..Selectors::default()
        };
        let list = ListQuery {
            kind: &kind(),
            namespace: None,
            selectors: &parsed,
            after: None,
            limit: None,
        };
        assert!(list.fully_in_sql(), "{selector}");
        let found = names_in_sql(&store, &list).await;
        let expected: Vec<String> = all
            .iter()
            .filter(|object| parsed.labels.matches(object))
            .map(|object| object.name().to_owned())
            .collect();
        assert_eq!(found, expected, "{selector}");
    }
}

#[tokio::test]
async fn history_beyond_the_retention_is_compacted_automatically() {
    let config = SqliteConfig::file("unused").event_retention(3);
    let (_directory, store) = open_file(config).await;
    for name in ["a", "b", "c", "d", "e", "f"] {
        store
            .create(&kind(), Object::new(&kind(), Some("ns"), name))
            .await
            .expect("create succeeds");
    }
    let events: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM events")
        .fetch_one(&store.shared.pool)
        .await
        .expect("the count reads");
    assert_eq!(events, 3);
    let expired = store
        .watch(&kind(), &WatchParams::default().from_version("2"))
        .await;
    assert!(matches!(expired, Err(Error::Expired { .. })));
    let mut resumed = store
        .watch(&kind(), &WatchParams::default().from_version("3"))
        .await
        .expect("the retained history replays");
    let first = futures::StreamExt::next(&mut resumed).await;
    assert!(matches!(first, Some(Ok(crate::WatchEvent::Added(object))) if object.name() == "d"));
}

/// Writes on a multi-threaded runtime run their statements in place of the runtime's other
/// work (see `handle`); concurrent ones, failed ones among them, must all leave the store whole.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_writes_on_a_multi_threaded_runtime_each_take_one_revision() {
    let (_directory, store) = open_file(SqliteConfig::file("unused")).await;
    let start = store.current_revision().await.expect("the revision reads");
    let writers = (0..4).map(|writer| {
        let store = store.clone();
        tokio::spawn(async move {
            for index in 0..25 {
                let name = format!("w{writer}-{index:02}");
                let object = Object::new(&kind(), Some("ns"), &name);
                store
                    .create(&kind(), object.clone())
                    .await
                    .expect("create succeeds");
                // A write that fails inside its transaction rolls it back.
                let again = store.create(&kind(), object).await;
                assert!(
                    matches!(again, Err(Error::AlreadyExists { .. })),
                    "{again:?}"
                );
            }
        })
    });
    for writer in writers.collect::<Vec<_>>() {
        writer.await.expect("the writer finishes");
    }
    let listed = store
        .list(&kind(), &ListParams::default())
        .await
        .expect("the list reads");
    assert_eq!(listed.items.len(), 100);
    let end = store.current_revision().await.expect("the revision reads");
    assert_eq!(
        end.0 - start.0,
        100,
        "only the successful creates took revisions"
    );
}

async fn next_name(watch: &mut WatchStream) -> String {
    let next = tokio::time::timeout(Duration::from_secs(5), futures::StreamExt::next(watch))
        .await
        .expect("an event arrives within five seconds");
    match next {
        Some(Ok(event)) => event.object().name().to_owned(),
        other => panic!("expected an event, got {other:?}"),
    }
}

async fn two_processes(
    poll_interval: Option<Duration>,
) -> (tempfile::TempDir, SqliteStore, SqliteStore) {
    let directory = tempfile::tempdir().expect("a temporary directory");
    let path = directory.path().join("shared.db");
    let watching = SqliteConfig::file(&path).poll_interval(poll_interval);
    let writing = SqliteConfig::file(&path).poll_interval(None);
    let first = SqliteStore::open(&watching, Environment::system())
        .await
        .expect("opens");
    let second = SqliteStore::open(&writing, Environment::system())
        .await
        .expect("opens");
    (directory, first, second)
}

/// Creates the object `name` in namespace `ns` through `store`.
async fn create_named(store: &SqliteStore, name: &str) {
    store
        .create(&kind(), Object::new(&kind(), Some("ns"), name))
        .await
        .expect("create");
}

/// Writes one object through `other`, then one through `local`, and checks that `watch` gets
/// both in that order.
async fn foreign_then_local(
    (local, other): (&SqliteStore, &SqliteStore),
    watch: &mut WatchStream,
    names: [&str; 2],
) {
    create_named(other, names[0]).await;
    create_named(local, names[1]).await;
    assert_eq!(next_name(watch).await, names[0]);
    assert_eq!(next_name(watch).await, names[1]);
}

#[tokio::test]
async fn changes_from_another_process_are_published_before_the_next_local_write() {
    let (_directory, local, other) = two_processes(None).await;
    let mut watch = local
        .watch(&kind(), &WatchParams::default())
        .await
        .expect("watch");
    foreign_then_local((&local, &other), &mut watch, ["foreign", "local"]).await;
}

#[tokio::test]
async fn an_unwatched_handle_skips_foreign_changes_and_a_later_watch_still_gets_them() {
    let (_directory, local, other) = two_processes(None).await;
    let before = local.current_revision().await.expect("revision");
    create_named(&other, "foreign").await;
    // Nobody watches `local`: this write does not read "foreign" back.
    create_named(&local, "local").await;
    let params = WatchParams::default().from_version(&before.to_string());
    let mut watch = local.watch(&kind(), &params).await.expect("watch");
    assert_eq!(next_name(&mut watch).await, "foreign");
    assert_eq!(next_name(&mut watch).await, "local");
    // Watched now: the next foreign change is published before the next local write.
    foreign_then_local((&local, &other), &mut watch, ["foreign-2", "local-2"]).await;
}

#[tokio::test]
async fn changes_from_another_process_are_polled_while_idle() {
    let (_directory, local, other) = two_processes(Some(Duration::from_millis(20))).await;
    let mut watch = local
        .watch(&kind(), &WatchParams::default())
        .await
        .expect("watch");
    create_named(&other, "first").await;
    create_named(&other, "second").await;
    assert_eq!(next_name(&mut watch).await, "first");
    assert_eq!(next_name(&mut watch).await, "second");
}

mod selector_translation {
    //! Property: for any labels and any SQL-expressible selector, the SQL query alone selects
    //! exactly the objects the in-memory matcher selects.

    use super::*;
    use crate::selector::{Operator, Requirement};
    use proptest::prelude::*;
    use std::collections::{BTreeMap, BTreeSet};

    fn word() -> impl Strategy<Value = String> {
        prop_oneof![Just("a"), Just("b"), Just("c")].prop_map(str::to_owned)
    }

    fn labels() -> impl Strategy<Value = BTreeMap<String, String>> {
        proptest::collection::btree_map(word(), word(), 0..3)
    }

    fn requirement() -> impl Strategy<Value = Requirement> {
        let values = || proptest::collection::btree_set(word(), 1..3);
        let operator = prop_oneof![
            values().prop_map(Operator::In),
            values().prop_map(Operator::NotIn),
            Just(Operator::Exists),
            Just(Operator::DoesNotExist),
        ];
        (word(), operator).prop_map(|(key, operator)| Requirement { key, operator })
    }

    async fn check(objects: Vec<BTreeMap<String, String>>, requirements: Vec<Requirement>) {
        let store = SqliteStore::open(&SqliteConfig::in_memory(), Environment::system())
            .await
            .expect("the database opens");
        let mut expected = BTreeSet::new();
        let selectors = Selectors {
            labels: LabelSelector { requirements },
            ..Selectors::default()
        };
        for (index, labels) in objects.into_iter().enumerate() {
            let mut object = Object::new(&kind(), Some("ns"), &format!("o{index:02}"));
            object.metadata.labels = Some(labels);
            let created = store
                .create(&kind(), object)
                .await
                .expect("create succeeds");
            if selectors.labels.matches(&created) {
                expected.insert(created.name().to_owned());
            }
        }
        let list = ListQuery {
            kind: &kind(),
            namespace: Some("ns"),
            selectors: &selectors,
            after: None,
            limit: None,
        };
        let found: BTreeSet<String> = names_in_sql(&store, &list).await.into_iter().collect();
        assert_eq!(found, expected, "selector {}", selectors.labels);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn sql_selects_exactly_what_the_matcher_selects(
            objects in proptest::collection::vec(labels(), 0..8),
            requirements in proptest::collection::vec(requirement(), 0..3),
        ) {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime");
            runtime.block_on(check(objects, requirements));
        }
    }
}

fn with_spec(object: Object, n: u64) -> Object {
    object.with_field("spec", serde_json::json!({ "n": n }))
}

#[tokio::test]
async fn cached_reads_follow_every_update_and_delete() {
    let (_directory, store) = open_file(SqliteConfig::file("unused")).await;
    let draft = with_spec(Object::new(&kind(), Some("ns"), "a"), 1);
    let created = store.create(&kind(), draft).await.expect("create");
    let read = store.get(&kind(), Some("ns"), "a").await.expect("get");
    // (Not `created` itself: the stored creation time has whole seconds only.)
    assert_eq!(
        read.metadata.resource_version,
        created.metadata.resource_version
    );
    assert_eq!(read.fields, created.fields);
    assert_eq!(
        store.get(&kind(), Some("ns"), "a").await.expect("get"),
        read
    );

    let updated = store
        .update(&kind(), with_spec(read, 2))
        .await
        .expect("update");
    assert_eq!(
        store.get(&kind(), Some("ns"), "a").await.expect("get"),
        updated
    );
    let listed = store
        .list(&kind(), &ListParams::default().namespace("ns"))
        .await
        .expect("list");
    assert_eq!(listed.items, vec![updated]);

    store
        .delete(&kind(), Some("ns"), "a", &Preconditions::default())
        .await
        .expect("delete");
    let gone = store.get(&kind(), Some("ns"), "a").await;
    assert!(gone.is_err_and(|error| error.is_not_found()));
}

#[tokio::test]
async fn cached_reads_see_another_process_write_at_once() {
    let (_directory, local, other) = two_processes(None).await;
    let draft = with_spec(Object::new(&kind(), Some("ns"), "shared"), 1);
    local.create(&kind(), draft).await.expect("create");
    let before = local.get(&kind(), Some("ns"), "shared").await.expect("get");

    let updated = other
        .update(&kind(), with_spec(before.clone(), 2))
        .await
        .expect("update");
    let after = local.get(&kind(), Some("ns"), "shared").await.expect("get");
    assert_eq!(after, updated);
    assert_ne!(after, before);

    other
        .delete(&kind(), Some("ns"), "shared", &Preconditions::default())
        .await
        .expect("delete");
    let gone = local.get(&kind(), Some("ns"), "shared").await;
    assert!(gone.is_err_and(|error| error.is_not_found()));
}

/// A large object is stored compressed (see `body`), and reads back whole from its row (no read
/// cache), from its events, and through another handle on the same file.
#[tokio::test]
async fn large_objects_are_compressed_in_rows_and_events_and_read_back_whole() {
    let config = SqliteConfig::file("unused").read_cache_capacity(0);
    let (directory, store) = open_file(config).await;
    let entries: serde_json::Map<String, serde_json::Value> = (0..3_000)
        .map(|i| (format!("node-{i}"), serde_json::json!({"phase": "Running"})))
        .collect();
    let large = Object::new(&kind(), Some("ns"), "large").with_field("status", entries.into());
    let seed = Object::new(&kind(), Some("ns"), "seed");
    let seed = store.create(&kind(), seed).await.expect("create succeeds");
    store.create(&kind(), large).await.expect("create succeeds");
    // Read back from the row, as stored (timestamps in whole seconds).
    let created = store.get(&kind(), Some("ns"), "large").await.expect("get");
    let mut changed = created.clone();
    changed.fields["status"]["node-7"]["phase"] = "Succeeded".into();
    let updated = store
        .update(&kind(), changed)
        .await
        .expect("update succeeds");

    let (stored_type, stored_length): (String, i64) =
        sqlx::query_as("SELECT typeof(object), length(object) FROM objects WHERE name = 'large'")
            .fetch_one(&store.shared.pool)
            .await
            .expect("the row reads");
    let json_length = serde_json::to_string(&updated).expect("encodes").len();
    assert_eq!(stored_type, "blob");
    assert!(
        usize::try_from(stored_length).expect("a length") * 4 < json_length,
        "{stored_length} stored for {json_length} bytes of JSON"
    );
    let read = store.get(&kind(), Some("ns"), "large").await.expect("get");
    assert_eq!(read, updated);

    let mut events = store
        .watch(
            &kind(),
            &WatchParams::default().from_version(seed.resource_version().expect("a version")),
        )
        .await
        .expect("the history replays");
    let added = futures::StreamExt::next(&mut events).await;
    assert!(matches!(added, Some(Ok(crate::WatchEvent::Added(object))) if object == created));
    let modified = futures::StreamExt::next(&mut events).await;
    assert!(matches!(modified, Some(Ok(crate::WatchEvent::Modified(object))) if object == updated));

    let other = SqliteStore::open(
        &SqliteConfig::file(directory.path().join("argo.db")),
        Environment::system(),
    )
    .await
    .expect("a second handle opens");
    let seen = other.get(&kind(), Some("ns"), "large").await.expect("get");
    assert_eq!(seen, updated);
}
