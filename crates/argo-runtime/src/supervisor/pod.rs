//! The pod supervisor: the loop that drives one pod from `Pending` to `Succeeded` or `Failed`.
//! It runs on a thread of the runtime's process and lives no longer than the runtime that
//! started it: when that runtime is gone it lets go of the pod and leaves the containers
//! running, as a crash of the process would.
//!
//! It is the only writer of `status.json` while it holds the pod lock. Each tick it notices
//! containers that ended (their lock is free), starts what may start (init containers
//! one by one, then all main containers), applies the phase rules, checks the deadline and stop
//! requests, and writes the record when it changed. All its state is on disk, so a new supervisor
//! resumes where a killed one stopped; a container is started at most once (the `started`
//! marker is created exclusively before its process exists).

use std::fs::{File, OpenOptions};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender};
use std::time::{Duration, Instant};

use jiff::Timestamp;
use nix::sys::signal::Signal;
use serde::{Deserialize, Serialize};

use crate::in_process::InProcess;
use crate::launch::PodLaunch;
use crate::layout::{PodDir, read_json, write_json_atomic, write_json_replace};
use crate::process_group::{lock_is_free, read_pgid, signal_group, try_lock};
use crate::record::{ContainerPhase, ContainerRecord, ExitReport, Phase, PodRecord};
use crate::supervisor::{container_process, in_process};
use crate::zygote::ZygoteSlot;

const TICK: Duration = Duration::from_millis(50);

/// Written by the runtime to ask the supervisor to stop the pod's containers and exit.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct StopRequest {
    pub(crate) grace_millis: u64,
}

struct Supervisor {
    dir: PodDir,
    launch: PodLaunch,
    record: PodRecord,
    program: PathBuf,
    /// The record as last written.
    saved: PodRecord,
    /// Woken when a container this supervisor started ends, so a container's end is noticed at once
    /// rather than at the next tick.
    exits: (Sender<()>, Receiver<()>),
    /// False once the runtime that started this supervisor is gone.
    alive: Arc<AtomicBool>,
    in_process: Arc<InProcess>,
    zygote: Option<Arc<ZygoteSlot>>,
}

/// What a supervisor gets from the runtime that starts it.
pub(crate) struct Runtime {
    /// The supervisor program, which runs the containers' `init` and `shim` processes.
    pub(crate) program: PathBuf,
    /// False once the runtime is gone.
    pub(crate) alive: Arc<AtomicBool>,
    pub(crate) in_process: Arc<InProcess>,
    /// Starts containers without starting programs, when the runtime has one.
    pub(crate) zygote: Option<Arc<ZygoteSlot>>,
}

/// Drives the pod in `dir` while the runtime lives, holding `_lock` (the pod's supervisor lock).
pub(crate) fn supervise(dir: PodDir, _lock: File, runtime: Runtime) -> Result<(), String> {
    let launch = PodLaunch::read(&dir)?;
    let record: PodRecord = read_json(&dir.status_file())
        .map_err(|e| e.to_string())?
        .ok_or("status.json is missing")?;
    let mut supervisor = Supervisor {
        dir,
        launch,
        saved: record.clone(),
        record,
        program: runtime.program,
        exits: std::sync::mpsc::channel(),
        alive: runtime.alive,
        in_process: runtime.in_process,
        zygote: runtime.zygote,
    };
    supervisor.run()
}

impl Supervisor {
    fn run(&mut self) -> Result<(), String> {
        if self.record.phase.is_terminal() {
            return Ok(());
        }
        self.record.start_time.get_or_insert_with(Timestamp::now);
        self.adopt_started_containers();
        loop {
            if !self.alive.load(Ordering::Acquire) {
                // Nobody to report to: the containers run on and a new runtime adopts them.
                return Ok(());
            }
            self.observe_exits();
            if let Some(stop) = read_json::<StopRequest>(&self.dir.stop_request())
                .ok()
                .flatten()
            {
                self.terminate(Duration::from_millis(stop.grace_millis));
                self.finish_if_running("Terminated", "the pod was deleted");
                break;
            }
            if self.deadline_passed() {
                self.terminate(Duration::from_secs(
                    u64::try_from(self.launch.termination_grace_seconds).unwrap_or(0),
                ));
                self.record.phase = Phase::Failed;
                self.record.reason = Some("DeadlineExceeded".into());
                self.record.message =
                    Some("Pod was active on the node longer than the specified deadline".into());
                break;
            }
            self.advance();
            if self.record.phase.is_terminal() {
                break;
            }
            self.save()?;
            // A tick at most: stop requests and deadlines are checked then.
            let _ = self.exits.1.recv_timeout(TICK);
            while self.exits.1.try_recv().is_ok() {}
        }
        // Links first: whoever sees the final status may rely on the pod having let go of the host.
        self.remove_host_links();
        self.save()
    }

