//! [`LocalRuntime`]: the [`PodRuntime`] that runs pods as local processes, each driven by a
//! supervisor thread of this process while the containers run in detached processes, with all
//! state under one root directory so that a new `LocalRuntime` on the same root (after the
//! caller restarted) finds every pod again.
//!
//! This module adapts the synchronous operations of `pods` to the async trait and watches the
//! state directory for changes; it never runs containers itself.

mod admission;
mod finished;
mod names;
mod pods;
mod watch;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use futures::stream::BoxStream;
use k8s_openapi::api::core::v1::{Pod, PodStatus};
use nix::sys::signal::Signal;
use tokio::sync::broadcast;

use crate::error::{Error, Result};
use crate::image::ImageShims;
use crate::in_process::{InProcess, InProcessProgram};
use crate::launch::{ConfigLookup, NoConfigLookup, Resolver};
use crate::layout::{PodDir, read_json};
use crate::logs::{self, LogLine, LogOptions};
use crate::process_group::try_lock;
use crate::record::PodRecord;
use crate::runtime::{PodEvent, PodRuntime};
use crate::sandbox::Sandbox;
use crate::zygote::{ZygoteProgram, ZygoteSlot};

/// The default of [`LocalRuntimeConfig::max_running_pods`]: a kubelet's default `maxPods`.
pub const DEFAULT_MAX_RUNNING_PODS: usize = 110;

/// Settings of a [`LocalRuntime`].
#[derive(Clone, Debug)]
pub struct LocalRuntimeConfig {
    /// Where pods' state, logs and overlay directories live. Must not be on overlayfs.
    pub root: PathBuf,
    pub sandbox: Sandbox,
    /// The program run as `shim` and `init` (see [`crate::supervisor`]).
    pub supervisor_program: PathBuf,
    pub images: ImageShims,
    /// How often the state directory is scanned for [`PodRuntime::events`].
    pub poll_interval: Duration,
    /// At most this many unfinished pods are driven at once, like a node's `maxPods`; the
    /// others stay `Pending` and start in turn as running ones end. `None`: no limit.
    pub max_running_pods: Option<usize>,
    /// What starts containers' first processes (see [`crate::zygote`]).
    pub zygote: ZygoteMode,
}

/// What starts containers' first processes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum ZygoteMode {
    /// A zygote running the supervisor program's `zygote` subcommand.
    #[default]
    Supervisor,
    /// A zygote running this program, which calls [`crate::zygote::serve`].
    Program(ZygoteProgram),
    /// No zygote: each container's `init` or shim is a new run of the supervisor program.
    Off,
}

impl LocalRuntimeConfig {
    /// Defaults: sandboxed, with `argo-pod-supervisor` and `argosay` looked up beside the
    /// running program (or one directory up, for test binaries under `deps/`).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        let argosay = sibling_program("argosay");
        Self {
            root: root.into(),
            sandbox: Sandbox::Namespaces,
            supervisor_program: sibling_program("argo-pod-supervisor"),
            images: ImageShims::with_argosay(&argosay),
            poll_interval: Duration::from_millis(200),
            max_running_pods: Some(DEFAULT_MAX_RUNNING_PODS),
            zygote: ZygoteMode::default(),
        }
    }
}

/// The host directory behind an `emptyDir` (or config) volume of a pod of the runtime whose
/// state root is `root`: created with the pod, before any of its containers starts, and removed
/// with it. For callers that prepare a pod's spec without holding the runtime.
pub fn volume_dir(root: &Path, namespace: &str, name: &str, volume: &str) -> PathBuf {
    PodDir::new(root.join("pods").join(namespace).join(name)).volume(volume)
}

fn sibling_program(name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap_or_default();
    let dir = exe.parent().unwrap_or(Path::new("."));
    let beside = dir.join(name);
    if !beside.exists()
        && let Some(parent) = dir.parent()
        && parent.join(name).exists()
    {
        return parent.join(name);
    }
    beside
}

