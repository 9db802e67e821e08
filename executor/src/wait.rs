//! `argoexec wait`: marks the task result as started, waits for the exit codes of the containers
//! running user code (`main`, or every container of a container set)
//! (signalling it through the emissary's signal file when ARGO_DEADLINE passes or when `wait`
//! itself is terminated), collects the outputs and reports them with
//! `report-outputs-completed=true`. Must not: run user code.

use std::time::Duration;

use argo_artifact::location::DefaultRepository;
use argo_core::NodeResult;

use crate::config::ExecutorConfig;
use crate::exit_watch::ExitWatch;
use crate::outputs;
use crate::report::Reporter;

/// Argo's message when a pod runs past its deadline.
pub const DEADLINE_MESSAGE: &str = "Step exceeded its deadline";

/// What `wait` reported, and the errors that should fail the node.
#[derive(Debug, Default)]
pub struct WaitOutcome {
    pub result: NodeResult,
    pub errors: Vec<String>,
}

/// How waiting for main ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ending {
    Exited,
    DeadlineExceeded,
    /// The shared directory was removed under us (the pod or its data directory was deleted):
    /// nothing will ever appear there, and there is nobody left to report to.
    WorkDirGone,
}

/// The error `wait` ends with when its shared directory disappears.
pub const WORK_DIR_GONE: &str = "the shared directory was removed; giving up";

/// The whole `wait` step. `stop` resolves when `wait` is asked to stop (SIGTERM for the
/// process, see [`terminated`]): main is then stopped, and its outputs collected.
pub async fn wait(
    config: &ExecutorConfig,
    reporter: Option<&Reporter>,
    repository: Option<&DefaultRepository>,
    stop: impl Future<Output = ()>,
) -> WaitOutcome {
    let mut outcome = WaitOutcome::default();
    if let Some(reporter) = reporter
        && let Err(error) = reporter.report(&NodeResult::default(), false).await
    {
        outcome.errors.push(error.to_string());
    }
    let ending = wait_for_main(config, stop).await;
    if ending == Ending::WorkDirGone {
        tracing::warn!(path = %config.var_run.root().display(), "{WORK_DIR_GONE}");
        outcome.errors.push(WORK_DIR_GONE.to_owned());
        return outcome;
    }
    let collected = outputs::collect(config, repository).await;
    outcome
        .errors
        .extend(collected.errors.iter().map(ToString::to_string));
    outcome.result.outputs = Some(collected.outputs);
    let mut messages = Vec::new();
    if ending == Ending::DeadlineExceeded {
        messages.push(DEADLINE_MESSAGE.to_owned());
    }
    messages.extend(outcome.errors.iter().cloned());
    outcome.result.message = messages.join("; ");
    if let Some(reporter) = reporter
        && let Err(error) = reporter.report(&outcome.result, true).await
    {
        outcome.errors.push(error.to_string());
    }
    outcome
}

/// Resolves when this process receives SIGTERM; never when the handler cannot be installed.
/// Installing it replaces the default action of SIGTERM for the whole process.
pub async fn terminated() {
    use tokio::signal::unix::{SignalKind, signal};
    match signal(SignalKind::terminate()) {
        Ok(mut stream) => {
            stream.recv().await;
        }
        Err(_) => std::future::pending().await,
    }
}

/// Polls for main's exit code (see [`poll_interval`]), woken early when an emissary announces
/// one ([`ExitWatch`]); past the deadline (or once `stop` resolves) asks the emissary to stop
/// main with SIGTERM, then SIGKILL after the grace period.
async fn wait_for_main(config: &ExecutorConfig, stop: impl Future<Output = ()>) -> Ending {
    let layout = &config.var_run;
    let names = crate::container_set::main_container_names(Some(&config.template));
    let exit_codes: Vec<_> = names.iter().map(|n| layout.exit_code(n)).collect();
    let signal_files: Vec<_> = names.iter().map(|n| layout.signal(n)).collect();
    let send_all = |signal: i32| {
        for file in &signal_files {
            send(file, signal);
        }
    };
    let mut stop = std::pin::pin!(stop);
    // A resolved future is never polled again.
    let mut stopped = false;
    // Made before the first look below: an exit code written earlier is seen by that look, and
    // one written later is announced.
    let watch = ExitWatch::new(layout);
    let mut ending = Ending::Exited;
    let mut terminated_at: Option<tokio::time::Instant> = None;
    let mut killed = false;
    let waiting_since = tokio::time::Instant::now();
    // The shared directory is a volume of the pod, made before its containers start, so it is
    // never made here: missing, even at the first look below, it was removed with the pod (or
    // its data directory) and nothing will come; made here, `wait` would poll it forever.
    loop {
        if exit_codes.iter().all(|path| path.exists()) {
            return ending;
        }
        if removed(layout.root()) {
            return Ending::WorkDirGone;
        }
        let deadline_passed = config
            .deadline
            .is_some_and(|deadline| jiff::Timestamp::now() >= deadline);
        if deadline_passed && terminated_at.is_none() {
            tracing::info!("{DEADLINE_MESSAGE}");
            ending = Ending::DeadlineExceeded;
            send_all(15);
            terminated_at = Some(tokio::time::Instant::now());
        }
        if let Some(at) = terminated_at
            && !killed
            && at.elapsed() >= config.kill_grace
        {
            send_all(9);
            killed = true;
        }
        // main may have died without the emissary (it never started): do not wait forever
        // once it was told to stop and had its grace period twice over.
        if let Some(at) = terminated_at
            && at.elapsed() >= config.kill_grace * 2 + Duration::from_secs(1)
        {
            tracing::warn!("main never wrote its exit code; collecting what there is");
            return ending;
        }
        let mut interval = poll_interval(waiting_since.elapsed());
        if watch.is_some() {
            // Main's end wakes us through the watch; the polls are left to the deadline, a
            // removed directory and a missed announcement.
            interval = interval.max(WATCHED_POLL);
        }
        let tick = tokio::time::sleep(interval);
        let written = async {
            match &watch {
                Some(watch) => watch.changed().await,
                None => std::future::pending().await,
            }
        };
        let stop_requested = async {
            if stopped {
                std::future::pending::<()>().await;
            }
            stop.as_mut().await;
        };
        tokio::select! {
            _ = tick => {}
            _ = written => {}
            () = stop_requested => {
                stopped = true;
                tracing::info!("terminated: stopping main");
                send_all(15);
                terminated_at.get_or_insert_with(tokio::time::Instant::now);
            }
        }
    }
}

