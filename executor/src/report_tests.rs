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

/// A task result's completed label.
fn completed_label(result: &WorkflowTaskResult) -> &str {
    &result.metadata.labels.as_ref().unwrap()[LABEL_REPORT_OUTPUTS_COMPLETED]
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
    assert_eq!(completed_label(&first), "false");
    assert_eq!(
        first.metadata.owner_references.unwrap()[0].name,
        "wf-main-1"
    );

    reporter.report(&result_with("0"), true).await.unwrap();
    let last = stored(store.as_ref(), "wf-1").await;
    assert_eq!(completed_label(&last), "true");
    assert_eq!(last.result, result_with("0"));
}

#[tokio::test]
async fn a_report_replaces_what_another_writer_or_a_deletion_left_since_the_last_one() {
    let temp = tempfile::tempdir().unwrap();
    let store: Arc<dyn ResourceStore> = Arc::new(MemoryStore::default());
    let config = config_in(temp.path(), Template::default());
    let reporter = Reporter::new(store.clone(), &config);
    let kind = ResourceKind::of::<WorkflowTaskResult>();

    reporter
        .report(&NodeResult::default(), false)
        .await
        .unwrap();
    // Somebody else rewrites it: the reporter's remembered version is stale now.
    let mut other = store.get(&kind, Some("argo"), "wf-1").await.unwrap();
    other
        .metadata
        .annotations
        .get_or_insert_default()
        .insert("touched".to_owned(), "yes".to_owned());
    store.update(&kind, other).await.unwrap();
    reporter.report(&result_with("1"), false).await.unwrap();
    assert_eq!(
        stored(store.as_ref(), "wf-1").await.result,
        result_with("1")
    );

    // Deleted in between: the next report creates it again.
    store
        .delete(
            &kind,
            Some("argo"),
            "wf-1",
            &argo_store::Preconditions::default(),
        )
        .await
        .unwrap();
    reporter.report(&result_with("0"), true).await.unwrap();
    let last = stored(store.as_ref(), "wf-1").await;
    assert_eq!(last.result, result_with("0"));
    assert_eq!(completed_label(&last), "true");
}

#[tokio::test]
async fn a_first_report_replaces_a_result_left_by_an_earlier_run_of_the_node() {
    let temp = tempfile::tempdir().unwrap();
    let store: Arc<dyn ResourceStore> = Arc::new(MemoryStore::default());
    let config = config_in(temp.path(), Template::default());
    // A `wait` that reported, then was restarted: the new reporter remembers nothing, so its
    // first create finds the old result in the way.
    Reporter::new(store.clone(), &config)
        .report(&result_with("7"), false)
        .await
        .unwrap();
    let restarted = Reporter::new(store.clone(), &config);
    restarted.report(&result_with("0"), true).await.unwrap();
    let last = stored(store.as_ref(), "wf-1").await;
    assert_eq!(last.result, result_with("0"));
    assert_eq!(completed_label(&last), "true");
    // And its next report updates what it wrote itself.
    restarted.report(&result_with("1"), true).await.unwrap();
    assert_eq!(
        stored(store.as_ref(), "wf-1").await.result,
        result_with("1")
    );
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

/// A store whose first `busy` writes fail as SQLite's do when its write lock stays taken past
/// the busy timeout; reads and later writes go to a memory store.
struct BusyStore {
    inner: MemoryStore,
    busy: std::sync::atomic::AtomicUsize,
}

impl BusyStore {
    fn new(busy: usize) -> Self {
        BusyStore {
            inner: MemoryStore::default(),
            busy: busy.into(),
        }
    }

    fn write_lock(&self) -> argo_store::Result<()> {
        use std::sync::atomic::Ordering;
        let busy = self.busy.load(Ordering::SeqCst);
        if busy == 0 {
            return Ok(());
        }
        self.busy.store(busy - 1, Ordering::SeqCst);
        Err(argo_store::Error::Backend {
            operation: "take the next revision",
            source: "database is locked".into(),
        })
    }
}

#[async_trait::async_trait]
impl ResourceReader for BusyStore {
    async fn get(
        &self,
        kind: &ResourceKind,
        namespace: Option<&str>,
        name: &str,
    ) -> argo_store::Result<Object> {
        self.inner.get(kind, namespace, name).await
    }
    async fn list(
        &self,
        kind: &ResourceKind,
        params: &argo_store::ListParams,
    ) -> argo_store::Result<argo_store::ObjectList> {
        self.inner.list(kind, params).await
    }
}

#[async_trait::async_trait]
impl ResourceWriter for BusyStore {
    async fn create(&self, kind: &ResourceKind, object: Object) -> argo_store::Result<Object> {
        self.write_lock()?;
        self.inner.create(kind, object).await
    }
    async fn update(&self, kind: &ResourceKind, object: Object) -> argo_store::Result<Object> {
        self.write_lock()?;
        self.inner.update(kind, object).await
    }
    async fn update_status(
        &self,
        kind: &ResourceKind,
        object: Object,
    ) -> argo_store::Result<Object> {
        self.write_lock()?;
        self.inner.update_status(kind, object).await
    }
    async fn delete(
        &self,
        kind: &ResourceKind,
        namespace: Option<&str>,
        name: &str,
        preconditions: &argo_store::Preconditions,
    ) -> argo_store::Result<argo_store::Deletion> {
        self.inner
            .delete(kind, namespace, name, preconditions)
            .await
    }
}

#[async_trait::async_trait]
impl ResourceWatcher for BusyStore {
    async fn watch(
        &self,
        kind: &ResourceKind,
        params: &argo_store::WatchParams,
    ) -> argo_store::Result<argo_store::WatchStream> {
        self.inner.watch(kind, params).await
    }
}

fn busy_reporter(busy: usize) -> (Arc<BusyStore>, Reporter) {
    let temp = tempfile::tempdir().unwrap();
    let mut config = config_in(temp.path(), Template::default());
    config.node_id = "wf-busy".to_owned();
    let store = Arc::new(BusyStore::new(busy));
    let reporter = Reporter::new(store.clone(), &config);
    (store, reporter)
}

#[tokio::test(start_paused = true)]
async fn a_report_outwaits_a_store_busy_for_many_attempts() {
    // Fifty busy attempts: four times what the old fixed count of twelve allowed.
    let (store, reporter) = busy_reporter(50);
    let started = tokio::time::Instant::now();
    reporter.report(&result_with("0"), true).await.unwrap();
    assert!(started.elapsed() < REPORT_PATIENCE);
    assert_eq!(
        stored(store.as_ref(), "wf-busy").await.result,
        result_with("0")
    );
}

#[tokio::test(start_paused = true)]
async fn a_report_gives_up_once_its_patience_is_spent() {
    let (store, reporter) = busy_reporter(usize::MAX);
    let started = tokio::time::Instant::now();
    let error = reporter.report(&result_with("0"), true).await.unwrap_err();
    assert!(
        error.to_string().contains("take the next revision"),
        "{error}"
    );
    let waited = started.elapsed();
    assert!(
        waited >= REPORT_PATIENCE && waited <= REPORT_PATIENCE + MAX_REPORT_DELAY,
        "{waited:?}"
    );
    let kind = ResourceKind::of::<WorkflowTaskResult>();
    assert!(store.get(&kind, Some("argo"), "wf-busy").await.is_err());
}
