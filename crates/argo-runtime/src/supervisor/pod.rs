//! The pod supervisor: the loop that drives one pod from `Pending` to `Succeeded` or `Failed`.
//!
//! It is the only writer of `status.json` while it holds the pod lock. Each look it notices
//! containers that ended (their shim's lock is free), starts what may start (init containers
//! one by one, then all main containers), applies the phase rules, checks the deadline and stop
//! requests, and writes the record when it changed. It looks when woken (see `wake`: a shim's
//! exit, a stop request), at the deadline, and otherwise every [`IDLE_TICK`] ([`TICK`] while a
//! container it did not start runs, since nobody waits for that one's exit). All its state is on disk, so a new supervisor
//! resumes where a killed one stopped; a container is started at most once (the `started`
//! marker is created exclusively before its shim exists).

use std::fs::{File, OpenOptions};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use jiff::Timestamp;
use nix::sys::signal::Signal;
use nix::sys::wait::{WaitPidFlag, waitpid};
use nix::unistd::Pid;
use serde::{Deserialize, Serialize};

use crate::launch::PodLaunch;
use crate::layout::{PodDir, read_json, write_json_replace};
use crate::process_group::{lock_is_free, read_pgid, signal_group, spawn_detached, try_lock};
use crate::record::{ContainerPhase, ExitReport, Phase, PodRecord};
use crate::supervisor::run_after::{DEPENDENCY_FAILED, Dependencies, dependencies_of, is_blocked};
use crate::supervisor::wake::Wakeups;

const TICK: Duration = Duration::from_millis(50);
/// The safety net for a lost stop signal when every running container's exit is waited for.
const IDLE_TICK: Duration = Duration::from_secs(1);

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
    /// Woken when a shim this supervisor started exits or a stop is requested.
    wake: Wakeups,
    /// A container runs whose exit nobody waits for (started by an earlier supervisor): look
    /// every [`TICK`].
    unwatched_running: bool,
}

pub(crate) fn supervise(dir: PodDir, _lock: File) -> Result<(), String> {
    // First, before any thread exists (see `Wakeups::new`).
    let wake = Wakeups::new();
    let _ = std::fs::write(dir.supervisor_pid(), std::process::id().to_string());
    let launch: PodLaunch = read_json(&dir.launch_file())
        .map_err(|e| e.to_string())?
        .ok_or("launch.json is missing")?;
    let record: PodRecord = read_json(&dir.status_file())
        .map_err(|e| e.to_string())?
        .ok_or("status.json is missing")?;
    let program =
        std::env::current_exe().map_err(|e| format!("cannot find the supervisor program: {e}"))?;
    let mut supervisor = Supervisor {
        dir,
        launch,
        saved: record.clone(),
        record,
        program,
        wake,
        unwatched_running: false,
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
            reap_children();
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
            self.wake.wait(self.next_look());
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
        // No record waits for the disk, the final one included: after a power loss the pod is
        // unfinished on disk, so the runtime starts a new supervisor, which rebuilds the record
        // from the containers' durable exit reports (and the durable stop request and deadline).
        // The pod's end costs the critical path the shim's fsyncs only.
        write_json_replace(&self.dir.status_file(), &self.record).map_err(|e| e.to_string())?;
        self.saved = self.record.clone();
        crate::changes::announce(&self.dir.path);
        Ok(())
    }

    /// How long the supervisor may sleep unless woken (see the module's documentation).
    fn next_look(&self) -> Duration {
        let tick = if self.unwatched_running {
            TICK
        } else {
            IDLE_TICK
        };
        let (Some(seconds), Some(start)) =
            (self.launch.active_deadline_seconds, self.record.start_time)
        else {
            return tick;
        };
        let left = seconds as f64 - Timestamp::now().duration_since(start).as_secs_f64();
        // A millisecond past the deadline, so that the look finds it passed.
        Duration::try_from_secs_f64(left.max(0.0) + 0.001).map_or(tick, |left| left.min(tick))
    }

    fn deadline_passed(&self) -> bool {
        let (Some(seconds), Some(start)) =
            (self.launch.active_deadline_seconds, self.record.start_time)
        else {
            return false;
        };
        Timestamp::now().duration_since(start).as_secs_f64() >= seconds as f64
    }

    /// Containers a previous supervisor started (their marker exists) are running or ended.
    fn adopt_started_containers(&mut self) {
        let dir = self.dir.clone();
        for container in self.record.all_containers_mut() {
            if let ContainerPhase::Waiting { .. } = container.phase {
                let marker = dir.container(&container.name).started_marker();
                if let Ok(meta) = std::fs::metadata(&marker) {
                    let started_at = meta
                        .modified()
                        .ok()
                        .and_then(|t| Timestamp::try_from(t).ok())
                        .unwrap_or_else(Timestamp::now);
                    container.phase = ContainerPhase::Running { started_at };
                    self.unwatched_running = true;
                }
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
            match dependencies_of(&self.launch, &self.record, &name) {
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

    /// Starts a container's shim; returns the container's new phase.
    fn start(&mut self, name: &str) -> ContainerPhase {
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
                self.unwatched_running = true;
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
            Ok(None) => {
                self.unwatched_running = true;
                return ContainerPhase::Running { started_at: now };
            }
            Err(e) => {
                return ContainerPhase::Terminated(ExitReport::start_error(
                    format!("lock: {e}"),
                    None,
                ));
            }
        };
        let pod_dir = self.dir.path.to_string_lossy();
        match spawn_detached(
            &self.program,
            &["shim", &pod_dir, name],
            &lock,
            &cdir.shim_log(),
        ) {
            Ok(child) => {
                tracing::debug!(pod = %self.launch.name, container = name, pid = child.id(), "container started");
                if !self.wake.on_exit(child) {
                    self.unwatched_running = true;
                }
                ContainerPhase::Running { started_at: now }
            }
            Err(e) => ContainerPhase::Terminated(ExitReport::start_error(
                format!("start the container shim: {e}"),
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
            reap_children();
            self.observe_exits();
        }
    }

    /// Signals all running containers; true when every one had a known process group.
    fn signal_running(&self, signal: Signal) -> bool {
        let mut all = true;
        for container in self.record.all_containers().filter(|c| c.is_running()) {
            match read_pgid(&self.dir.container(&container.name).pgid()) {
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

/// Collects exited shims so they do not linger as zombies.
fn reap_children() {
    while let Ok(status) = waitpid(Pid::from_raw(-1), Some(WaitPidFlag::WNOHANG)) {
        if matches!(status, nix::sys::wait::WaitStatus::StillAlive) {
            break;
        }
    }
}