/// The local-process pod runtime. Cheap to clone.
#[derive(Clone)]
pub struct LocalRuntime {
    inner: Arc<Inner>,
}

struct Inner {
    config: LocalRuntimeConfig,
    lookup: Arc<dyn ConfigLookup>,
    events: broadcast::Sender<PodEvent>,
    watching: AtomicBool,
    /// Finished pods' records, so observing them again costs no parse.
    finished: finished::FinishedRecords,
    /// The pods of each namespace, for finding one workflow's pods.
    names: names::PodNames,
    /// Which pods may be driven now.
    admission: admission::Admission,
    in_process: Arc<InProcess>,
    zygote: Option<Arc<ZygoteSlot>>,
    /// Cleared when this runtime is dropped: its supervisor threads then let go of their pods
    /// (the containers run on) for the next runtime on the same root to adopt.
    alive: Arc<AtomicBool>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        self.alive.store(false, Ordering::Release);
    }
}

impl std::fmt::Debug for LocalRuntime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalRuntime")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

impl LocalRuntime {
    /// Opens (creating) the state directory. In sandboxed mode, first checks in a child process
    /// that namespaces and overlay mounts can be created, and fails with
    /// [`Error::SandboxUnavailable`] naming what is missing when they cannot.
    pub fn new(config: LocalRuntimeConfig) -> Result<Self> {
        let pods = config.root.join("pods");
        std::fs::create_dir_all(&pods).map_err(Error::io("create", &pods))?;
        if !config.supervisor_program.is_file() {
            return Err(Error::SupervisorSpawn {
                program: config.supervisor_program.clone(),
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such program"),
            });
        }
        if config.sandbox == Sandbox::Namespaces {
            probe_sandbox(&config)?;
        }
        Ok(Self {
            inner: Arc::new(Inner::new(
                config,
                Arc::new(NoConfigLookup),
                InProcess::default(),
            )),
        })
    }

    /// Uses `lookup` for the config maps and secrets pods refer to. Call it before the runtime
    /// starts pods: it builds a new runtime, and the old one's supervisors let go of theirs.
    #[must_use]
    pub fn with_config_lookup(self, lookup: Arc<dyn ConfigLookup>) -> Self {
        let in_process = self.inner.in_process.registered();
        Self {
            inner: Arc::new(Inner::new(self.inner.config.clone(), lookup, in_process)),
        }
    }

    /// Runs `program` on a thread of this process for each container that runs on the host
    /// (the host annotation, or the unsandboxed mode), mounts no volume, and whose command
    /// starts with `command` (the resolved program path, then arguments). See
    /// [`InProcessProgram`] for what the program must allow. Like
    /// [`LocalRuntime::with_config_lookup`], call it before the runtime starts pods.
    #[must_use]
    pub fn with_in_process_program(
        self,
        command: Vec<String>,
        program: Arc<dyn InProcessProgram>,
    ) -> Self {
        let in_process = self.inner.in_process.registered().with(command, program);
        Self {
            inner: Arc::new(Inner::new(
                self.inner.config.clone(),
                Arc::clone(&self.inner.lookup),
                in_process,
            )),
        }
    }

    pub fn config(&self) -> &LocalRuntimeConfig {
        &self.inner.config
    }

    /// Where the files a container wrote to its own root filesystem land (sandboxed mode): the
    /// upper directory of its overlay. Kept until the pod is deleted.
    pub fn container_writes(&self, namespace: &str, name: &str, container: &str) -> PathBuf {
        self.inner
            .pod_dir(namespace, name)
            .container(container)
            .upper()
    }

    /// The host directory behind an `emptyDir` (or config) volume of a pod.
    pub fn volume_dir(&self, namespace: &str, name: &str, volume: &str) -> PathBuf {
        volume_dir(&self.inner.config.root, namespace, name, volume)
    }

