//! In-process programs: commands of the runtime's caller that the local runtime runs in its own
//! process (on a thread, or as a task of the caller's async runtime) instead of in a process of
//! their own, for containers that run on the host.
//!
//! A caller registers a program under the command line it answers to (`[program, args...]`, a
//! prefix of the container's resolved command). A container whose command starts with that
//! prefix, that runs on the host (the host annotation, or the unsandboxed mode) and that mounts
//! no volume, is run by calling the program: no shim, no process start, no program load. It
//! gets the container's arguments and environment, writes to the container's log, and receives
//! the signals sent to the container; what it returns is the container's exit code.
//!
//! Such a container lives in the runtime's process, so a crash of that process ends it without
//! a report. The runtime that adopts the pod then runs it again: a registered program must be
//! safe to run twice. This module holds the registry and the running programs' signal lines; it
//! starts nothing itself (see `supervisor::in_process`).

use std::collections::{BTreeMap, HashMap};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use nix::sys::signal::Signal;
use tokio::sync::watch;

use crate::launch::ContainerLaunch;
use crate::logs::{LogStream, write_line};
use crate::sandbox::Sandbox;

/// A command of the runtime's caller run on a runtime thread (see the module docs).
pub trait InProcessProgram: Send + Sync + 'static {
    /// Runs the container to its end and returns its exit code. Blocks the calling thread,
    /// which is the container's own.
    fn run(&self, container: InProcessContainer) -> i32;

    /// Starts the container and returns at once; `ended` is called once it has ended, with its
    /// exit code (`None` when the program panicked or was dropped unfinished). By default the
    /// container gets a thread of its own that calls [`Self::run`] ([`run_on_thread`]); a
    /// program that can run as a task of an async runtime overrides this to spare the thread.
    /// An error means the container did not start (`ended` is then never called).
    fn start(self: Arc<Self>, container: InProcessContainer, ended: Ended) -> std::io::Result<()> {
        run_on_thread(self, container, ended)
    }
}

/// What a started in-process container calls once it has ended (see
/// [`InProcessProgram::start`]).
pub type Ended = Box<dyn FnOnce(Option<i32>) + Send>;

/// Runs `program` for `container` on a new thread, then calls `ended` (with `None` when the
/// program panicked): what [`InProcessProgram::start`] does unless a program overrides it.
pub fn run_on_thread<P: InProcessProgram + ?Sized>(
    program: Arc<P>,
    container: InProcessContainer,
    ended: Ended,
) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("argo-in-process".into())
        .spawn(move || {
            let code = catch_unwind(AssertUnwindSafe(|| program.run(container))).ok();
            ended(code);
        })
        .map(drop)
}

/// What an in-process program gets of its container.
pub struct InProcessContainer {
    /// The command line after the registered prefix.
    pub args: Vec<String>,
    /// The container's resolved environment.
    pub env: BTreeMap<String, String>,
    /// The container's log.
    pub log: ContainerLog,
    /// The last signal sent to the container (`None` until one is): `SIGTERM` asks it to stop,
    /// `SIGKILL` to end now.
    pub signals: watch::Receiver<Option<Signal>>,
}

/// Writes lines to a container's log, as its standard output and error would.
pub struct ContainerLog {
    pub(crate) file: Arc<Mutex<std::fs::File>>,
}

impl ContainerLog {
    /// Appends `text` (one or more lines) as the container's standard output.
    pub fn stdout(&self, text: &str) {
        write_line(&self.file, LogStream::Stdout, text);
    }

    /// Appends `text` (one or more lines) as the container's standard error.
    pub fn stderr(&self, text: &str) {
        write_line(&self.file, LogStream::Stderr, text);
    }
}

/// The registered programs, and the signal line of each in-process container running now.
#[derive(Default)]
pub(crate) struct InProcess {
    programs: Vec<(Vec<String>, Arc<dyn InProcessProgram>)>,
    /// By container directory.
    running: Mutex<HashMap<PathBuf, watch::Sender<Option<Signal>>>>,
}

impl InProcess {
    pub(crate) fn with(mut self, command: Vec<String>, program: Arc<dyn InProcessProgram>) -> Self {
        self.programs.push((command, program));
        self
    }

    /// The same programs, none running (for a runtime rebuilt with other settings).
    pub(crate) fn registered(&self) -> Self {
        Self {
            programs: self.programs.clone(),
            running: Mutex::default(),
        }
    }

    /// The program that runs `container` of a pod isolated by `pod`, with the arguments it
    /// gets; `None` when the container runs as a process.
    pub(crate) fn program_for(
        &self,
        container: &ContainerLaunch,
        pod: Sandbox,
    ) -> Option<(Arc<dyn InProcessProgram>, Vec<String>)> {
        if container.sandbox(pod) != Sandbox::None || !container.mounts.is_empty() {
            return None;
        }
        self.programs.iter().find_map(|(command, program)| {
            let rest = container.argv.strip_prefix(command.as_slice())?;
            Some((Arc::clone(program), rest.to_vec()))
        })
    }

    /// Opens the signal line of an in-process container starting in `container_dir`.
    pub(crate) fn started(&self, container_dir: &Path) -> watch::Receiver<Option<Signal>> {
        let (sender, receiver) = watch::channel(None);
        self.lock().insert(container_dir.to_path_buf(), sender);
        receiver
    }

    pub(crate) fn ended(&self, container_dir: &Path) {
        self.lock().remove(container_dir);
    }

    /// Sends `signal` to the in-process container in `container_dir`; false when none runs
    /// there (in this process).
    pub(crate) fn signal(&self, container_dir: &Path, signal: Signal) -> bool {
        match self.lock().get(container_dir) {
            Some(sender) => {
                // A kill is never taken back by a later, milder signal.
                sender.send_if_modified(|last| {
                    let changed = *last != Some(Signal::SIGKILL) && *last != Some(signal);
                    if changed {
                        *last = Some(signal);
                    }
                    changed
                });
                true
            }
            None => false,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, watch::Sender<Option<Signal>>>> {
        self.running
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
