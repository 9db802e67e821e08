//! The controller's configuration, in the shape of Argo's `workflow-controller-configmap` `data`
//! keys that this controller honours. Unknown keys are errors (strict), so a typo is reported
//! at start instead of being silently ignored.
//! Must not: read the environment or flags (the binary layers those on top).

use std::time::Duration;

use serde::Deserialize;

use crate::error::{Error, Result};

/// Argo's controller configmap keys this controller understands.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ControllerConfig {
    /// Most workflows Running at once across the controller (0: unlimited).
    #[serde(default)]
    pub parallelism: u32,
    /// Most workflows Running at once per namespace (0: unlimited).
    #[serde(default)]
    pub namespace_parallelism: u32,
    /// The controller's instance id (`workflows.argoproj.io/controller-instanceid`).
    #[serde(default, rename = "instanceID")]
    pub instance_id: String,
    /// The executor container settings.
    #[serde(default)]
    pub executor: Option<ExecutorSettings>,
    /// Archive completed workflows.
    #[serde(default)]
    pub persistence: Option<Persistence>,
    /// Argo's `images` index: the entrypoint and default arguments of images, for containers
    /// that give no `command`. A mapping, or (as in a real ConfigMap) a string holding one.
    #[serde(default, deserialize_with = "images_index")]
    pub images: std::collections::BTreeMap<String, ImageEntry>,
}

/// One entry of the `images` index.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ImageEntry {
    #[serde(default)]
    pub entrypoint: Vec<String>,
    #[serde(default)]
    pub cmd: Vec<String>,
}

fn images_index<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> std::result::Result<std::collections::BTreeMap<String, ImageEntry>, D::Error> {
    let value = serde_norway::Value::deserialize(deserializer)?;
    let parsed = match value {
        serde_norway::Value::Null => return Ok(Default::default()),
        serde_norway::Value::String(text) => serde_norway::from_str(&text),
        other => serde_norway::from_value(other),
    };
    parsed.map_err(|e| serde::de::Error::custom(format!("images: {e}")))
}

/// `executor:` — only the image fields matter locally.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExecutorSettings {
    #[serde(default)]
    pub image: String,
    #[serde(default)]
    pub image_pull_policy: String,
}

/// `persistence:` — the archive switch and its policy (`archiveTTL`, `archiveLabelSelector`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Persistence {
    #[serde(default)]
    pub archive: bool,
    /// Archived workflows that finished longer ago are deleted (`7d`, `12h`; empty keeps them).
    #[serde(default, rename = "archiveTTL")]
    pub archive_ttl: String,
    /// Only workflows whose labels match are archived.
    #[serde(default)]
    pub archive_label_selector:
        Option<argo_core::k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector>,
}

impl ControllerConfig {
    /// Parses the configmap `data` as YAML (the keys at the top level).
    pub fn from_yaml(text: &str) -> Result<Self> {
        if text.trim().is_empty() {
            return Ok(Self::default());
        }
        let config: Self =
            serde_norway::from_str(text).map_err(|e| Error::Config(e.to_string()))?;
        config.archive_policy()?;
        Ok(config)
    }

    /// The archive policy of `persistence` (everything archived and kept when it is absent).
    ///
    /// # Errors
    /// [`Error::Config`] naming `archiveTTL` or `archiveLabelSelector` when unusable.
    pub fn archive_policy(&self) -> Result<crate::archive_gc::ArchivePolicy> {
        match &self.persistence {
            Some(persistence) => crate::archive_gc::ArchivePolicy::new(
                &persistence.archive_ttl,
                persistence.archive_label_selector.as_ref(),
            ),
            None => Ok(crate::archive_gc::ArchivePolicy::default()),
        }
    }

    /// The engine settings this configuration implies.
    pub fn engine_config(&self) -> argo_engine::EngineConfig {
        let mut engine = argo_engine::EngineConfig {
            instance_id: self.instance_id.clone(),
            ..argo_engine::EngineConfig::default()
        };
        if let Some(executor) = &self.executor {
            if !executor.image.is_empty() {
                engine.executor_image = executor.image.clone();
            }
            engine.executor_image_pull_policy = executor.image_pull_policy.clone();
        }
        engine.archive = self.persistence.as_ref().is_some_and(|p| p.archive);
        // The engine keeps one command per image: the entrypoint followed by the default
        // arguments (Argo drops `cmd` when the template gives `args`; see the README).
        for (image, entry) in &self.images {
            let command: Vec<String> = entry.entrypoint.iter().chain(&entry.cmd).cloned().collect();
            if !command.is_empty() {
                engine.images.insert(image.clone(), command);
            }
        }
        engine
    }
}

