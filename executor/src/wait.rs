//! `argoexec wait`: marks the task result as started, waits for the exit codes of the containers
//! running user code (`main`, or every container of a container set)
//! (signalling it through the emissary's signal file when ARGO_DEADLINE passes or when `wait`
//! itself is terminated), collects the outputs and reports them with
//! `report-outputs-completed=true`. Must not: run user code.

use std::time::Duration;

use argo_artifact::location::DefaultRepository;
use argo_core::NodeResult;

use crate::config::ExecutorConfig;
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
}

/// The whole `wait` step.
pub async fn wait(
    config: &ExecutorConfig,
    reporter: Option<&Reporter>,
    repository: Option<&DefaultRepository>,
) -> WaitOutcome {
    let mut outcome = WaitOutcome::default();
    if let Some(reporter) = reporter
        && let Err(error) = reporter.report(&NodeResult::default(), false).await
    {
        outcome.errors.push(error.to_string());
    }
    let ending = wait_for_main(config).await;
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

/// Polls for main's exit code; past the deadline (or on SIGTERM) asks the emissary to stop main
/// with SIGTERM, then SIGKILL after the grace period.
async fn wait_for_main(config: &ExecutorConfig) -> Ending {
    let layout = &config.var_run;
    let names = crate::container_set::main_container_names(Some(&config.template));
    let exit_codes: Vec<_> = names.iter().map(|n| layout.exit_code(n)).collect();
    let signal_files: Vec<_> = names.iter().map(|n| layout.signal(n)).collect();
    let send_all = |signal: i32| {
        for file in &signal_files {
            send(file, signal);
        }
    };
    let mut terminate =
        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    let mut ending = Ending::Exited;
    let mut terminated_at: Option<tokio::time::Instant> = None;
    let mut killed = false;
    loop {
        if exit_codes.iter().all(|path| path.exists()) {
            return ending;
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
        let tick = tokio::time::sleep(Duration::from_millis(100));
        match terminate.as_mut() {
            Some(stream) => {
                tokio::select! {
                    _ = tick => {}
                    Some(()) = stream.recv() => {
                        tracing::info!("terminated: stopping main");
                        send_all(15);
                        terminated_at.get_or_insert_with(tokio::time::Instant::now);
                    }
                }
            }
            None => tick.await,
        }
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
