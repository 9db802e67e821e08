//! [`FakeRuntime`]: an in-memory [`PodRuntime`] for tests of its callers (the controller). It
//! runs nothing: pods stay `Pending` until the test sets their status, and signals are recorded
//! for the test to inspect. It keeps the contract's observable rules: creation is idempotent by
//! namespace and name, deleting a missing pod succeeds, and every change is announced as an event.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

use async_trait::async_trait;
use futures::stream::{self, BoxStream, StreamExt};
use jiff::Timestamp;
use k8s_openapi::api::core::v1::{Pod, PodStatus};
use nix::sys::signal::Signal;
use tokio::sync::broadcast;

use crate::error::{Error, Result};
use crate::logs::{LogLine, LogOptions, LogStream};
use crate::runtime::{PodEvent, PodRuntime};

type Key = (String, String);

/// A signal a caller sent through [`PodRuntime::signal`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SentSignal {
    pub namespace: String,
    pub name: String,
    pub container: Option<String>,
    pub signal: Signal,
}

#[derive(Default)]
struct State {
    pods: BTreeMap<Key, Pod>,
    logs: BTreeMap<(String, String, String), Vec<LogLine>>,
    signals: Vec<SentSignal>,
    deleted: Vec<Key>,
    /// How many of the next creations fail.
    failing_creates: usize,
}

/// The in-memory runtime. See the module documentation.
pub struct FakeRuntime {
    state: Mutex<State>,
    events: broadcast::Sender<PodEvent>,
}

impl Default for FakeRuntime {
    fn default() -> Self {
        Self::new()
    }
}

