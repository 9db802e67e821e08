//! The controller: watches Workflows, task results and pod events, queues workflow keys, and
//! has a bounded pool of workers reconcile them one key at a time:
//! observe -> `argo_engine::reconcile_cached` -> execute effects -> pod GC -> write the workflow with
//! its resourceVersion as precondition (a conflict requeues) -> timers for `requeue_after`
//! and TTL. Effects run before the status write, and every effect is idempotent, so a crash
//! anywhere is repaired by reconciling again from the last written status. The one exception
//! is a pass that takes a lock: its status (the new holder) is written before its pods are
//! created, so a restarted controller gives the lock back to the same holder (see
//! [`crate::locks::hold_first`]); a pod creation lost after that write is asked for again by
//! the engine, since every reconcile reports a complete listing of the workflow's pods. The
//! watches and timers that queue keys are in `watchers`.
//! Must not: make decisions the engine makes, or keep state that a restart would need (all of
//! it is in the store and the runtime).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use argo_core::{Workflow, WorkflowPhase};
use argo_engine::{EngineConfig, LABEL_COMPLETED};
use argo_store::{Clock, ListParams, Preconditions, SystemClock};

use crate::archive;
use crate::cluster::Cluster;
use crate::config::{ControllerConfig, LoopSettings};
use crate::effects::{self, AsRendered, EffectContext, PodRewriter};
use crate::error::{Error, Result};
use crate::gc;
use crate::locks::LockTable;
use crate::observe;
use crate::own_writes::OwnWrites;
use crate::passes::{PassCounter, PassCounts};
use crate::queue::{WorkQueue, WorkflowKey};
use crate::seen_results::SeenResults;
use crate::spec_caches::SpecCaches;
use crate::ttl;

mod watchers;

/// How soon a workflow held back by controller or namespace parallelism is looked at again.
const ADMISSION_RETRY: Duration = Duration::from_secs(1);
/// How soon a watch is restarted after it failed.
const WATCH_RETRY: Duration = Duration::from_millis(500);

/// The workflow controller. Share it in an `Arc`.
pub struct Controller {
    cluster: Cluster,
    config: ControllerConfig,
    engine: EngineConfig,
    settings: LoopSettings,
    rewriter: Arc<dyn PodRewriter>,
    clock: Arc<dyn Clock>,
    queue: WorkQueue,
    locks: LockTable,
    /// Where completed workflows are archived, when persistence is configured.
    archive: Option<Arc<dyn argo_store::ArchiveStore>>,
    /// Which completed workflows are archived and how long the archive keeps them.
    archive_policy: crate::archive_gc::ArchivePolicy,
    /// Workflows not yet completed: looked at on every resync.
    active: Mutex<BTreeSet<WorkflowKey>>,
    /// Serialises starting workflows so parallelism limits are never overshot.
    admission: tokio::sync::Mutex<()>,
    /// The engine's template facts per running workflow (a shortcut, rebuilt when lost).
    spec_caches: SpecCaches,
    /// This controller's workflow writes, whose watch events queue no pass.
    own_writes: OwnWrites,
    /// The task results each workflow's latest pass read, whose events queue no pass.
    seen_results: SeenResults,
    /// Passes and writes so far.
    passes: PassCounter,
}

impl std::fmt::Debug for Controller {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Controller")
            .field("config", &self.config)
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

/// What one pass over a workflow did.
#[derive(Debug, Clone, PartialEq)]
pub enum Pass {
    /// The workflow no longer exists.
    Gone,
    /// Held back by parallelism; it will be looked at again.
    Postponed,
    /// Reconciled; `requeue_after` as the engine asked.
    Reconciled {
        phase: WorkflowPhase,
        requeue_after: Option<Duration>,
    },
    /// Deleted because its TTL expired.
    Expired,
}

impl Controller {
    pub fn new(cluster: Cluster, config: ControllerConfig, settings: LoopSettings) -> Self {
        let engine = config.engine_config();
        // `from_yaml` refuses a policy that does not parse; a config built in code that has one
        // archives everything and keeps it, and says so.
        let archive_policy = config.archive_policy().unwrap_or_else(|error| {
            tracing::warn!(%error, "archive policy ignored");
            crate::archive_gc::ArchivePolicy::default()
        });
        Controller {
            cluster,
            config,
            engine,
            settings,
            rewriter: Arc::new(AsRendered),
            clock: Arc::new(SystemClock),
            queue: WorkQueue::default(),
            locks: LockTable::default(),
            archive: None,
            archive_policy,
            active: Mutex::new(BTreeSet::new()),
            admission: tokio::sync::Mutex::new(()),
            spec_caches: SpecCaches::default(),
            own_writes: OwnWrites::default(),
            seen_results: SeenResults::default(),
            passes: PassCounter::default(),
        }
    }

