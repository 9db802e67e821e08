//! The conformance suite every [`ArchiveStore`] backend runs: one async function per behaviour
//! over `&dyn ArchiveStore`, and [`archive_conformance_suite!`](crate::archive_conformance_suite)
//! to turn them into `#[tokio::test]`s given an expression that opens an empty archive.
//!
//! Test code (compiled for tests or with the `conformance` feature): cases panic on failure.

use jiff::Timestamp;
use serde_json::{Value, json};

use super::{ArchiveQuery, ArchiveStore, NameMatch};
use crate::LabelSelector;

/// Generates one `#[tokio::test]` per case, each on a fresh archive from `$open`.
#[macro_export]
macro_rules! archive_conformance_suite {
    ($open:expr) => {
        $crate::archive_conformance_suite!(@cases $open;
            archive_then_get_returns_the_same_workflow,
            archiving_again_replaces_the_copy_and_its_labels,
            a_workflow_without_uid_is_rejected,
            lists_are_newest_started_first_with_unstarted_last,
            offset_and_limit_page_and_count_ignores_them,
            namespace_and_name_matches_filter,
            label_selectors_filter,
            time_bounds_filter,
            get_by_name_returns_the_latest_run,
            delete_removes_one_workflow,
            delete_finished_before_expires_old_workflows,
            label_keys_and_values_are_distinct_and_sorted
        );
    };
    (@cases $open:expr; $($case:ident),*) => {
        $(
            #[tokio::test]
            async fn $case() {
                let archive = $open;
                $crate::archive::conformance::$case(&archive).await;
            }
        )*
    };
}

fn time(text: &str) -> Timestamp {
    text.parse().expect("test timestamps are valid")
}

/// A completed workflow manifest; `started` is the second of 2026-01-01T00:00 it started.
pub fn workflow(namespace: &str, name: &str, uid: &str, started: Option<u32>) -> Value {
    let mut status = json!({"phase": "Succeeded"});
    if let Some(second) = started {
        status["startedAt"] = json!(format!("2026-01-01T00:00:{second:02}Z"));
        status["finishedAt"] = json!(format!("2026-01-01T00:01:{second:02}Z"));
    }
    json!({
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Workflow",
        "metadata": {
            "name": name, "namespace": namespace, "uid": uid,
            "creationTimestamp": format!("2026-01-01T00:00:{:02}Z", started.unwrap_or(0)),
        },
        "spec": {"entrypoint": "main"},
        "status": status,
    })
}

fn labelled(mut workflow: Value, labels: Value) -> Value {
    workflow["metadata"]["labels"] = labels;
    workflow
}

async fn uids(archive: &dyn ArchiveStore, query: &ArchiveQuery) -> Vec<String> {
    archive
        .list(query)
        .await
        .expect("list")
        .iter()
        .map(|workflow| {
            workflow["metadata"]["uid"]
                .as_str()
                .unwrap_or("")
                .to_owned()
        })
        .collect()
}

async fn put(archive: &dyn ArchiveStore, workflows: &[Value]) {
    for workflow in workflows {
        archive.archive(workflow).await.expect("archived");
    }
}

pub async fn archive_then_get_returns_the_same_workflow(archive: &dyn ArchiveStore) {
    let stored = labelled(workflow("argo", "a", "u1", Some(1)), json!({"team": "x"}));
    archive.archive(&stored).await.expect("archived");
    assert_eq!(archive.get("u1").await.expect("get"), Some(stored));
    assert_eq!(archive.get("missing").await.expect("get"), None);
}

pub async fn archiving_again_replaces_the_copy_and_its_labels(archive: &dyn ArchiveStore) {
    put(
        archive,
        &[labelled(
            workflow("argo", "a", "u1", Some(1)),
            json!({"old": "1"}),
        )],
    )
    .await;
    let again = labelled(workflow("argo", "a", "u1", Some(2)), json!({"new": "2"}));
    archive.archive(&again).await.expect("archived again");
    assert_eq!(archive.get("u1").await.expect("get"), Some(again));
    assert_eq!(
        archive
            .count(&ArchiveQuery::default())
            .await
            .expect("count"),
        1
    );
    assert_eq!(archive.label_keys(None).await.expect("keys"), vec!["new"]);
}

pub async fn a_workflow_without_uid_is_rejected(archive: &dyn ArchiveStore) {
    let error = archive
        .archive(&json!({"metadata": {"name": "a", "namespace": "argo"}}))
        .await
        .expect_err("no uid");
    assert!(error.to_string().contains("metadata.uid"), "{error}");
    assert_eq!(
        archive
            .count(&ArchiveQuery::default())
            .await
            .expect("count"),
        0
    );
}