impl FakeRuntime {
    pub fn new() -> Self {
        Self {
            state: Mutex::new(State::default()),
            events: broadcast::channel(1024).0,
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Replaces a pod's status, as the kubelet would; false when the pod does not exist.
    pub fn set_status(&self, namespace: &str, name: &str, status: PodStatus) -> bool {
        let mut state = self.state();
        let Some(pod) = state.pods.get_mut(&(namespace.into(), name.into())) else {
            return false;
        };
        pod.status = Some(status.clone());
        let _ = self.events.send(PodEvent {
            namespace: namespace.into(),
            name: name.into(),
            status: Some(status),
        });
        true
    }

    /// Makes the next `count` creations fail (with an I/O error, as a full disk would), so a
    /// test can leave the caller between recording a pod and having it.
    pub fn fail_next_creates(&self, count: usize) {
        self.state().failing_creates = count;
    }

    /// Appends a line to a container's log.
    pub fn push_log(&self, namespace: &str, name: &str, container: &str, text: &str) {
        let line = LogLine {
            timestamp: Timestamp::now(),
            stream: LogStream::Stdout,
            text: text.into(),
        };
        self.state()
            .logs
            .entry((namespace.into(), name.into(), container.into()))
            .or_default()
            .push(line);
    }

    /// The pod as created, with its current status.
    pub fn pod(&self, namespace: &str, name: &str) -> Option<Pod> {
        self.state()
            .pods
            .get(&(namespace.into(), name.into()))
            .cloned()
    }

    /// Every signal sent so far, in order.
    pub fn signals(&self) -> Vec<SentSignal> {
        self.state().signals.clone()
    }

    /// The pods deleted so far, in order, as (namespace, name).
    pub fn deleted(&self) -> Vec<(String, String)> {
        self.state().deleted.clone()
    }
}

fn key_of(pod: &Pod) -> Result<Key> {
    let namespace = pod
        .metadata
        .namespace
        .clone()
        .unwrap_or_else(|| "default".into());
    let name = pod.metadata.name.clone().ok_or_else(|| Error::InvalidPod {
        reason: "metadata.name is required".into(),
    })?;
    Ok((namespace, name))
}

#[async_trait]
impl PodRuntime for FakeRuntime {
    async fn create(&self, pod: &Pod) -> Result<PodStatus> {
        let key = key_of(pod)?;
        let mut state = self.state();
        if state.failing_creates > 0 {
            state.failing_creates -= 1;
            return Err(Error::Io {
                action: "create pod",
                path: format!("{}/{}", key.0, key.1).into(),
                source: std::io::Error::other("creation failed as the test asked"),
            });
        }
        if let Some(existing) = state.pods.get(&key) {
            return Ok(existing.status.clone().unwrap_or_default());
        }
        let status = PodStatus {
            phase: Some("Pending".into()),
            ..PodStatus::default()
        };
        state.pods.insert(
            key.clone(),
            Pod {
                status: Some(status.clone()),
                ..pod.clone()
            },
        );
        let _ = self.events.send(PodEvent {
            namespace: key.0,
            name: key.1,
            status: Some(status.clone()),
        });
        Ok(status)
    }

    async fn inspect(&self, namespace: &str, name: &str) -> Result<Option<PodStatus>> {
        Ok(self
            .pod(namespace, name)
            .map(|p| p.status.unwrap_or_default()))
    }

    async fn list(&self, namespace: Option<&str>) -> Result<Vec<PodEvent>> {
        let state = self.state();
        let pods = state
            .pods
            .iter()
            .filter(|((ns, _), _)| namespace.is_none_or(|wanted| ns == wanted));
        Ok(pods
            .map(|((ns, name), pod)| PodEvent {
                namespace: ns.clone(),
                name: name.clone(),
                status: pod.status.clone(),
            })
            .collect())
    }

    async fn signal(
        &self,
        namespace: &str,
        name: &str,
        container: Option<&str>,
        signal: Signal,
    ) -> Result<()> {
        let mut state = self.state();
        if !state.pods.contains_key(&(namespace.into(), name.into())) {
            return Err(Error::PodNotFound {
                namespace: namespace.into(),
                name: name.into(),
            });
        }
        state.signals.push(SentSignal {
            namespace: namespace.into(),
            name: name.into(),
            container: container.map(Into::into),
            signal,
        });
        Ok(())
    }

    async fn delete(&self, namespace: &str, name: &str, _grace: Duration) -> Result<()> {
        let key: Key = (namespace.into(), name.into());
        let mut state = self.state();
        if state.pods.remove(&key).is_some() {
            state.deleted.push(key);
            let _ = self.events.send(PodEvent {
                namespace: namespace.into(),
                name: name.into(),
                status: None,
            });
        }
        Ok(())
    }

    async fn logs(
        &self,
        namespace: &str,
        name: &str,
        container: &str,
        options: &LogOptions,
    ) -> Result<BoxStream<'static, Result<LogLine>>> {
        let state = self.state();
        if !state.pods.contains_key(&(namespace.into(), name.into())) {
            return Err(Error::PodNotFound {
                namespace: namespace.into(),
                name: name.into(),
            });
        }
        let mut lines = state
            .logs
            .get(&(namespace.into(), name.into(), container.into()))
            .cloned()
            .unwrap_or_default();
        if let Some(since) = options.since {
            lines.retain(|l| l.timestamp >= since);
        }
        if let Some(tail) = options.tail_lines {
            lines.drain(..lines.len().saturating_sub(tail));
        }
        Ok(stream::iter(lines.into_iter().map(Ok)).boxed())
    }

    fn events(&self) -> broadcast::Receiver<PodEvent> {
        self.events.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(name: &str) -> Pod {
        serde_json::from_value(serde_json::json!({"metadata": {"name": name, "namespace": "ns"}}))
            .unwrap()
    }

    #[tokio::test]
    async fn the_fake_keeps_the_contract_and_records_what_callers_did() {
        let fake = FakeRuntime::new();
        let mut events = fake.events();
        assert_eq!(
            fake.create(&pod("a")).await.unwrap().phase.as_deref(),
            Some("Pending")
        );
        assert!(fake.set_status(
            "ns",
            "a",
            PodStatus {
                phase: Some("Running".into()),
                ..PodStatus::default()
            }
        ));
        assert_eq!(
            fake.create(&pod("a")).await.unwrap().phase.as_deref(),
            Some("Running")
        );
        fake.signal("ns", "a", Some("main"), Signal::SIGTERM)
            .await
            .unwrap();
        assert_eq!(fake.signals()[0].container.as_deref(), Some("main"));
        fake.push_log("ns", "a", "main", "one");
        fake.push_log("ns", "a", "main", "two");
        let tail = LogOptions {
            tail_lines: Some(1),
            ..LogOptions::default()
        };
        let lines: Vec<_> = fake
            .logs("ns", "a", "main", &tail)
            .await
            .unwrap()
            .collect()
            .await;
        assert_eq!(lines[0].as_ref().unwrap().text, "two");
        fake.delete("ns", "a", Duration::ZERO).await.unwrap();
        fake.delete("ns", "a", Duration::ZERO).await.unwrap();
        assert_eq!(fake.deleted().len(), 1);
        assert!(fake.inspect("ns", "a").await.unwrap().is_none());
        let phases: Vec<_> = std::iter::from_fn(|| events.try_recv().ok())
            .map(|e| e.status.and_then(|s| s.phase))
            .collect();
        assert_eq!(
            phases,
            [Some("Pending".into()), Some("Running".into()), None]
        );
    }
}
