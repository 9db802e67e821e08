//! Unit tests of the archive policy: TTL and label selector parsing, selection, collection.

use argo_store::{ArchiveQuery, MemoryArchive};
use serde_json::json;

use super::*;

fn selector(value: serde_json::Value) -> KubeSelector {
    serde_json::from_value(value).expect("selector")
}

#[test]
fn ttls_are_days_or_go_durations() {
    let days = ArchivePolicy::new("7d", None).expect("days");
    assert_eq!(days.ttl, Some(SignedDuration::from_hours(7 * 24)));
    let hours = ArchivePolicy::new("12h", None).expect("hours");
    assert_eq!(hours.ttl, Some(SignedDuration::from_hours(12)));
    assert_eq!(ArchivePolicy::new("", None).expect("none").ttl, None);
    for bad in ["soon", "-1d", "0s"] {
        let error = ArchivePolicy::new(bad, None).expect_err(bad);
        assert!(
            error.to_string().contains("persistence.archiveTTL"),
            "{error}"
        );
    }
}

#[test]
fn the_label_selector_chooses_what_is_archived() {
    let policy = ArchivePolicy::new(
        "",
        Some(&selector(json!({
            "matchLabels": {"team": "data"},
            "matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["scratch"]}]
        }))),
    )
    .expect("valid");
    let labels = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    };
    assert!(policy.selects(Some(&labels(&[("team", "data")]))));
    assert!(!policy.selects(Some(&labels(&[("team", "data"), ("tier", "scratch")]))));
    assert!(!policy.selects(None));
    assert!(ArchivePolicy::default().selects(None));

    let error = ArchivePolicy::new(
        "",
        Some(&selector(
            json!({"matchExpressions": [{"key": "a", "operator": "Near"}]}),
        )),
    )
    .expect_err("unknown operator");
    assert!(error.to_string().contains("Near"), "{error}");
}

fn finished(uid: &str, at: &str) -> serde_json::Value {
    json!({
        "apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow",
        "metadata": {"name": uid, "namespace": "argo", "uid": uid},
        "spec": {},
        "status": {"phase": "Succeeded", "startedAt": at, "finishedAt": at}
    })
}

#[tokio::test]
async fn collection_deletes_only_what_finished_before_the_ttl() {
    let archive = MemoryArchive::default();
    archive
        .archive(&finished("old", "2026-01-01T00:00:00Z"))
        .await
        .expect("archived");
    archive
        .archive(&finished("new", "2026-01-09T00:00:00Z"))
        .await
        .expect("archived");
    let now: Timestamp = "2026-01-10T00:00:00Z".parse().expect("time");

    let keep_all = ArchivePolicy::default();
    assert_eq!(keep_all.collect(&archive, now).await.expect("pass"), 0);

    let week = ArchivePolicy::new("7d", None).expect("valid");
    assert_eq!(week.collect(&archive, now).await.expect("pass"), 1);
    assert!(archive.get("old").await.expect("read").is_none());
    assert!(archive.get("new").await.expect("read").is_some());
    assert_eq!(
        archive
            .count(&ArchiveQuery::default())
            .await
            .expect("count"),
        1
    );
}
