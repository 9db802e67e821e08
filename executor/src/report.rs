//! Reporting a node's outputs as a `WorkflowTaskResult` named by the node ID, labelled with the
//! workflow and `report-outputs-completed` (false until the final report), owned by the pod, in
//! the store the controller reads. Writes are create-or-update, retried while the store is busy
//! or conflicting for up to `REPORT_PATIENCE`, so the executors of thousands of pods sharing one
//! SQLite file (WAL, busy timeout) with a controller that writes large workflows all get through.
//! Must not: touch the Workflow.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use argo_core::k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};
use argo_core::{NodeResult, WorkflowTaskResult};
use argo_store::{Environment, Object, ResourceKind, ResourceStore, SqliteConfig, SqliteStore};

use crate::config::ExecutorConfig;
use crate::error::{Error, Result};

/// Label with the workflow's name.
pub const LABEL_WORKFLOW: &str = "workflows.argoproj.io/workflow";
/// Label saying whether every output has been reported.
pub const LABEL_REPORT_OUTPUTS_COMPLETED: &str = "workflows.argoproj.io/report-outputs-completed";

/// How many times opening the store is tried before giving up.
const ATTEMPTS: u32 = 12;

/// How long a report keeps retrying a busy or conflicting store before the executor gives up.
/// A node whose report is lost fails, so this is generous: behind a controller committing a
/// 10,000-node workflow, each attempt can wait out the whole SQLite busy timeout and lose again.
pub const REPORT_PATIENCE: Duration = Duration::from_secs(600);

/// The longest pause between two attempts of a report.
const MAX_REPORT_DELAY: Duration = Duration::from_secs(2);

/// Opens the store named by ARGO_STORE: `sqlite:///absolute/path.db` (or `sqlite://path`), or,
/// when unset, the SQLite file the CLI and controller use by default.
pub async fn open_store(url: Option<&str>) -> Result<Arc<dyn ResourceStore>> {
    let config = match url {
        Some(url) => {
            let path = url.strip_prefix("sqlite://").ok_or_else(|| Error::Config {
                name: "ARGO_STORE",
                reason: format!("{url:?}: only sqlite:///path/to/file.db is supported"),
            })?;
            if path.is_empty() {
                return Err(Error::Config {
                    name: "ARGO_STORE",
                    reason: "the sqlite URL names no file".to_owned(),
                });
            }
            SqliteConfig::file(path)
        }
        None => SqliteConfig::default_file().ok_or_else(|| Error::Config {
            name: "ARGO_STORE",
            reason: "unset, and neither XDG_DATA_HOME nor HOME is set".to_owned(),
        })?,
    };
    let config = config.poll_interval(None);
    // Executors starting together on a fresh file race to apply the store's migrations; the
    // losers fail and find the schema in place when they try again.
    let mut attempt = 0;
    loop {
        attempt += 1;
        match SqliteStore::open(&config, Environment::system()).await {
            Ok(store) => return Ok(Arc::new(store)),
            Err(error) if attempt < ATTEMPTS && retryable(&error) => {
                tracing::warn!(attempt, %error, "retrying opening the store");
                tokio::time::sleep(Duration::from_millis(50 * u64::from(attempt))).await;
            }
            Err(error) => return Err(error.into()),
        }
    }
}

/// Writes one node's task result.
#[derive(Clone)]
pub struct Reporter {
    store: Arc<dyn ResourceStore>,
    kind: ResourceKind,
    metadata: ObjectMeta,
    /// The resourceVersion and uid of this reporter's last write, so the next report replaces
    /// it without reading it first (shared by clones).
    written: Arc<Mutex<Option<(String, String)>>>,
}

impl std::fmt::Debug for Reporter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reporter")
            .field("metadata", &self.metadata)
            .finish_non_exhaustive()
    }
}

