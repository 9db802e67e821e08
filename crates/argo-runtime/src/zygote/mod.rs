//! The zygote: one long-lived, single-threaded process per runtime that starts containers by
//! copying itself rather than by starting a program. A container's `init` (or shim) is then a
//! `clone` of the zygote, not a new `exec` of the supervisor program, and a container command
//! that is the zygote's own program (`argoexec emissary ...` when the zygote is `argoexec`) runs
//! in a `fork` of that `init` as a call of the program's main function (see
//! [`crate::supervisor::Hosted`]). Each `exec` saved is a program's loading and start-up.
//!
//! The runtime starts the zygote on first use and again if it ended. The zygote ends when the
//! runtime's end of their socket closes (the runtime dropped it or died); the containers it
//! started run on, holding their locks, and are found again like any other. Without a zygote
//! program, or when it cannot start, containers start as separate programs, as before.
//! Must not: decide anything about a pod; the supervisor does.

mod client;
mod server;
mod wire;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex, PoisonError};

pub(crate) use client::{StartError, Zygote};

use crate::supervisor::Hosted;

/// The program (and its leading arguments) that runs [`serve`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZygoteProgram {
    pub program: PathBuf,
    pub args: Vec<String>,
}

/// Runs the zygote's loop in this process, which must have a single thread. `main` is the
/// program's own entry point: a container whose command is this program runs it in a fork
/// instead of an `exec` of the program. Returns when the runtime closes the connection.
pub fn serve(main: Option<fn(Vec<String>) -> u8>) -> ExitCode {
    let hosted = main.and_then(|main| {
        let exe = std::env::current_exe().ok()?;
        Some(Hosted { exe, main })
    });
    server::serve(hosted.as_ref())
}

/// The runtime's zygote, started on first use and again after it ended.
#[derive(Debug)]
pub(crate) struct ZygoteSlot {
    program: ZygoteProgram,
    log: PathBuf,
    current: Mutex<Option<Arc<Zygote>>>,
}

impl std::fmt::Debug for Zygote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Zygote")
            .field("alive", &self.is_alive())
            .finish_non_exhaustive()
    }
}

impl ZygoteSlot {
    pub(crate) fn new(program: ZygoteProgram, root: &Path) -> Self {
        Self {
            program,
            log: root.join("zygote.log"),
            current: Mutex::new(None),
        }
    }

    /// The live zygote, started now if there is none; `None` when it cannot start.
    pub(crate) fn get(&self) -> Option<Arc<Zygote>> {
        let mut current = self.current.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(zygote) = current.as_ref().filter(|z| z.is_alive()) {
            return Some(Arc::clone(zygote));
        }
        match Zygote::spawn(&self.program, &self.log) {
            Ok(zygote) => {
                let zygote = Arc::new(zygote);
                *current = Some(Arc::clone(&zygote));
                Some(zygote)
            }
            Err(error) => {
                tracing::warn!(program = %self.program.program.display(), %error, "cannot start the zygote; containers start as programs");
                *current = None;
                None
            }
        }
    }
}