    /// The pod as created, with its current status: what `kubectl get pod -o yaml` shows.
    pub async fn get(&self, namespace: &str, name: &str) -> Result<Option<Pod>> {
        let Some(status) = self.inspect(namespace, name).await? else {
            return Ok(None);
        };
        let dir = self.inner.pod_dir(namespace, name);
        let pod: Option<Pod> = blocking(move || read_json(&dir.pod_file())).await?;
        Ok(pod.map(|pod| Pod {
            status: Some(status),
            ..pod
        }))
    }

    /// With a limit on running pods, somebody must notice pods ending to let waiting ones in,
    /// even when nobody asked for [`PodRuntime::events`]: the watcher does (it reads every pod
    /// a supervisor announces, and scans them all at the poll interval).
    fn watch_for_admission(&self) {
        if self.inner.config.max_running_pods.is_some() {
            self.start_watching();
        }
    }

    fn start_watching(&self) {
        if self.inner.watching.swap(true, Ordering::SeqCst) {
            return;
        }
        let Ok(handle) = tokio::runtime::Handle::try_current() else {
            self.inner.watching.store(false, Ordering::SeqCst);
            tracing::warn!("no tokio runtime: pod events are not delivered");
            return;
        };
        handle.spawn(watch::watch(Arc::downgrade(&self.inner)));
    }
}

fn probe_sandbox(config: &LocalRuntimeConfig) -> Result<()> {
    let scratch = config.root.join(format!(".probe-{}", std::process::id()));
    let output = std::process::Command::new(&config.supervisor_program)
        .arg("probe")
        .arg(&scratch)
        .output()
        .map_err(|source| Error::SupervisorSpawn {
            program: config.supervisor_program.clone(),
            source,
        });
    let _ = std::fs::remove_dir_all(&scratch);
    let output = output?;
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let reason = stderr
        .trim()
        .trim_start_matches("argo-pod-supervisor: ")
        .to_string();
    Err(Error::SandboxUnavailable { reason })
}

impl Inner {
    fn new(
        config: LocalRuntimeConfig,
        lookup: Arc<dyn ConfigLookup>,
        in_process: InProcess,
    ) -> Self {
        let (events, _) = broadcast::channel(1024);
        let zygote = match &config.zygote {
            ZygoteMode::Supervisor => Some(ZygoteProgram {
                program: config.supervisor_program.clone(),
                args: vec!["zygote".into()],
            }),
            ZygoteMode::Program(program) => Some(program.clone()),
            ZygoteMode::Off => None,
        }
        .map(|program| Arc::new(ZygoteSlot::new(program, &config.root)));
        Inner {
            zygote,
            admission: admission::Admission::new(config.max_running_pods),
            config,
            lookup,
            events,
            watching: AtomicBool::new(false),
            finished: finished::FinishedRecords::new(finished::CAPACITY),
            names: names::PodNames::default(),
            alive: Arc::new(AtomicBool::new(true)),
            in_process: Arc::new(in_process),
        }
    }

    /// What a supervisor started by this runtime needs of it.
    fn supervisor_runtime(&self) -> crate::supervisor::Runtime {
        crate::supervisor::Runtime {
            program: self.config.supervisor_program.clone(),
            alive: Arc::clone(&self.alive),
            in_process: Arc::clone(&self.in_process),
            zygote: self.zygote.clone(),
        }
    }

    fn pods_root(&self) -> PathBuf {
        self.config.root.join("pods")
    }
    fn pod_dir(&self, namespace: &str, name: &str) -> PodDir {
        PodDir::new(self.pods_root().join(namespace).join(name))
    }
    /// The pod's record. A pod that has not ended and that nobody drives gets a supervisor when
    /// admission allows (it waits otherwise); a pod that ended or vanished frees its slot.
    fn inspect_record(&self, namespace: &str, name: &str) -> Result<Option<PodRecord>> {
        pods::check_key(namespace, name)?;
        let dir = self.pod_dir(namespace, name);
        let Some(record) = self.finished.read(&dir.status_file())? else {
            self.ended(namespace, name)?;
            return Ok(None);
        };
        if record.phase.is_terminal() {
            self.ended(namespace, name)?;
        } else if !self.waits_in_line(namespace, name) && pods::wants_driver(&dir, &record) {
            self.drive(namespace, name, &dir)?;
        }
        Ok(Some(record))
    }

