//! Running an in-process container (see [`crate::in_process`]): the counterpart of the shim for
//! a container whose command is a program of the runtime's caller. It starts the program (on a
//! thread of its own, or as a task where the program runs as one) and, once the program has
//! ended, writes the container's `exit.json` and lets go of the container's lock, as a shim
//! does. Must not: decide anything about the pod.

use std::fs::File;
use std::sync::Arc;
use std::sync::mpsc::Sender;

use jiff::Timestamp;

use crate::in_process::{ContainerLog, Ended, InProcess, InProcessContainer, InProcessProgram};
use crate::launch::ContainerLaunch;
use crate::layout::{ContainerDir, write_json_atomic};
use crate::logs::{LogStream, write_line};
use crate::record::ExitReport;

/// The exit code of an in-process program that panicked.
const PANICKED: i32 = 2;

/// What an in-process container runs and where.
pub(crate) struct Start {
    pub(crate) program: Arc<dyn InProcessProgram>,
    pub(crate) args: Vec<String>,
    pub(crate) dir: ContainerDir,
    /// The container's lock, held until its exit report is written.
    pub(crate) lock: File,
}

/// Starts the container; `wake` is told when it has ended.
pub(crate) fn start(
    registry: &Arc<InProcess>,
    container: &ContainerLaunch,
    start: Start,
    wake: Sender<()>,
) -> std::io::Result<()> {
    let log = start.dir.open_log()?;
    let signals = registry.started(&start.dir.path);
    let env = container.env.iter().cloned().collect();
    let started_at = Timestamp::now();
    let registry_at_end = Arc::clone(registry);
    let Start {
        program,
        args,
        dir,
        lock,
    } = start;
    let dir_path = dir.path.clone();
    let container = InProcessContainer {
        args,
        env,
        log: ContainerLog {
            file: Arc::clone(&log),
        },
        signals,
    };
    let ended: Ended = Box::new(move |code| {
        let report = match code {
            Some(code) => ExitReport::from_status(Some(code), None, started_at),
            None => {
                let message = "the in-process program panicked".to_owned();
                write_line(&log, LogStream::Stderr, &message);
                ExitReport {
                    message: Some(message),
                    ..ExitReport::from_status(Some(PANICKED), None, started_at)
                }
            }
        };
        if let Err(error) = write_json_atomic(&dir.exit(), &report) {
            tracing::warn!(container = %dir.path.display(), %error, "cannot write the exit report");
        }
        registry_at_end.ended(&dir.path);
        drop(lock);
        let _ = wake.send(());
    });
    if let Err(error) = program.start(container, ended) {
        registry.ended(&dir_path);
        return Err(error);
    }
    Ok(())
}
