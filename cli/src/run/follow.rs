//! `argo run --log`: follows the main container's log of every pod of the workflow from the
//! moment the runtime knows the pod, so lines are printed while the steps run, not when they
//! end. Each pod gets one task reading its log stream (`follow`) into a channel the run loop
//! drains between polls.
//! Must not: write to the output from the tasks (only [`LogFollower::drain`] prints).

use std::collections::BTreeSet;
use std::io::Write;
use std::time::Duration;

use argo_core::{NodePhase, NodeType};
use argo_runtime::LogOptions;
use futures::StreamExt;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::shown::ShownWorkflow;

/// How long [`LogFollower::finish`] waits for the last lines of finished pods.
const LAST_LINES_WAIT: Duration = Duration::from_secs(5);

pub(super) struct LogFollower {
    cluster: controller::Cluster,
    followed: BTreeSet<String>,
    sender: mpsc::UnboundedSender<(String, String)>,
    lines: mpsc::UnboundedReceiver<(String, String)>,
    tasks: Vec<JoinHandle<()>>,
}

impl LogFollower {
    pub(super) fn new(cluster: controller::Cluster) -> Self {
        let (sender, lines) = mpsc::unbounded_channel();
        Self {
            cluster,
            followed: BTreeSet::new(),
            sender,
            lines,
            tasks: Vec::new(),
        }
    }

    /// Starts following every pod of `workflow` that has started and is not followed yet.
    pub(super) async fn follow_new_pods(&mut self, workflow: &ShownWorkflow) {
        for node in workflow.status.nodes.values() {
            if node.node_type != Some(NodeType::Pod)
                || matches!(
                    node.phase,
                    NodePhase::Unknown | NodePhase::Skipped | NodePhase::Omitted
                )
            {
                continue;
            }
            let template = node
                .template_ref
                .as_ref()
                .map(|r| r.template.clone())
                .unwrap_or_else(|| node.template_name.clone());
            let pod = argo_engine::node_id::pod_name(&workflow.name, &node.name, &template);
            if self.followed.contains(&pod) {
                continue;
            }
            let options = LogOptions {
                follow: true,
                ..LogOptions::default()
            };
            let stream = self
                .cluster
                .runtime
                .logs(&workflow.namespace, &pod, "main", &options)
                .await;
            let mut stream = match stream {
                Ok(stream) => stream,
                // Not started yet: try again at the next poll, unless it never will.
                Err(_) if !node.phase.is_completed() => continue,
                Err(_) => {
                    self.followed.insert(pod);
                    continue;
                }
            };
            self.followed.insert(pod.clone());
            let sender = self.sender.clone();
            self.tasks.push(tokio::spawn(async move {
                while let Some(Ok(line)) = stream.next().await {
                    if sender.send((pod.clone(), line.text)).is_err() {
                        return;
                    }
                }
            }));
        }
    }

    /// Prints the lines read so far.
    pub(super) fn drain(&mut self, out: &mut impl Write) -> std::io::Result<()> {
        while let Ok((pod, text)) = self.lines.try_recv() {
            writeln!(out, "{pod}: {text}")?;
        }
        Ok(())
    }

    /// Waits (briefly) for the streams of finished pods to end, then prints what is left.
    pub(super) async fn finish(mut self, out: &mut impl Write) -> std::io::Result<()> {
        let tasks = std::mem::take(&mut self.tasks);
        let all = futures::future::join_all(tasks);
        // A stream still open after the wait belongs to a container that outlived its node
        // (a daemon): what it wrote so far is printed, the rest is not waited for.
        let _ = tokio::time::timeout(LAST_LINES_WAIT, all).await;
        self.drain(out)
    }
}