    fn save(&mut self) -> Result<(), String> {
        if self.record == self.saved {
            return Ok(());
        }
        self.record.generation += 1;
        // Only the final record waits for the disk: the ones before it are rebuilt from the
        // containers' durable exit reports by the supervisor that a restart starts.
        let written = if self.record.phase.is_terminal() {
            write_json_atomic(&self.dir.status_file(), &self.record)
        } else {
            write_json_replace(&self.dir.status_file(), &self.record)
        };
        written.map_err(|e| e.to_string())?;
        self.saved = self.record.clone();
        crate::changes::announce(&self.dir.path);
        Ok(())
    }

    fn deadline_passed(&self) -> bool {
        let (Some(seconds), Some(start)) =
            (self.launch.active_deadline_seconds, self.record.start_time)
        else {
            return false;
        };
        Timestamp::now().duration_since(start).as_secs_f64() >= seconds as f64
    }

    /// Containers a previous supervisor started (their marker exists) are running or ended,
    /// except those whose command never ran or died with the process that ran it: no report,
    /// nobody holding the lock, and either run in-process (it died with the supervisor's process)
    /// or never begun (the supervisor died before the container's process started). Those wait
    /// to run again, whether the record says they were waiting or running.
    fn adopt_started_containers(&mut self) {
        let dir = self.dir.clone();
        let (launch, in_process) = (&self.launch, &self.in_process);
        for container in self.record.all_containers_mut() {
            let cdir = dir.container(&container.name);
            let marker = cdir.started_marker();
            let Ok(meta) = std::fs::metadata(&marker) else {
                continue;
            };
            let runs_in_process = launch
                .container(&container.name)
                .is_some_and(|c| in_process.program_for(c, launch.sandbox).is_some());
            let to_run_again = matches!(
                container.phase,
                ContainerPhase::Waiting { .. } | ContainerPhase::Running { .. }
            ) && !cdir.exit().exists()
                && lock_is_free(&cdir.lock())
                && (runs_in_process || !cdir.began_marker().exists());
            if to_run_again && std::fs::remove_file(&marker).is_ok() {
                container.phase = ContainerPhase::Waiting {
                    reason: "ContainerCreating".into(),
                };
                continue;
            }
            if let ContainerPhase::Waiting { .. } = container.phase {
                let started_at = meta
                    .modified()
                    .ok()
                    .and_then(|t| Timestamp::try_from(t).ok())
                    .unwrap_or_else(Timestamp::now);
                container.phase = ContainerPhase::Running { started_at };
            }
        }
    }

    fn observe_exits(&mut self) {
        let dir = self.dir.clone();
        for container in self.record.all_containers_mut() {
            let ContainerPhase::Running { started_at } = container.phase else {
                continue;
            };
            let cdir = dir.container(&container.name);
            if !lock_is_free(&cdir.lock()) {
                continue;
            }
            let report = read_json::<ExitReport>(&cdir.exit())
                .ok()
                .flatten()
                .unwrap_or_else(|| ExitReport {
                    message: Some("the container's process ended without reporting how".into()),
                    ..ExitReport::from_status(None, Some(Signal::SIGKILL as i32), started_at)
                });
            container.phase = ContainerPhase::Terminated(report);
        }
    }

    /// Starts what may start and sets the pod phase.
    fn advance(&mut self) {
        for index in 0..self.record.init_containers.len() {
            match &self.record.init_containers[index].phase {
                ContainerPhase::Terminated(exit) if exit.exit_code == 0 => continue,
                ContainerPhase::Terminated(_) => {
                    self.record.phase = Phase::Failed;
                    return;
                }
                ContainerPhase::Running { .. } => return,
                ContainerPhase::Waiting { .. } => {
                    let name = self.record.init_containers[index].name.clone();
                    let phase = self.start(&name);
                    self.record.init_containers[index].phase = phase;
                    return;
                }
            }
        }
        for index in 0..self.record.containers.len() {
            if !matches!(
                self.record.containers[index].phase,
                ContainerPhase::Waiting { .. }
            ) {
                continue;
            }
            let name = self.record.containers[index].name.clone();
            match self.dependencies_of(&name) {
                Dependencies::Pending => {}
                Dependencies::Failed => {
                    self.record.containers[index].phase = ContainerPhase::Waiting {
                        reason: DEPENDENCY_FAILED.into(),
                    };
                }
                Dependencies::Succeeded => {
                    let phase = self.start(&name);
                    self.record.containers[index].phase = phase;
                }
            }
        }
        self.record.phase = Phase::Running;
        let ended = self
            .record
            .containers
            .iter()
            .all(|c| c.exit().is_some() || is_blocked(c));
        if ended {
            let all_ok = self
                .record
                .containers
                .iter()
                .all(|c| c.exit().is_some_and(|e| e.exit_code == 0));
            self.record.phase = if all_ok {
                Phase::Succeeded
            } else {
                Phase::Failed
            };
        }
    }