    /// Whether the pod waits for admission: it starts when a slot frees (see `ended`), so
    /// looking at it before costs every scan file checks and a lock attempt per waiting pod.
    fn waits_in_line(&self, namespace: &str, name: &str) -> bool {
        self.admission
            .is_waiting(&(namespace.to_string(), name.to_string()))
    }

    /// Starts the supervisor of a pod that wants one, if nobody drives it and admission allows.
    fn drive(&self, namespace: &str, name: &str, dir: &PodDir) -> Result<()> {
        let key = (namespace.to_string(), name.to_string());
        let Some(lock) =
            try_lock(&dir.supervisor_lock()).map_err(Error::io("lock", dir.supervisor_lock()))?
        else {
            self.admission.driven(&key);
            return Ok(());
        };
        if self.admission.admit(&key) {
            tracing::debug!(pod = %dir.path.display(), "starting the supervisor of an unfinished pod");
            pods::start_supervisor(dir, &lock, self.supervisor_runtime())?;
        }
        Ok(())
    }

    /// A pod ended or vanished: its slot goes to the pods waiting longest, which start now.
    fn ended(&self, namespace: &str, name: &str) -> Result<()> {
        let mut admitted: std::collections::VecDeque<_> = self
            .admission
            .release(&(namespace.to_string(), name.to_string()))
            .into();
        while let Some((namespace, name)) = admitted.pop_front() {
            let dir = self.pod_dir(&namespace, &name);
            match read_json::<PodRecord>(&dir.status_file())? {
                // It holds its slot now, so `drive` starts it.
                Some(record) if pods::wants_driver(&dir, &record) => {
                    self.drive(&namespace, &name, &dir)?;
                }
                // Gone or ended while it waited: the slot passes on.
                _ => admitted.extend(self.admission.release(&(namespace, name))),
            }
        }
        Ok(())
    }

    /// The pods of `namespace` named `owner` or `owner-...`, with their records.
    fn owned_records(&self, namespace: &str, owner: &str) -> Result<Vec<PodEvent>> {
        let names = self.names.owned(&self.pods_root(), namespace, owner)?;
        self.records(names.into_iter().map(|name| (namespace.to_string(), name)))
    }

    /// [`Self::owned_records`] in batches of up to [`OWNED_BATCH`] pods, each handed to `send`
    /// as soon as it is read; stops early (without error) when `send` returns false.
    fn owned_batches(
        &self,
        namespace: &str,
        owner: &str,
        mut send: impl FnMut(Vec<PodEvent>) -> bool,
    ) -> Result<()> {
        let names = self.names.owned(&self.pods_root(), namespace, owner)?;
        for chunk in names.chunks(OWNED_BATCH) {
            let keys = chunk
                .iter()
                .map(|name| (namespace.to_string(), name.clone()));
            if !send(self.records(keys)?) {
                break;
            }
        }
        Ok(())
    }

    /// The pods named by `keys` (namespace, name) that exist, with their records.
    fn records(&self, keys: impl IntoIterator<Item = (String, String)>) -> Result<Vec<PodEvent>> {
        let mut pods = Vec::new();
        for (namespace, name) in keys {
            if let Some(record) = self.inspect_record(&namespace, &name)? {
                pods.push(PodEvent {
                    namespace,
                    name,
                    status: Some(record.to_pod_status()),
                });
            }
        }
        Ok(pods)
    }
}

/// How many pods a batch of [`PodRuntime::list_owned_batches`] holds.
const OWNED_BATCH: usize = 128;

/// What the blocking listing behind [`PodRuntime::list_owned_batches`] sends its reader.
enum Batch {
    Pods(Vec<PodEvent>),
    Done,
    Failed(Error),
}

async fn blocking<T: Send + 'static>(
    task: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(task)
        .await
        .map_err(|e| Error::Task(e.to_string()))?
}