    /// Adapts every pod before it is created (see [`crate::local`]).
    #[must_use]
    pub fn with_pod_rewriter(mut self, rewriter: Arc<dyn PodRewriter>) -> Self {
        self.rewriter = rewriter;
        self
    }

    /// Uses `clock` for `now` (tests).
    #[must_use]
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Replaces the engine settings derived from the configuration.
    #[must_use]
    pub fn with_engine_config(mut self, engine: EngineConfig) -> Self {
        self.engine = engine;
        self
    }

    /// Archives completed workflows in `archive` (when the configuration asks for archiving).
    #[must_use]
    pub fn with_archive(mut self, archive: Arc<dyn argo_store::ArchiveStore>) -> Self {
        self.archive = Some(archive);
        self
    }

    pub fn cluster(&self) -> &Cluster {
        &self.cluster
    }

    fn active(&self) -> MutexGuard<'_, BTreeSet<WorkflowKey>> {
        self.active
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Runs until `shutdown` completes: watchers, resync timer and workers.
    pub async fn run(
        self: Arc<Self>,
        shutdown: impl std::future::Future<Output = ()>,
    ) -> Result<()> {
        let mut tasks = tokio::task::JoinSet::new();
        tasks.spawn(self.clone().watch_workflows());
        tasks.spawn(self.clone().watch_task_results());
        tasks.spawn(self.clone().watch_pods());
        tasks.spawn(self.clone().resync());
        if self.archive.is_some() && self.archive_policy.ttl.is_some() {
            tasks.spawn(self.clone().collect_archive());
        }
        for _ in 0..self.settings.workers.max(1) {
            tasks.spawn(self.clone().work());
        }
        tasks.spawn(self.clone().trim_heap());
        shutdown.await;
        self.queue.close();
        tasks.abort_all();
        while tasks.join_next().await.is_some() {}
        Ok(())
    }

    /// Gives the pages freed by passes back to the system, at most once per
    /// [`crate::heap::TRIM_INTERVAL`] and only after passes ran.
    async fn trim_heap(self: Arc<Self>) {
        let mut schedule = crate::heap::TrimSchedule::default();
        let mut ticks = tokio::time::interval(crate::heap::TRIM_INTERVAL);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            if schedule.due(self.passes.snapshot().reconciles) {
                let _ = tokio::task::spawn_blocking(crate::heap::trim).await;
            }
        }
    }

    async fn work(self: Arc<Self>) {
        while let Some(key) = self.queue.next().await {
            match self.process(&key).await {
                Ok(Pass::Reconciled {
                    requeue_after: Some(delay),
                    ..
                }) => self.queue.add_after(key.clone(), delay),
                Ok(Pass::Postponed) => self.queue.add_after(key.clone(), ADMISSION_RETRY),
                Ok(_) => {}
                Err(Error::Store(argo_store::Error::Conflict { .. })) => {
                    tracing::debug!(workflow = %key, "status write conflicted; retrying");
                    self.queue.add_after(key.clone(), Duration::from_millis(20));
                }
                Err(error) => {
                    tracing::warn!(workflow = %key, %error, "reconcile failed; retrying");
                    self.queue
                        .add_after(key.clone(), Duration::from_millis(500));
                }
            }
            self.queue.done(&key);
        }
    }

    /// Takes back every lock hold recorded in the stored workflows, as a (re)started controller
    /// does on its first listing. Public so tests that drive passes restart as `run` does.
    pub async fn restore_locks(&self) -> Result<()> {
        let list = self.cluster.workflows().list(&self.list_params()).await?;
        self.locks.restore(&list.items);
        Ok(())
    }

