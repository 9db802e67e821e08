//! Carrying out the engine's [`Effect`]s, each idempotently: pods are created by their
//! deterministic names (creating one that exists is a no-op), deleting a missing pod succeeds,
//! memo writes replace their key, a resubmitted workflow that exists already is left alone.
//! Must not: decide anything; every decision is the engine's.

use std::time::Duration;

use argo_core::Workflow;
use argo_core::k8s_openapi::api::core::v1::Pod;
use argo_engine::{Effect, EventKind, PodRequest, Signal};
use jiff::Timestamp;

use crate::cluster::Cluster;
use crate::error::Result;
use crate::locks::LockTable;
use crate::memo;

/// Adapts a rendered pod to where it runs (e.g. the local runtime's executor path and store
/// location). The default leaves pods as the engine rendered them.
pub trait PodRewriter: Send + Sync {
    fn rewrite(&self, pod: &mut Pod);
}

/// Leaves pods unchanged.
#[derive(Debug, Clone, Copy, Default)]
pub struct AsRendered;

impl PodRewriter for AsRendered {
    fn rewrite(&self, _pod: &mut Pod) {}
}

/// How long a deleted pod's containers get between SIGTERM and SIGKILL.
const DELETE_GRACE: Duration = Duration::from_secs(5);

/// What effects need besides the effect itself.
pub struct EffectContext<'a> {
    pub cluster: &'a Cluster,
    pub workflow: &'a Workflow,
    pub now: Timestamp,
    pub rewriter: &'a dyn PodRewriter,
    pub locks: &'a LockTable,
}

/// Runs every effect in order; the first failure stops the rest (the next reconcile asks
/// again for whatever was not done). A pod is rendered just before it is created and dropped
/// once it is: a pass that starts thousands of pods holds one rendered spec at a time.
pub async fn execute(context: &EffectContext<'_>, effects: Vec<Effect>) -> Result<()> {
    for effect in effects {
        match effect {
            Effect::CreatePod { node_id, pod } => create_pod(context, &node_id, pod).await?,
            other => execute_one(context, &other).await?,
        }
    }
    Ok(())
}

/// Renders the pod, adapts it in place and creates it.
async fn create_pod(context: &EffectContext<'_>, node_id: &str, pod: PodRequest) -> Result<()> {
    let mut pod = pod.into_pod();
    context.rewriter.rewrite(&mut pod);
    let name = pod.metadata.name.as_deref().unwrap_or_default();
    tracing::info!(workflow = context.workflow.name(), node_id, pod = %name, "creating pod");
    context.cluster.runtime.create(&pod).await?;
    Ok(())
}

async fn execute_one(context: &EffectContext<'_>, effect: &Effect) -> Result<()> {
    let namespace = context.workflow.namespace();
    let workflow = context.workflow.name();
    match effect {
        // `execute` hands pods over without this copy.
        Effect::CreatePod { node_id, pod } => create_pod(context, node_id, pod.clone()).await?,
        Effect::DeletePod { pod } => {
            tracing::info!(workflow, pod, "deleting pod");
            context
                .cluster
                .runtime
                .delete(namespace, pod, DELETE_GRACE)
                .await?;
        }
        Effect::SignalPod {
            pod,
            container,
            signal,
        } => {
            let signal = match signal {
                Signal::Term => argo_runtime::Signal::SIGTERM,
                Signal::Kill => argo_runtime::Signal::SIGKILL,
            };
            let sent = context
                .cluster
                .runtime
                .signal(namespace, pod, Some(container), signal)
                .await;
            if let Err(error) = sent {
                // A container that already exited cannot be signalled; that is the goal anyway.
                tracing::debug!(workflow, pod, %error, "signal not delivered");
            }
        }
        Effect::AcquireLock {
            holder,
            locks,
            priority,
            created_at,
            reacquire,
        } => {
            let locks = crate::locks::resolve_limits(context.cluster, locks).await;
            tracing::debug!(workflow, holder, reacquire, "requesting locks");
            context
                .locks
                .request(holder, &locks, *priority, *created_at, *reacquire);
        }
        Effect::ReleaseLock { key, holder } => {
            tracing::debug!(workflow, holder, key, "releasing lock");
            context.locks.release(key, holder);
        }
        Effect::WriteMemo {
            cache,
            key,
            node_id,
            outputs,
        } => {
            memo::write(
                context.cluster,
                namespace,
                cache,
                key,
                node_id,
                outputs.as_ref(),
                context.now,
            )
            .await?;
        }
        Effect::Archive => {
            // Carried out with the completed status in hand, before it is written (`archive`).
            tracing::debug!(workflow, "archiving requested");
        }
        Effect::EmitEvent {
            kind,
            reason,
            message,
        } => match kind {
            EventKind::Normal => tracing::info!(workflow, reason, message, "event"),
            EventKind::Warning => tracing::warn!(workflow, reason, message, "event"),
        },
        Effect::RunAgentTask {
            node_id,
            node_name,
            template,
        } => {
            crate::agent::start(
                context.cluster,
                context.workflow,
                node_id,
                node_name,
                template,
            )
            .await?;
        }
        Effect::CreateWorkflow { workflow: next } => {
            match context.cluster.workflows().create(next).await {
                Ok(_) | Err(argo_store::Error::AlreadyExists { .. }) => {}
                Err(error) => return Err(error.into()),
            }
        }
    }
    Ok(())
}