pub async fn lists_are_newest_started_first_with_unstarted_last(archive: &dyn ArchiveStore) {
    put(
        archive,
        &[
            workflow("argo", "old", "u1", Some(1)),
            workflow("argo", "never", "u0", None),
            workflow("argo", "new", "u3", Some(3)),
            workflow("argo", "mid", "u2", Some(2)),
        ],
    )
    .await;
    assert_eq!(
        uids(archive, &ArchiveQuery::default()).await,
        ["u3", "u2", "u1", "u0"]
    );
}

pub async fn offset_and_limit_page_and_count_ignores_them(archive: &dyn ArchiveStore) {
    let workflows: Vec<Value> = (1..=5)
        .map(|i| workflow("argo", &format!("w{i}"), &format!("u{i}"), Some(i)))
        .collect();
    put(archive, &workflows).await;
    let page = |offset, limit| ArchiveQuery {
        offset,
        limit,
        ..ArchiveQuery::default()
    };
    assert_eq!(uids(archive, &page(0, Some(2))).await, ["u5", "u4"]);
    assert_eq!(uids(archive, &page(2, Some(2))).await, ["u3", "u2"]);
    assert_eq!(uids(archive, &page(4, Some(2))).await, ["u1"]);
    assert_eq!(uids(archive, &page(3, None)).await, ["u2", "u1"]);
    assert_eq!(archive.count(&page(4, Some(1))).await.expect("count"), 5);
}

pub async fn namespace_and_name_matches_filter(archive: &dyn ArchiveStore) {
    put(
        archive,
        &[
            workflow("argo", "hello-world", "u1", Some(1)),
            workflow("argo", "Hello-Again", "u2", Some(2)),
            workflow("other", "hello-world", "u3", Some(3)),
            workflow("argo", "per%cent_x", "u4", Some(4)),
        ],
    )
    .await;
    let by = |namespace: Option<&str>, name: Option<NameMatch>| ArchiveQuery {
        namespace: namespace.map(str::to_owned),
        name,
        ..ArchiveQuery::default()
    };
    let exact = Some(NameMatch::Exact("hello-world".into()));
    assert_eq!(
        uids(archive, &by(Some("argo"), exact.clone())).await,
        ["u1"]
    );
    assert_eq!(uids(archive, &by(None, exact)).await, ["u3", "u1"]);
    let not_equal = Some(NameMatch::NotEqual("hello-world".into()));
    assert_eq!(uids(archive, &by(None, not_equal)).await, ["u4", "u2"]);
    let prefix = Some(NameMatch::Prefix("hello".into()));
    assert_eq!(uids(archive, &by(Some("argo"), prefix)).await, ["u1"]);
    let contains = Some(NameMatch::Contains("llo".into()));
    assert_eq!(
        uids(archive, &by(None, contains.clone())).await,
        ["u3", "u2", "u1"]
    );
    let wildcard = Some(NameMatch::Contains("%c".into()));
    assert_eq!(uids(archive, &by(None, wildcard)).await, ["u4"]);
    let underscore = Some(NameMatch::Contains("t_".into()));
    assert_eq!(uids(archive, &by(None, underscore)).await, ["u4"]);
    let prefixed = ArchiveQuery {
        name_prefix: Some("Hello".into()),
        ..by(None, contains)
    };
    assert_eq!(uids(archive, &prefixed).await, ["u2"]);
    assert_eq!(archive.count(&prefixed).await.expect("count"), 1);
}

pub async fn label_selectors_filter(archive: &dyn ArchiveStore) {
    put(
        archive,
        &[
            labelled(
                workflow("argo", "a", "u1", Some(1)),
                json!({"team": "x", "tier": "1"}),
            ),
            labelled(
                workflow("argo", "b", "u2", Some(2)),
                json!({"team": "y", "tier": "5"}),
            ),
            workflow("argo", "c", "u3", Some(3)),
        ],
    )
    .await;
    let selecting = |selector: &str| ArchiveQuery {
        labels: LabelSelector::parse(selector).expect("valid selector"),
        ..ArchiveQuery::default()
    };
    assert_eq!(uids(archive, &selecting("team=x")).await, ["u1"]);
    assert_eq!(uids(archive, &selecting("team!=x")).await, ["u3", "u2"]);
    assert_eq!(
        uids(archive, &selecting("team in (x,y)")).await,
        ["u2", "u1"]
    );
    assert_eq!(
        uids(archive, &selecting("team notin (y)")).await,
        ["u3", "u1"]
    );
    assert_eq!(uids(archive, &selecting("team")).await, ["u2", "u1"]);
    assert_eq!(uids(archive, &selecting("!team")).await, ["u3"]);
    assert_eq!(uids(archive, &selecting("tier>2")).await, ["u2"]);
    assert_eq!(archive.count(&selecting("tier<2")).await.expect("count"), 1);
    assert_eq!(
        uids(archive, &selecting("team=x,tier=5")).await,
        Vec::<String>::new()
    );
}

