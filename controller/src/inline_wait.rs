//! Local mode's `wait` container, run as a task of the controller's process instead of as an
//! `argoexec wait` process: the local runtime calls [`InlineWait`] (an in-process program) for
//! each pod whose `wait` runs on the host. It runs the executor's own `wait` with the
//! container's environment and reports through the controller's store handle, so a pod costs
//! no executor start, no store opening and no shim for `wait`. The `wait`s run on a tokio
//! runtime of their own that is never shut down: one still running when the process ends (a
//! daemon's) must not find its runtime shutting down under it.
//! Must not: write the workflow, or decide a node's phase (the task result and the pod's
//! container states do, as with `argoexec wait`).

use std::sync::{Arc, OnceLock};

use argo_runtime::{Ended, InProcessContainer, InProcessProgram, Signal, run_on_thread};
use argo_store::ResourceStore;
use executor::report::Reporter;
use executor::{ExecutorConfig, wait};
use tokio::sync::watch;

/// The exit code of a `wait` that was killed, as for a process ended by SIGKILL.
const KILLED: i32 = 128 + 9;

/// `argoexec wait` as an in-process program (see the module docs).
pub struct InlineWait {
    store: Arc<dyn ResourceStore>,
}

impl InlineWait {
    /// Reports to `store`.
    pub fn new(store: Arc<dyn ResourceStore>) -> Self {
        Self { store }
    }
}

/// The runtime the `wait`s run on (see the module docs); `None` when it cannot be built.
fn wait_runtime() -> Option<&'static tokio::runtime::Runtime> {
    static RUNTIME: OnceLock<Option<tokio::runtime::Runtime>> = OnceLock::new();
    RUNTIME
        .get_or_init(|| {
            // Two workers: a `wait` busy packing outputs leaves the others a thread.
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .thread_name("argo-inline-wait")
                .enable_all()
                .build()
                .ok()
        })
        .as_ref()
}

impl InlineWait {
    /// The container's `wait`, to its end: its exit code.
    async fn wait(&self, container: InProcessContainer) -> i32 {
        let InProcessContainer {
            env, log, signals, ..
        } = container;
        let config = match ExecutorConfig::from_lookup(|name| env.get(name).cloned()) {
            Ok(config) => config,
            Err(error) => {
                log.stderr(&format!("argoexec: {error}"));
                return 1;
            }
        };
        let reporter = Reporter::new(Arc::clone(&self.store), &config);
        let repository = config.repository();
        let stop = signalled(signals.clone(), |signal| signal.is_some());
        let killed = signalled(signals, |signal| signal == Some(Signal::SIGKILL));
        let outcome = tokio::select! {
            outcome = wait::wait(&config, Some(&reporter), repository.as_ref(), stop) => Some(outcome),
            () = killed => None,
        };
        match outcome {
            None => {
                log.stderr("argoexec: killed");
                KILLED
            }
            Some(outcome) if outcome.errors.is_empty() => 0,
            Some(outcome) => {
                log.stderr(&format!("argoexec: {}", outcome.errors.join("; ")));
                1
            }
        }
    }
}

impl InProcessProgram for InlineWait {
    fn run(&self, container: InProcessContainer) -> i32 {
        let Some(runtime) = wait_runtime() else {
            container
                .log
                .stderr("argoexec: cannot start the async runtime");
            return 1;
        };
        runtime.block_on(self.wait(container))
    }

    /// Runs the `wait` as a task of the `wait`s' runtime rather than on a thread of its own: a
    /// wide workflow has a `wait` per running pod, and a thread each cost every one its stack.
    fn start(self: Arc<Self>, container: InProcessContainer, ended: Ended) -> std::io::Result<()> {
        let Some(runtime) = wait_runtime() else {
            return run_on_thread(self, container, ended);
        };
        let waiting = runtime.spawn(async move { self.wait(container).await });
        runtime.spawn(async move {
            // A panicked `wait` ends its container as a panicked program does.
            let code = waiting.await.ok();
            // Ending writes the exit report: file I/O, kept off the runtime's worker.
            let _ = tokio::task::spawn_blocking(move || ended(code)).await;
        });
        Ok(())
    }
}

/// Resolves once the container's last signal satisfies `wanted`; never when no signal can come.
async fn signalled(
    mut signals: watch::Receiver<Option<Signal>>,
    wanted: impl Fn(Option<Signal>) -> bool,
) {
    if signals.wait_for(|signal| wanted(*signal)).await.is_err() {
        std::future::pending::<()>().await;
    }
}
