//! Starting a container's first process and reaping it: `init` in a new PID namespace for a
//! sandboxed container, `shim` otherwise, each detached in its own process group and holding
//! the container's lock; started by the runtime's zygote when it has one, else as programs.
//! Must not: decide anything about the pod.

use std::fs::File;
use std::path::Path;
use std::process::Child;
use std::sync::mpsc::Sender;

use jiff::Timestamp;

use crate::layout::{ContainerDir, PodDir, replace_bytes, write_json_atomic};
use crate::process_group::spawn_detached;
use crate::record::ExitReport;
use crate::sandbox::{Sandbox, unshare_pid};
use crate::zygote::{StartError, ZygoteSlot};

/// The stack of a thread that only starts or waits for a process.
const SMALL_STACK: usize = 64 * 1024;

/// Starts container `name` of the pod in `dir` (isolated by `sandbox`), handing it `lock`:
/// through the `zygote` when there is one, else with `program`; `wake` is told when the
/// process has ended.
pub(crate) fn start(
    program: &Path,
    zygote: Option<&ZygoteSlot>,
    dir: &PodDir,
    name: &str,
    sandbox: Sandbox,
    lock: &File,
    wake: Sender<()>,
) -> std::io::Result<()> {
    let cdir = dir.container(name);
    let started_at = Timestamp::now();
    if let Some(zygote) = zygote.and_then(ZygoteSlot::get) {
        let sandboxed = sandbox == Sandbox::Namespaces;
        let on_exit = {
            let (cdir, wake) = (cdir.clone(), wake.clone());
            Box::new(move |code: Option<i32>, signal: Option<i32>| {
                if sandboxed {
                    report_unreported(&cdir, code, signal, started_at);
                }
                let _ = wake.send(());
            })
        };
        match zygote.start(&dir.path, name, sandboxed, lock, on_exit) {
            Ok(pid) => {
                record_group(&cdir, pid, sandbox);
                tracing::debug!(pod = %dir.path.display(), container = name, pid, "container started by the zygote");
                return Ok(());
            }
            Err(StartError::Unavailable(error)) => {
                tracing::debug!(%error, "the zygote is gone; the container starts as a program");
            }
            // Failed, or the zygote stopped answering and may have started it: the container is
            // marked started, so it is not started again; its end is seen through its lock.
            Err(StartError::Failed(error)) => return Err(std::io::Error::other(error)),
        }
    }
    let pod_dir = dir.path.to_string_lossy();
    let mut child = match sandbox {
        Sandbox::Namespaces => {
            let child = spawn_in_new_pid_namespace(
                program,
                &["init", &pod_dir, name],
                lock,
                &cdir.shim_log(),
            )?;
            record_group(&cdir, i32::try_from(child.id()).unwrap_or(0), sandbox);
            child
        }
        Sandbox::None => {
            spawn_detached(program, &["shim", &pod_dir, name], lock, &cdir.shim_log())?
        }
    };
    tracing::debug!(pod = %dir.path.display(), container = name, pid = child.id(), "container started");
    // The waiter reaps the process and wakes the supervisor, which then reads the container's
    // lock and exit report. An `init` killed before it reported gets its report here.
    let waiter = std::thread::Builder::new()
        .name("argo-container-reaper".into())
        .stack_size(SMALL_STACK)
        .spawn(move || {
            let status = child.wait();
            if sandbox == Sandbox::Namespaces
                && let Ok(status) = status
            {
                use std::os::unix::process::ExitStatusExt;
                report_unreported(&cdir, status.code(), status.signal(), started_at);
            }
            let _ = wake.send(());
        });
    if let Err(error) = waiter {
        tracing::debug!(%error, "no exit waiter; the container's end is seen at the next tick");
    }
    Ok(())
}

/// `init` leads the container's process group: signals for the container go there. Without the
/// file they cannot, but the container runs: not a start error. (`init` records it too, in case
/// this process dies before it gets here.) A shim records its command's group itself.
fn record_group(cdir: &ContainerDir, pid: i32, sandbox: Sandbox) {
    if sandbox != Sandbox::Namespaces {
        return;
    }
    if let Err(error) = replace_bytes(&cdir.pgid(), pid.to_string().as_bytes()) {
        tracing::warn!(container = %cdir.path.display(), %error, "cannot record the process group");
    }
}

/// Reports the end of an `init` that ended without writing its report (killed before it could),
/// from its exit code or signal.
fn report_unreported(
    cdir: &ContainerDir,
    code: Option<i32>,
    signal: Option<i32>,
    started_at: Timestamp,
) {
    if cdir.exit().exists() {
        return;
    }
    let mut report = ExitReport::from_status(code, signal, started_at);
    if code.is_some() {
        report.message = Some("the container's init ended without a report".into());
    }
    let _ = write_json_atomic(&cdir.exit(), &report);
}

/// Spawns `program` as the first process of a new PID namespace (its PID 1), from a thread of
/// its own: a thread whose children go to another PID namespace can start no more threads.
fn spawn_in_new_pid_namespace(
    program: &Path,
    args: &[&str],
    lock: &File,
    log: &Path,
) -> std::io::Result<Child> {
    std::thread::scope(|scope| {
        let spawner = std::thread::Builder::new()
            .name("argo-pid-namespace".into())
            .stack_size(SMALL_STACK)
            .spawn_scoped(scope, || {
                unshare_pid().map_err(std::io::Error::from)?;
                spawn_detached(program, args, lock, log)
            })?;
        spawner
            .join()
            .unwrap_or_else(|_| Err(std::io::Error::other("the spawning thread panicked")))
    })
}
