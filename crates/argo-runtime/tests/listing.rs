//! Listing a workflow's pods in batches (`PodRuntime::list_owned_batches`): the batches are
//! bounded and add up to the whole listing. Unsandboxed, so it runs anywhere.
#![allow(clippy::unwrap_used)]

mod harness;

use argo_runtime::PodRuntime;
use futures::TryStreamExt as _;
use harness::*;
use tempfile::TempDir;

#[tokio::test]
async fn a_workflow_s_pods_are_listed_in_batches_that_add_up_to_the_whole_listing() {
    let root = TempDir::new().unwrap();
    let gate = root.path().join("gate");
    // One running pod of another owner holds the only slot, so the others are created Pending
    // and nothing of theirs starts while they are listed.
    let runtime = limited(root.path(), 1);
    runtime
        .create(&held_pod("other-held", &gate))
        .await
        .unwrap();
    wait_phase(&runtime, "other-held", &["Running"]).await;
    for i in 0..260 {
        runtime
            .create(&shell_pod(&format!("wf-{i}"), "true"))
            .await
            .unwrap();
    }

    let batches: Vec<_> = runtime
        .list_owned_batches(NS, "wf")
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    let whole = runtime.list_owned(NS, "wf").await.unwrap();
    std::fs::write(&gate, b"").unwrap();
    wait_finished(&runtime, "other-held").await;

    assert!(batches.len() >= 3, "260 pods come in several batches");
    assert!(
        batches
            .iter()
            .all(|batch| !batch.is_empty() && batch.len() <= 128)
    );
    let mut listed: Vec<String> = batches.into_iter().flatten().map(|p| p.name).collect();
    let mut expected: Vec<String> = whole.into_iter().map(|p| p.name).collect();
    listed.sort();
    expected.sort();
    assert_eq!(listed.len(), 260);
    assert_eq!(
        listed, expected,
        "the same pods as the whole listing, none of other owners"
    );
}