    /// Starts a container; returns its new phase.
    fn start(&self, name: &str) -> ContainerPhase {
        let now = Timestamp::now();
        let cdir = self.dir.container(name);
        if let Err(e) = std::fs::create_dir_all(&cdir.path) {
            return ContainerPhase::Terminated(ExitReport::start_error(
                format!("create {}: {e}", cdir.path.display()),
                None,
            ));
        }
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(cdir.started_marker())
        {
            Ok(_) => {}
            // Started before by a supervisor that died: never start it twice.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                return ContainerPhase::Running { started_at: now };
            }
            Err(e) => {
                return ContainerPhase::Terminated(ExitReport::start_error(
                    format!("mark start: {e}"),
                    None,
                ));
            }
        }
        let lock = match try_lock(&cdir.lock()) {
            Ok(Some(lock)) => lock,
            Ok(None) => return ContainerPhase::Running { started_at: now },
            Err(e) => {
                return ContainerPhase::Terminated(ExitReport::start_error(
                    format!("lock: {e}"),
                    None,
                ));
            }
        };
        let container = self.launch.container(name);
        if let Some(container) = container
            && let Some((program, args)) =
                self.in_process.program_for(container, self.launch.sandbox)
        {
            let start = in_process::Start {
                program,
                args,
                dir: cdir,
                lock,
            };
            let wake = self.exits.0.clone();
            return match in_process::start(&self.in_process, container, start, wake) {
                Ok(()) => ContainerPhase::Running { started_at: now },
                Err(e) => ContainerPhase::Terminated(ExitReport::start_error(
                    format!("start the in-process container: {e}"),
                    Some(now),
                )),
            };
        }
        let sandbox = container.map_or(self.launch.sandbox, |c| c.sandbox(self.launch.sandbox));
        let wake = self.exits.0.clone();
        let zygote = self.zygote.as_deref();
        match container_process::start(&self.program, zygote, &self.dir, name, sandbox, &lock, wake)
        {
            Ok(()) => ContainerPhase::Running { started_at: now },
            Err(e) => ContainerPhase::Terminated(ExitReport::start_error(
                format!("start the container: {e}"),
                Some(now),
            )),
        }
    }

    /// Stops every running container: SIGTERM to its process group, SIGKILL after `grace`.
    fn terminate(&mut self, grace: Duration) {
        let started = Instant::now();
        let mut signalled_term = false;
        let mut signalled_kill = false;
        while self.record.all_containers().any(|c| c.is_running()) {
            let (signal, already) = if started.elapsed() < grace {
                (Signal::SIGTERM, &mut signalled_term)
            } else {
                (Signal::SIGKILL, &mut signalled_kill)
            };
            if !*already {
                *already = self.signal_running(signal);
            }
            if started.elapsed() > grace + Duration::from_secs(30) {
                tracing::warn!(pod = %self.launch.name, "containers did not stop after SIGKILL");
                break;
            }
            std::thread::sleep(TICK);
            self.observe_exits();
        }
    }

    /// Signals all running containers; true when every one had a known process group.
    fn signal_running(&self, signal: Signal) -> bool {
        let mut all = true;
        for container in self.record.all_containers().filter(|c| c.is_running()) {
            let cdir = self.dir.container(&container.name);
            if self.in_process.signal(&cdir.path, signal) {
                continue;
            }
            match read_pgid(&cdir.pgid()) {
                Some(pgid) => {
                    let _ = signal_group(pgid, signal);
                }
                None => all = false,
            }
        }
        all
    }

    fn finish_if_running(&mut self, reason: &str, message: &str) {
        if !self.record.phase.is_terminal() {
            self.record.phase = Phase::Failed;
            self.record.reason = Some(reason.into());
            self.record.message = Some(message.into());
        }
    }

    fn remove_host_links(&self) {
        for container in self.record.all_containers() {
            let path = self.dir.container(&container.name).host_links();
            if let Ok(Some(links)) = read_json::<Vec<PathBuf>>(&path) {
                crate::sandbox::unlink_mounts(&links, &self.dir.path);
            }
        }
    }
}

/// The waiting reason of a main container that will never start because a container it must
/// run after failed.
const DEPENDENCY_FAILED: &str = "DependencyFailed";

enum Dependencies {
    Pending,
    Succeeded,
    Failed,
}

fn is_blocked(container: &ContainerRecord) -> bool {
    matches!(&container.phase, ContainerPhase::Waiting { reason } if reason == DEPENDENCY_FAILED)
}

impl Supervisor {
    /// Where the containers that `name` must run after stand.
    fn dependencies_of(&self, name: &str) -> Dependencies {
        let after = self
            .launch
            .container(name)
            .map(|c| c.run_after.as_slice())
            .unwrap_or_default();
        let mut outcome = Dependencies::Succeeded;
        for dependency in after {
            let Some(record) = self
                .record
                .containers
                .iter()
                .find(|c| &c.name == dependency)
            else {
                continue;
            };
            match record.exit() {
                Some(exit) if exit.exit_code == 0 => {}
                Some(_) => return Dependencies::Failed,
                None if is_blocked(record) => return Dependencies::Failed,
                None => outcome = Dependencies::Pending,
            }
        }
        outcome
    }
}