#[async_trait]
impl PodRuntime for LocalRuntime {
    async fn create(&self, pod: &Pod) -> Result<PodStatus> {
        self.watch_for_admission();
        let (namespace, name) = pods::pod_key(pod)?;
        if let Some(existing) = self.inspect(&namespace, &name).await? {
            self.inner.names.added(&namespace, &name);
            return Ok(existing);
        }
        let inner = &self.inner;
        let dir = inner.pod_dir(&namespace, &name);
        let resolver = Resolver {
            dir: &dir,
            sandbox: inner.config.sandbox,
            images: &inner.config.images,
            lookup: inner.lookup.as_ref(),
            default_path: std::env::var("PATH").unwrap_or_else(|_| {
                "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into()
            }),
        };
        let resolved = resolver.resolve(pod).await?;
        let created = blocking({
            let (inner, pod) = (Arc::clone(inner), pod.clone());
            let (namespace, name) = (namespace.clone(), name.clone());
            move || {
                // A pod of this name that finished before is gone now (only its deletion frees
                // the name), so its final record must not stand for the new one.
                inner
                    .finished
                    .forget(&inner.pod_dir(&namespace, &name).status_file());
                let created = pods::create(pods::Creation {
                    pods_root: &inner.pods_root(),
                    pod: &pod,
                    resolved,
                })?;
                let key = (namespace, name);
                if let Some((_, Some(lock))) = &created
                    && inner.admission.admit(&key)
                {
                    let dir = inner.pod_dir(&key.0, &key.1);
                    pods::start_supervisor(&dir, lock, inner.supervisor_runtime())?;
                }
                Ok(created.map(|(record, _)| record))
            }
        })
        .await?;
        inner.names.added(&namespace, &name);
        match created {
            Some(record) => {
                let status = record.to_pod_status();
                let _ = inner.events.send(PodEvent {
                    namespace,
                    name,
                    status: Some(status.clone()),
                });
                Ok(status)
            }
            None => self
                .inspect(&namespace, &name)
                .await?
                .ok_or(Error::PodNotFound { namespace, name }),
        }
    }

    async fn inspect(&self, namespace: &str, name: &str) -> Result<Option<PodStatus>> {
        self.watch_for_admission();
        let (inner, namespace, name) = (
            Arc::clone(&self.inner),
            namespace.to_string(),
            name.to_string(),
        );
        let record = blocking(move || inner.inspect_record(&namespace, &name)).await?;
        Ok(record.map(|r| r.to_pod_status()))
    }

    async fn list(&self, namespace: Option<&str>) -> Result<Vec<PodEvent>> {
        self.watch_for_admission();
        let (inner, namespace) = (Arc::clone(&self.inner), namespace.map(str::to_string));
        blocking(move || inner.records(pods::list_keys(&inner.pods_root(), namespace.as_deref())?))
            .await
    }

    async fn list_owned(&self, namespace: &str, owner: &str) -> Result<Vec<PodEvent>> {
        self.watch_for_admission();
        let (inner, namespace, owner) = (
            Arc::clone(&self.inner),
            namespace.to_string(),
            owner.to_string(),
        );
        blocking(move || inner.owned_records(&namespace, &owner)).await
    }