impl Reporter {
    /// A reporter for the node and pod `config` describes.
    pub fn new(store: Arc<dyn ResourceStore>, config: &ExecutorConfig) -> Self {
        let owner = (!config.pod_uid.is_empty()).then(|| OwnerReference {
            api_version: "v1".to_owned(),
            kind: "Pod".to_owned(),
            name: config.pod_name.clone(),
            uid: config.pod_uid.clone(),
            ..OwnerReference::default()
        });
        let metadata = ObjectMeta {
            name: Some(config.node_id.clone()),
            namespace: Some(config.namespace.clone()),
            owner_references: owner.map(|o| vec![o]),
            ..ObjectMeta::default()
        };
        Reporter {
            store,
            kind: ResourceKind::of::<WorkflowTaskResult>(),
            metadata,
            written: Arc::default(),
        }
        .with_workflow_label(&config.workflow_name)
    }

    fn with_workflow_label(mut self, workflow: &str) -> Self {
        self.metadata
            .labels
            .get_or_insert_default()
            .insert(LABEL_WORKFLOW.to_owned(), workflow.to_owned());
        self
    }

    /// Creates or replaces the task result with `result`, labelled completed or not.
    pub async fn report(&self, result: &NodeResult, completed: bool) -> Result<()> {
        let mut metadata = self.metadata.clone();
        metadata.labels.get_or_insert_default().insert(
            LABEL_REPORT_OUTPUTS_COMPLETED.to_owned(),
            completed.to_string(),
        );
        let task_result = WorkflowTaskResult {
            metadata,
            result: result.clone(),
        };
        let started = tokio::time::Instant::now();
        let mut delay = Duration::from_millis(50);
        let mut attempt = 0;
        loop {
            attempt += 1;
            match self.upsert(&task_result).await {
                Ok(()) => return Ok(()),
                Err(error) if retryable(&error) && started.elapsed() < REPORT_PATIENCE => {
                    tracing::warn!(attempt, %error, "retrying the task result report");
                    tokio::time::sleep(delay).await;
                    delay = (delay * 2).min(MAX_REPORT_DELAY);
                }
                Err(error) => return Err(error.into()),
            }
        }
    }

    async fn upsert(&self, task_result: &WorkflowTaskResult) -> argo_store::Result<()> {
        let object = Object::from_resource(task_result)?;
        // The first try reads nothing. This reporter's own last write is what is stored, unless
        // somebody else wrote since: then the update conflicts (or finds nothing). Before its
        // first write nothing is stored, unless an earlier run of this node (a restarted
        // `wait`) left a result: then the create finds it. Either way it is read and replaced.
        let first_try = match self.last_written() {
            Some((version, uid)) => {
                let mut replacement = object.clone();
                replacement.metadata.resource_version = Some(version);
                replacement.metadata.uid = Some(uid);
                self.store.update(&self.kind, replacement).await
            }
            None => self.store.create(&self.kind, object.clone()).await,
        };
        match first_try {
            Ok(stored) => {
                self.remember(&stored);
                return Ok(());
            }
            Err(error)
                if error.is_conflict() || error.is_not_found() || error.is_already_exists() => {}
            Err(error) => return Err(error),
        }
        let namespace = task_result.metadata.namespace.as_deref();
        let name = task_result.metadata.name.as_deref().unwrap_or_default();
        let stored = match self.store.get(&self.kind, namespace, name).await {
            Ok(existing) => {
                let mut replacement = object;
                replacement.metadata.resource_version =
                    existing.resource_version().map(str::to_owned);
                replacement.metadata.uid = existing.uid().map(str::to_owned);
                self.store.update(&self.kind, replacement).await?
            }
            Err(error) if error.is_not_found() => self.store.create(&self.kind, object).await?,
            Err(error) => return Err(error),
        };
        self.remember(&stored);
        Ok(())
    }

    fn last_written(&self) -> Option<(String, String)> {
        self.written
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn remember(&self, stored: &Object) {
        let written = stored
            .resource_version()
            .zip(stored.uid())
            .map(|(version, uid)| (version.to_owned(), uid.to_owned()));
        *self.written.lock().unwrap_or_else(PoisonError::into_inner) = written;
    }
}

fn retryable(error: &argo_store::Error) -> bool {
    error.is_conflict()
        || error.is_already_exists()
        || matches!(error, argo_store::Error::Backend { .. })
}

#[cfg(test)]
#[path = "report_tests.rs"]
mod tests;