/// True when `dir` no longer exists, or is a directory that was deleted while still mounted
/// or open (no links left).
fn removed(dir: &std::path::Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match std::fs::metadata(dir) {
        Ok(meta) => meta.nlink() == 0,
        Err(error) => error.kind() == std::io::ErrorKind::NotFound,
    }
}

/// The longest pause between two looks while an [`ExitWatch`] wakes `wait` at main's end.
const WATCHED_POLL: Duration = Duration::from_millis(100);

/// How long to sleep between looks for main's exit code: short while main may be a quick
/// command (a step's exit is then noticed within milliseconds), longer once it runs for a while.
fn poll_interval(waited: Duration) -> Duration {
    if waited < Duration::from_secs(2) {
        Duration::from_millis(2)
    } else if waited < Duration::from_secs(10) {
        Duration::from_millis(20)
    } else {
        Duration::from_millis(100)
    }
}

fn send(signal_file: &std::path::Path, signal: i32) {
    if let Some(parent) = signal_file.parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    if let Err(error) = std::fs::write(signal_file, signal.to_string()) {
        tracing::warn!(%error, "cannot write the signal file");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inputs::tests::config_in;

    #[tokio::test]
    async fn wait_gives_up_when_its_shared_directory_is_removed() {
        let scratch = tempfile::tempdir().expect("tempdir");
        let var_run = scratch.path().join("var-run");
        std::fs::create_dir_all(&var_run).expect("mkdir");
        let config = config_in(&var_run, argo_core::Template::default());
        let waiting =
            tokio::spawn(async move { wait(&config, None, None, std::future::pending()).await });
        tokio::time::sleep(Duration::from_millis(20)).await;
        // What a deleted pod or data directory does.
        std::fs::remove_dir_all(&var_run).expect("remove");
        let outcome = waiting.await.expect("joined");
        assert_eq!(outcome.errors, vec![WORK_DIR_GONE.to_owned()]);
        assert!(outcome.result.outputs.is_none(), "nothing collected");
    }

    #[tokio::test]
    async fn wait_gives_up_at_once_when_its_shared_directory_is_missing() {
        let scratch = tempfile::tempdir().expect("tempdir");
        let var_run = scratch.path().join("pod-gone").join("var-run");
        let config = config_in(&var_run, argo_core::Template::default());
        let outcome = wait(&config, None, None, std::future::pending()).await;
        assert_eq!(outcome.errors, vec![WORK_DIR_GONE.to_owned()]);
        assert!(!var_run.exists(), "wait made the directory");
    }

    #[tokio::test]
    async fn wait_ends_when_main_writes_its_exit_code() {
        let scratch = tempfile::tempdir().expect("tempdir");
        let var_run = scratch.path().join("var-run");
        let config = config_in(&var_run, argo_core::Template::default());
        let exit_code = config.var_run.exit_code("main");
        std::fs::create_dir_all(exit_code.parent().expect("parent")).expect("mkdir");
        std::fs::write(&exit_code, "0").expect("write");
        let outcome = wait(&config, None, None, std::future::pending()).await;
        assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
        assert!(outcome.result.outputs.is_some());
    }

    #[test]
    fn polling_slows_down_for_long_running_mains() {
        assert!(poll_interval(Duration::ZERO) < poll_interval(Duration::from_secs(5)));
        assert!(poll_interval(Duration::from_secs(5)) < poll_interval(Duration::from_secs(60)));
    }
}