    async fn list_owned_batches(
        &self,
        namespace: &str,
        owner: &str,
    ) -> Result<BoxStream<'static, Result<Vec<PodEvent>>>> {
        self.watch_for_admission();
        let (inner, namespace, owner) = (
            Arc::clone(&self.inner),
            namespace.to_string(),
            owner.to_string(),
        );
        // Two batches in flight at most: the listing keeps pace with its reader instead of
        // reading every pod ahead of it.
        let (sender, receiver) = tokio::sync::mpsc::channel(2);
        tokio::task::spawn_blocking(move || {
            let sent = inner.owned_batches(&namespace, &owner, |batch| {
                sender.blocking_send(Batch::Pods(batch)).is_ok()
            });
            let last = match sent {
                Ok(()) => Batch::Done,
                Err(error) => Batch::Failed(error),
            };
            let _ = sender.blocking_send(last);
        });
        Ok(Box::pin(futures::stream::unfold(
            Some(receiver),
            |receiver| async move {
                let mut receiver = receiver?;
                match receiver.recv().await {
                    Some(Batch::Pods(pods)) => Some((Ok(pods), Some(receiver))),
                    Some(Batch::Done) => None,
                    Some(Batch::Failed(error)) => Some((Err(error), None)),
                    None => Some((
                        Err(Error::Task("the pod listing stopped before its end".into())),
                        None,
                    )),
                }
            },
        )))
    }

    async fn signal(
        &self,
        namespace: &str,
        name: &str,
        container: Option<&str>,
        signal: Signal,
    ) -> Result<()> {
        let (inner, namespace, name) = (
            Arc::clone(&self.inner),
            namespace.to_string(),
            name.to_string(),
        );
        let container = container.map(str::to_string);
        blocking(move || {
            let record =
                inner
                    .inspect_record(&namespace, &name)?
                    .ok_or_else(|| Error::PodNotFound {
                        namespace: namespace.clone(),
                        name: name.clone(),
                    })?;
            if let Some(wanted) = &container
                && !record.all_containers().any(|c| &c.name == wanted)
            {
                return Err(Error::ContainerNotFound {
                    namespace,
                    name,
                    container: wanted.clone(),
                });
            }
            pods::signal(
                &inner.pod_dir(&namespace, &name),
                &record,
                container.as_deref(),
                signal,
                &inner.in_process,
            )
        })
        .await
    }

    async fn delete(&self, namespace: &str, name: &str, grace: Duration) -> Result<()> {
        pods::check_key(namespace, name)?;
        let (inner, namespace, name) = (
            Arc::clone(&self.inner),
            namespace.to_string(),
            name.to_string(),
        );
        let event = PodEvent {
            namespace: namespace.clone(),
            name: name.clone(),
            status: None,
        };
        let deleted = blocking(move || {
            let dir = inner.pod_dir(&namespace, &name);
            if !dir.path.exists() {
                return Ok(false);
            }
            let record = read_json::<PodRecord>(&dir.status_file())?;
            pods::delete(
                &dir,
                record.as_ref(),
                &inner.config.root.join("trash"),
                grace,
                &inner.in_process,
            )?;
            // Once the directory is gone: the pod's final record may be written, and remembered,
            // while it stops.
            inner.finished.forget(&dir.status_file());
            inner.ended(&namespace, &name)?;
            Ok(true)
        })
        .await?;
        if deleted {
            self.inner.names.removed(&event.namespace, &event.name);
            let _ = self.inner.events.send(event);
        }
        Ok(())
    }

    async fn logs(
        &self,
        namespace: &str,
        name: &str,
        container: &str,
        options: &LogOptions,
    ) -> Result<BoxStream<'static, Result<LogLine>>> {
        pods::check_key(namespace, name)?;
        let dir = self.inner.pod_dir(namespace, name);
        let Some(record) = read_json::<PodRecord>(&dir.status_file())? else {
            return Err(Error::PodNotFound {
                namespace: namespace.into(),
                name: name.into(),
            });
        };
        if !record.all_containers().any(|c| c.name == container) {
            return Err(Error::ContainerNotFound {
                namespace: namespace.into(),
                name: name.into(),
                container: container.into(),
            });
        }
        let cdir = dir.container(container);
        let status_file = dir.status_file();
        let exit_file = cdir.exit();
        let finished = Box::new(move || {
            exit_file.exists()
                || read_json::<PodRecord>(&status_file)
                    .map_or(true, |r| r.is_none_or(|r| r.phase.is_terminal()))
        });
        logs::stream(cdir.log(), options, finished)
    }

    fn events(&self) -> broadcast::Receiver<PodEvent> {
        let receiver = self.inner.events.subscribe();
        self.start_watching();
        receiver
    }
}