    /// One pass over the workflow `key`. Public so tests drive the controller step by step.
    pub async fn process(&self, key: &WorkflowKey) -> Result<Pass> {
        let workflow = match self.read(key).await {
            Ok(workflow) => workflow,
            Err(argo_store::Error::NotFound { .. }) => {
                self.active().remove(key);
                self.spec_caches.forget(key);
                self.own_writes.forget(key);
                self.seen_results.forget(key);
                self.locks.forget_workflow(&key.namespace, &key.name);
                for woken in self.locks.take_woken() {
                    self.queue.add(woken);
                }
                return Ok(Pass::Gone);
            }
            Err(error) => return Err(error.into()),
        };
        let completed = workflow
            .metadata
            .labels
            .as_ref()
            .and_then(|l| l.get(LABEL_COMPLETED))
            .is_some_and(|v| v == "true");
        if completed {
            self.active().remove(key);
            return self.expire_if_due(&workflow).await;
        }
        self.active().insert(key.clone());
        if workflow.status.phase.is_unknown() {
            let _admission = self.admission.lock().await;
            if !self.admits(&workflow).await? {
                return Ok(Pass::Postponed);
            }
            return self.reconcile(workflow).await;
        }
        self.reconcile(workflow).await
    }

    /// The workflow `key` as stored: the copy this controller left, when it is what is stored
    /// (see `SpecCaches::left_at`), else converted from the stored object.
    async fn read(&self, key: &WorkflowKey) -> argo_store::Result<Workflow> {
        let workflows = self.cluster.workflows();
        let stored = self
            .cluster
            .store
            .get_shared(workflows.kind(), Some(&key.namespace), &key.name)
            .await?;
        match self.spec_caches.left_at(key, stored.resource_version()) {
            Some(left) => Ok(left),
            None => stored.to_resource(),
        }
    }

    /// Whether controller and namespace parallelism leave room to start `workflow`.
    async fn admits(&self, workflow: &Workflow) -> Result<bool> {
        let (global, per_namespace) = (self.config.parallelism, self.config.namespace_parallelism);
        if global == 0 && per_namespace == 0 {
            return Ok(true);
        }
        let all = self
            .cluster
            .workflows()
            .list(&ListParams::default())
            .await?;
        let running: Vec<&Workflow> = all
            .items
            .iter()
            .filter(|w| {
                matches!(
                    w.status.phase,
                    WorkflowPhase::Running | WorkflowPhase::Pending
                )
            })
            .collect();
        if global > 0 && running.len() >= global as usize {
            return Ok(false);
        }
        let in_namespace = running
            .iter()
            .filter(|w| w.namespace() == workflow.namespace())
            .count();
        Ok(per_namespace == 0 || in_namespace < per_namespace as usize)
    }