pub async fn time_bounds_filter(archive: &dyn ArchiveStore) {
    put(
        archive,
        &[
            workflow("argo", "a", "u1", Some(1)),
            workflow("argo", "b", "u2", Some(2)),
            workflow("argo", "c", "u3", Some(3)),
            workflow("argo", "never", "u0", None),
        ],
    )
    .await;
    let started = ArchiveQuery {
        min_started_at: Some(time("2026-01-01T00:00:02Z")),
        max_started_at: Some(time("2026-01-01T00:00:03Z")),
        ..ArchiveQuery::default()
    };
    assert_eq!(uids(archive, &started).await, ["u3", "u2"]);
    let created = ArchiveQuery {
        created_after: Some(time("2026-01-01T00:00:03Z")),
        ..ArchiveQuery::default()
    };
    assert_eq!(uids(archive, &created).await, ["u3"]);
    let finished = ArchiveQuery {
        finished_before: Some(time("2026-01-01T00:01:01Z")),
        ..ArchiveQuery::default()
    };
    assert_eq!(uids(archive, &finished).await, ["u1"]);
}

pub async fn get_by_name_returns_the_latest_run(archive: &dyn ArchiveStore) {
    put(
        archive,
        &[
            workflow("argo", "same", "u1", Some(1)),
            workflow("argo", "same", "u2", Some(2)),
            workflow("other", "same", "u3", Some(3)),
        ],
    )
    .await;
    let latest = archive.get_by_name("argo", "same").await.expect("get");
    assert_eq!(
        latest.map(|w| w["metadata"]["uid"].clone()),
        Some(json!("u2"))
    );
    assert_eq!(
        archive.get_by_name("argo", "none").await.expect("get"),
        None
    );
}

pub async fn delete_removes_one_workflow(archive: &dyn ArchiveStore) {
    put(
        archive,
        &[
            labelled(
                workflow("argo", "a", "u1", Some(1)),
                json!({"only": "here"}),
            ),
            workflow("argo", "b", "u2", Some(2)),
        ],
    )
    .await;
    assert!(archive.delete("u1").await.expect("delete"));
    assert!(!archive.delete("u1").await.expect("delete again"));
    assert_eq!(archive.get("u1").await.expect("get"), None);
    assert_eq!(uids(archive, &ArchiveQuery::default()).await, ["u2"]);
    assert!(archive.label_keys(None).await.expect("keys").is_empty());
}

pub async fn delete_finished_before_expires_old_workflows(archive: &dyn ArchiveStore) {
    put(
        archive,
        &[
            workflow("argo", "a", "u1", Some(1)),
            workflow("argo", "b", "u2", Some(2)),
            workflow("argo", "never", "u0", None),
        ],
    )
    .await;
    let removed = archive
        .delete_finished_before(time("2026-01-01T00:01:02Z"))
        .await
        .expect("expire");
    assert_eq!(removed, 1);
    assert_eq!(uids(archive, &ArchiveQuery::default()).await, ["u2", "u0"]);
}

pub async fn label_keys_and_values_are_distinct_and_sorted(archive: &dyn ArchiveStore) {
    put(
        archive,
        &[
            labelled(
                workflow("argo", "a", "u1", Some(1)),
                json!({"team": "y", "app": "p"}),
            ),
            labelled(workflow("argo", "b", "u2", Some(2)), json!({"team": "x"})),
            labelled(
                workflow("other", "c", "u3", Some(3)),
                json!({"team": "z", "zone": "e"}),
            ),
        ],
    )
    .await;
    assert_eq!(
        archive.label_keys(None).await.expect("keys"),
        ["app", "team", "zone"]
    );
    assert_eq!(
        archive.label_keys(Some("argo")).await.expect("keys"),
        ["app", "team"]
    );
    assert_eq!(
        archive.label_values("team", None).await.expect("values"),
        ["x", "y", "z"]
    );
    assert_eq!(
        archive
            .label_values("team", Some("other"))
            .await
            .expect("values"),
        ["z"]
    );
    assert!(
        archive
            .label_values("none", None)
            .await
            .expect("values")
            .is_empty()
    );
}
