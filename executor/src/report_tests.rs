use argo_core::{Outputs, Template};
use argo_store::MemoryStore;
use argo_store::prelude::*;

use super::*;
use crate::inputs::tests::config_in;

fn result_with(exit_code: &str) -> NodeResult {
    NodeResult {
        outputs: Some(Outputs {
            exit_code: Some(exit_code.to_owned()),
            ..Outputs::default()
        }),
        ..NodeResult::default()
    }
}

async fn stored(store: &dyn ResourceStore, name: &str) -> WorkflowTaskResult {
    let kind = ResourceKind::of::<WorkflowTaskResult>();
    store
        .get(&kind, Some("argo"), name)
        .await
        .unwrap()
        .into_resource()
        .unwrap()
}

#[tokio::test]
async fn the_task_result_is_named_by_node_and_labelled_until_completed() {
    let temp = tempfile::tempdir().unwrap();
    let store: Arc<dyn ResourceStore> = Arc::new(MemoryStore::default());
    let mut config = config_in(temp.path(), Template::default());
    config.pod_uid = "pod-uid".to_owned();
    let reporter = Reporter::new(store.clone(), &config);

    reporter
        .report(&NodeResult::default(), false)
        .await
        .unwrap();
    let first = stored(store.as_ref(), "wf-1").await;
    let labels = first.metadata.labels.clone().unwrap();
    assert_eq!(labels[LABEL_WORKFLOW], "wf");
    assert_eq!(labels[LABEL_REPORT_OUTPUTS_COMPLETED], "false");
    assert_eq!(
        first.metadata.owner_references.unwrap()[0].name,
        "wf-main-1"
    );

    reporter.report(&result_with("0"), true).await.unwrap();
    let last = stored(store.as_ref(), "wf-1").await;
    assert_eq!(
        last.metadata.labels.unwrap()[LABEL_REPORT_OUTPUTS_COMPLETED],
        "true"
    );
    assert_eq!(last.result, result_with("0"));
}

#[tokio::test]
async fn many_executors_report_into_one_sqlite_file_at_once() {
    let temp = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", temp.path().join("argo.db").display());
    let mut tasks = Vec::new();
    for index in 0..8 {
        let url = url.clone();
        let mut config = config_in(&temp.path().join(format!("v{index}")), Template::default());
        config.node_id = format!("wf-{index}");
        tasks.push(tokio::spawn(async move {
            let store = open_store(Some(&url)).await.unwrap();
            let reporter = Reporter::new(store, &config);
            reporter
                .report(&NodeResult::default(), false)
                .await
                .unwrap();
            reporter
                .report(&result_with(&index.to_string()), true)
                .await
                .unwrap();
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let store = open_store(Some(&url)).await.unwrap();
    for index in 0..8 {
        let result = stored(store.as_ref(), &format!("wf-{index}")).await;
        assert_eq!(result.result, result_with(&index.to_string()));
    }
}

#[tokio::test]
async fn only_sqlite_urls_are_accepted() {
    let opened = open_store(Some("postgres://x")).await;
    assert!(opened.is_err_and(|e| e.to_string().contains("ARGO_STORE")));
}