/// Knobs of the loop itself (not part of Argo's configmap).
#[derive(Debug, Clone, PartialEq)]
pub struct LoopSettings {
    /// Workflows reconciled concurrently.
    pub workers: usize,
    /// Every known workflow is looked at again this often, in case an event was missed.
    pub resync: Duration,
    /// The namespace watched; `None` for all.
    pub namespace: Option<String>,
    /// How long a pod change that ends nothing (a pod pending or running), or a task result,
    /// may wait before the workflow is looked at, so the changes of a short pod (started, its
    /// results reported, one container done, all done) share one pass and one write. A pod
    /// that finished or vanished is looked at at once. Zero looks at every change at once.
    pub pod_settle: Duration,
}

/// [`LoopSettings::pod_settle`] by default: longer than a trivial pod takes from starting to
/// finishing on the local runtime, short next to anything a person watches.
pub const DEFAULT_POD_SETTLE: Duration = Duration::from_millis(50);

impl Default for LoopSettings {
    fn default() -> Self {
        LoopSettings {
            workers: 4,
            resync: Duration::from_secs(2),
            namespace: None,
            pod_settle: DEFAULT_POD_SETTLE,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configmap_keys_are_read_in_argo_shape() {
        let config = ControllerConfig::from_yaml(
            "parallelism: 3\nnamespaceParallelism: 2\ninstanceID: x\nexecutor:\n  image: my/argoexec:v1\n",
        )
        .expect("valid");
        assert_eq!(config.parallelism, 3);
        assert_eq!(config.namespace_parallelism, 2);
        assert_eq!(config.engine_config().executor_image, "my/argoexec:v1");
        assert_eq!(config.engine_config().instance_id, "x");
    }

    #[test]
    fn persistence_archive_policy_keys_are_read_and_checked() {
        let config = ControllerConfig::from_yaml(
            "persistence:\n  archive: true\n  archiveTTL: 7d\n  archiveLabelSelector:\n    matchLabels:\n      keep: \"yes\"\n",
        )
        .expect("valid");
        let policy = config.archive_policy().expect("policy");
        assert_eq!(policy.ttl, Some(jiff::SignedDuration::from_hours(7 * 24)));
        let keep = std::collections::BTreeMap::from([("keep".to_owned(), "yes".to_owned())]);
        assert!(policy.selects(Some(&keep)));
        assert!(!policy.selects(None));
        let error =
            ControllerConfig::from_yaml("persistence:\n  archive: true\n  archiveTTL: soon\n")
                .expect_err("bad TTL");
        assert!(
            error.to_string().contains("persistence.archiveTTL"),
            "{error}"
        );
    }

    #[test]
    fn the_images_index_reaches_the_engine_as_a_mapping_or_a_string() {
        let mapped = ControllerConfig::from_yaml(
            "images:\n  my/tool:v1:\n    entrypoint: [/bin/tool]\n    cmd: [--serve]\n",
        )
        .expect("valid");
        assert_eq!(
            mapped.engine_config().image_entrypoint("my/tool:v1"),
            Some(&["/bin/tool".to_owned(), "--serve".to_owned()][..])
        );
        let text = ControllerConfig::from_yaml(
            "images: |\n  docker/whalesay:latest:\n    cmd: [cowsay]\n",
        )
        .expect("valid");
        assert_eq!(
            text.engine_config()
                .image_entrypoint("docker/whalesay:latest"),
            Some(&["cowsay".to_owned()][..])
        );
        let bad =
            ControllerConfig::from_yaml("images:\n  x:\n    entrypiont: [a]\n").expect_err("typo");
        assert!(bad.to_string().contains("entrypiont"), "{bad}");
    }

    #[test]
    fn unknown_keys_are_rejected() {
        let err = ControllerConfig::from_yaml("paralelism: 3\n").expect_err("typo");
        assert!(err.to_string().contains("paralelism"), "{err}");
    }

    #[test]
    fn an_empty_configmap_is_the_default() {
        assert_eq!(
            ControllerConfig::from_yaml("").expect("empty"),
            ControllerConfig::default()
        );
    }
}