    async fn reconcile(&self, workflow: Workflow) -> Result<Pass> {
        // A retried workflow first loses the old pods of its reset nodes (see `gc`).
        let workflow = match gc::clear_retry_leftovers(&self.cluster, workflow).await? {
            gc::RetryCleanup::Ready(workflow) => *workflow,
            gc::RetryCleanup::Waiting { phase } => {
                return Ok(Pass::Reconciled {
                    phase,
                    requeue_after: Some(gc::LEFTOVERS_RECHECK),
                });
            }
        };
        let now = self.clock.now();
        let (mut observed, results_revision) = observe::observe(&self.cluster, &workflow).await?;
        self.seen_results
            .read_at(&WorkflowKey::of(&workflow), &results_revision);
        observed.locks = self.locks.held_by(workflow.namespace(), workflow.name());
        observed.lock_status = self.locks.status_for(workflow.namespace(), workflow.name());
        let mut cache = self.spec_caches.take(&workflow);
        let argo_engine::Reconciled {
            status,
            labels,
            effects: planned,
            requeue_after,
        } = argo_engine::reconcile_cached(
            &workflow,
            workflow.status.clone(),
            &observed,
            now,
            &self.engine,
            &mut cache,
        );
        let context = EffectContext {
            cluster: &self.cluster,
            workflow: &workflow,
            now,
            rewriter: self.rewriter.as_ref(),
            locks: &self.locks,
        };
        let archive_requested = planned
            .iter()
            .any(|effect| matches!(effect, argo_engine::Effect::Archive));
        let (planned, after_write) = crate::locks::hold_first(&workflow.status, &status, planned);
        let executed = effects::execute(&context, planned).await;
        for woken in self.locks.take_woken() {
            self.queue.add(woken);
        }
        executed?;
        // What `Reconciled::apply_to` gives, built by moving the workflow rather than copying
        // it; only its status and metadata can differ from what was read.
        let metadata = workflow.metadata.clone();
        let mut next = workflow;
        let status_changed = next.status != status;
        next.status = status;
        next.metadata.labels = Some(labels.into_iter().collect());
        if let Some(archive) = &self.archive {
            archive::archive_under_policy(
                archive.as_ref(),
                &self.archive_policy,
                archive_requested,
                &mut next,
            )
            .await?;
        }
        for pod in gc::collectable_pods(&next) {
            if observed.pods.contains_key(&pod) {
                self.cluster
                    .runtime
                    .delete(next.namespace(), &pod, Duration::from_secs(1))
                    .await?;
            }
        }
        let wrote = status_changed || next.metadata != metadata;
        self.passes.reconciled(wrote);
        let mut stored = next;
        if wrote {
            self.write(&mut stored).await?;
        }
        if !after_write.is_empty() {
            let context = EffectContext {
                cluster: &self.cluster,
                workflow: &stored,
                now,
                rewriter: self.rewriter.as_ref(),
                locks: &self.locks,
            };
            // On failure the spec cache is dropped with this pass, so the next one walks the
            // whole workflow and asks again for the pods not created.
            effects::execute(&context, after_write).await?;
        }
        let phase = stored.status.phase.clone();
        if phase.is_completed() {
            // Not reconciled again: its spec cache, taken out above, is dropped.
            self.active().remove(&WorkflowKey::of(&stored));
            self.seen_results.forget(&WorkflowKey::of(&stored));
            if let Some(left) = ttl::time_to_deletion(&stored, now) {
                self.queue
                    .add_after(WorkflowKey::of(&stored), positive(left));
            }
        } else {
            self.spec_caches.keep(stored, cache);
        }
        Ok(Pass::Reconciled {
            phase,
            requeue_after: requeue_after.map(positive),
        })
    }

    /// Writes `next` back, taking in the stored metadata. Its own watch event queues no
    /// further pass (see [`OwnWrites`]); events of other writes that arrive meanwhile still do.
    async fn write(&self, next: &mut Workflow) -> Result<()> {
        let key = WorkflowKey::of(next);
        self.own_writes.begin(&key);
        let written = self.cluster.workflows().update_in_place(next).await;
        let revision = written
            .as_ref()
            .ok()
            .and(next.metadata.resource_version.as_deref());
        if self.own_writes.settle(&key, revision) {
            self.queue.add(key);
        }
        Ok(written?)
    }

    async fn expire_if_due(&self, workflow: &Workflow) -> Result<Pass> {
        let now = self.clock.now();
        let Some(left) = ttl::time_to_deletion(workflow, now) else {
            return Ok(Pass::Reconciled {
                phase: workflow.status.phase.clone(),
                requeue_after: None,
            });
        };
        if left.is_positive() {
            return Ok(Pass::Reconciled {
                phase: workflow.status.phase.clone(),
                requeue_after: Some(positive(left)),
            });
        }
        tracing::info!(
            workflow = workflow.name(),
            "ttl expired; deleting the workflow"
        );
        let pods = self
            .cluster
            .runtime
            .list_owned(workflow.namespace(), workflow.name())
            .await?;
        for pod in &pods {
            self.cluster
                .runtime
                .delete(workflow.namespace(), &pod.name, Duration::from_secs(1))
                .await?;
        }
        match self
            .cluster
            .workflows()
            .delete(
                Some(workflow.namespace()),
                workflow.name(),
                &Preconditions::default(),
            )
            .await
        {
            Ok(_) | Err(argo_store::Error::NotFound { .. }) => Ok(Pass::Expired),
            Err(error) => Err(error.into()),
        }
    }

    /// How many passes reconciled a workflow, and how many of them wrote it, so far.
    pub fn pass_counts(&self) -> PassCounts {
        self.passes.snapshot()
    }

    /// The workflows currently tracked as not completed (for tests and metrics).
    pub fn active_workflows(&self) -> BTreeMap<WorkflowKey, ()> {
        self.active().iter().map(|k| (k.clone(), ())).collect()
    }
}

fn positive(duration: jiff::SignedDuration) -> Duration {
    Duration::try_from(duration)
        .unwrap_or(Duration::ZERO)
        .max(Duration::from_millis(1))
}
