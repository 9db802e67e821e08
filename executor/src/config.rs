//! The executor's configuration, read once from the environment the pod renderer and the
//! controller set (see the crate README for every variable). Must not: touch files or the store.

use std::path::PathBuf;
use std::sync::Arc;

use argo_artifact::LocalRepository;
use argo_artifact::location::DefaultRepository;

use argo_core::Template;

use crate::error::{Error, Result};
use crate::layout::{DEFAULT_VAR_RUN_ARGO, VarRunArgo};

/// The bucket of the local repository when ARGO_ARTIFACT_BUCKET is unset.
pub const DEFAULT_BUCKET: &str = "argo-artifacts";

/// Where artifacts go (the local-directory default repository).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ArtifactSettings {
    /// ARGO_ARTIFACT_ROOT: the repository's root directory; `None` when artifacts are not used.
    pub root: Option<PathBuf>,
    /// ARGO_ARTIFACT_BUCKET.
    pub bucket: String,
    /// ARGO_ARTIFACT_KEY_FORMAT (empty: `{{workflow.name}}/{{pod.name}}`).
    pub key_format: String,
    /// ARGO_ARCHIVE_LOGS: archive the main log unless the template says otherwise.
    pub archive_logs: bool,
}

/// Everything one executor invocation needs to know.
#[derive(Clone, Debug)]
pub struct ExecutorConfig {
    pub template: Template,
    pub node_id: String,
    pub pod_name: String,
    pub pod_uid: String,
    pub namespace: String,
    pub workflow_name: String,
    pub workflow_uid: String,
    pub container_name: String,
    pub include_script_output: bool,
    /// ARGO_DEADLINE; `None` for Go's zero time.
    pub deadline: Option<jiff::Timestamp>,
    /// ARGO_VAR_RUN (default `/var/run/argo`).
    pub var_run: VarRunArgo,
    /// ARGO_STORE: `sqlite:///absolute/path.db`; `None` uses the store's default file.
    pub store_url: Option<String>,
    pub artifacts: ArtifactSettings,
    /// ARGO_KILL_GRACE_SECONDS: between SIGTERM and SIGKILL at the deadline (default 10).
    pub kill_grace: std::time::Duration,
}

fn parse_bool(name: &'static str, value: Option<String>) -> Result<bool> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(false),
        Some("true" | "1" | "True" | "TRUE") => Ok(true),
        Some("false" | "0" | "False" | "FALSE") => Ok(false),
        Some(other) => Err(Error::Config {
            name,
            reason: format!("{other:?} is not a boolean"),
        }),
    }
}

/// Parses ARGO_DEADLINE (RFC 3339); Go's zero time (year 1) means no deadline.
pub fn parse_deadline(value: &str) -> Result<Option<jiff::Timestamp>> {
    let value = value.trim();
    if value.is_empty() || value.starts_with("0001-01-01") {
        return Ok(None);
    }
    value.parse().map(Some).map_err(|e| Error::Config {
        name: "ARGO_DEADLINE",
        reason: format!("{value:?}: {e}"),
    })
}

impl ExecutorConfig {
    /// The artifact repository of ARGO_ARTIFACT_ROOT (a local directory); `None` when unset.
    pub fn repository(&self) -> Option<DefaultRepository> {
        let root = self.artifacts.root.clone()?;
        Some(DefaultRepository {
            repository: Arc::new(LocalRepository::new(root)),
            bucket: self.artifacts.bucket.clone(),
            key_format: self.artifacts.key_format.clone(),
            archive_logs: self.artifacts.archive_logs,
        })
    }

    /// Reads the configuration through `variable` (the process environment in `main`).
    pub fn from_lookup(variable: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let text = |name: &str| variable(name).unwrap_or_default();
        let var_run = VarRunArgo::new(
            variable("ARGO_VAR_RUN")
                .filter(|v| !v.is_empty())
                .unwrap_or_else(|| DEFAULT_VAR_RUN_ARGO.to_owned()),
        );
        let template = read_template(&var_run, variable("ARGO_TEMPLATE"))?;
        let namespace = variable("ARGO_NAMESPACE")
            .or_else(|| variable("POD_NAMESPACE"))
            .filter(|n| !n.is_empty())
            .or_else(|| {
                std::fs::read_to_string("/var/run/secrets/kubernetes.io/serviceaccount/namespace")
                    .ok()
                    .map(|n| n.trim().to_owned())
            })
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| "default".to_owned());
        let kill_grace = match variable("ARGO_KILL_GRACE_SECONDS") {
            Some(v) if !v.is_empty() => v.trim().parse::<u64>().map_err(|e| Error::Config {
                name: "ARGO_KILL_GRACE_SECONDS",
                reason: e.to_string(),
            })?,
            _ => 10,
        };
        Ok(ExecutorConfig {
            template,
            node_id: text("ARGO_NODE_ID"),
            pod_name: text("ARGO_POD_NAME"),
            pod_uid: text("ARGO_POD_UID"),
            namespace,
            workflow_name: text("ARGO_WORKFLOW_NAME"),
            workflow_uid: text("ARGO_WORKFLOW_UID"),
            container_name: variable("ARGO_CONTAINER_NAME")
                .filter(|c| !c.is_empty())
                .unwrap_or_else(|| "main".to_owned()),
            include_script_output: parse_bool(
                "ARGO_INCLUDE_SCRIPT_OUTPUT",
                variable("ARGO_INCLUDE_SCRIPT_OUTPUT"),
            )?,
            deadline: parse_deadline(&text("ARGO_DEADLINE"))?,
            var_run,
            store_url: variable("ARGO_STORE").filter(|s| !s.is_empty()),
            artifacts: ArtifactSettings {
                root: variable("ARGO_ARTIFACT_ROOT")
                    .filter(|r| !r.is_empty())
                    .map(PathBuf::from),
                bucket: variable("ARGO_ARTIFACT_BUCKET")
                    .filter(|b| !b.is_empty())
                    .unwrap_or_else(|| DEFAULT_BUCKET.to_owned()),
                key_format: text("ARGO_ARTIFACT_KEY_FORMAT"),
                archive_logs: parse_bool("ARGO_ARCHIVE_LOGS", variable("ARGO_ARCHIVE_LOGS"))?,
            },
            kill_grace: std::time::Duration::from_secs(kill_grace),
        })
    }

    /// Reads the configuration from the process environment.
    pub fn from_env() -> Result<Self> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Whether the main container's log is archived: the template's `archiveLocation.archiveLogs`
    /// when set, else the repository default.
    pub fn archive_logs(&self) -> bool {
        self.template
            .archive_location
            .as_ref()
            .and_then(|l| l.archive_logs)
            .unwrap_or(self.artifacts.archive_logs)
    }
}

/// The template: `/var/run/argo/template` when `init` wrote it, else ARGO_TEMPLATE.
pub fn read_template(var_run: &VarRunArgo, from_env: Option<String>) -> Result<Template> {
    let json = match std::fs::read_to_string(var_run.template()) {
        Ok(json) => json,
        Err(_) => from_env.ok_or_else(|| Error::Config {
            name: "ARGO_TEMPLATE",
            reason: format!(
                "not set and {} does not exist",
                var_run.template().display()
            ),
        })?,
    };
    serde_json::from_str(&json).map_err(|e| Error::Template(e.to_string()))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn lookup(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: BTreeMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn the_pod_environment_is_read_with_defaults() {
        let config = ExecutorConfig::from_lookup(lookup(&[
            ("ARGO_VAR_RUN", "/nonexistent/var-run"),
            (
                "ARGO_TEMPLATE",
                r#"{"name":"main","container":{"image":"alpine"}}"#,
            ),
            ("ARGO_NODE_ID", "wf-123"),
            ("ARGO_INCLUDE_SCRIPT_OUTPUT", "true"),
            ("ARGO_DEADLINE", "0001-01-01T00:00:00Z"),
            ("ARGO_NAMESPACE", "argo"),
        ]))
        .unwrap();
        assert_eq!(config.template.name, "main");
        assert_eq!(config.node_id, "wf-123");
        assert!(config.include_script_output);
        assert_eq!(config.deadline, None);
        assert_eq!(config.container_name, "main");
        assert_eq!(config.namespace, "argo");
        assert_eq!(config.artifacts.bucket, DEFAULT_BUCKET);
        assert!(!config.archive_logs());
    }

    #[test]
    fn a_real_deadline_is_parsed_and_garbage_is_refused() {
        let deadline = parse_deadline("2026-01-02T03:04:05Z").unwrap().unwrap();
        assert_eq!(deadline.to_string(), "2026-01-02T03:04:05Z");
        assert!(parse_deadline("tomorrow").is_err());
    }

    #[test]
    fn a_missing_template_is_a_config_error() {
        let error =
            ExecutorConfig::from_lookup(lookup(&[("ARGO_VAR_RUN", "/nonexistent")])).unwrap_err();
        assert!(error.to_string().contains("ARGO_TEMPLATE"), "{error}");
    }
}
