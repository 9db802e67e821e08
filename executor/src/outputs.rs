//! Collecting a node's outputs after main exited: output parameters from the files the emissary
//! saved (trailing newline trimmed, `valueFrom.default` when missing), `result` (main's stdout,
//! one trailing newline trimmed, last 256 KiB), the exit code, output artifacts saved to the
//! repository, and the main log when `archiveLogs`. Errors do not stop collection: every output
//! that can be reported is, and the errors are returned beside them.
//! Must not: report to the store (see `report`).

use argo_artifact::archive::ArchiveKind;
use argo_artifact::location::{self, DefaultRepository};
use argo_artifact::{KeyContext, ObjectLocation, transfer};
use argo_core::{AnyString, Artifact, Outputs};

use crate::config::ExecutorConfig;
use crate::error::{Error, Result};

/// The most of main's stdout kept as `result`.
pub const MAX_RESULT_BYTES: usize = 256 * 1024;

/// What collection produced: the outputs to report and the errors met on the way.
#[derive(Debug, Default)]
pub struct Collected {
    pub outputs: Outputs,
    pub errors: Vec<Error>,
}

/// Collects every output of the main container.
pub async fn collect(config: &ExecutorConfig, repository: Option<&DefaultRepository>) -> Collected {
    let mut collected = Collected::default();
    let template_outputs = &config.template.outputs;
    let layout = &config.var_run;

    if let Ok(text) = std::fs::read_to_string(layout.exit_code("main")) {
        collected.outputs.exit_code = Some(text.trim().to_owned());
    }
    for parameter in &template_outputs.parameters {
        let mut parameter = parameter.clone();
        match parameter_value(config, &parameter) {
            Ok(Some(value)) => parameter.value = Some(AnyString(value)),
            Ok(None) => {}
            Err(error) => collected.errors.push(error),
        }
        collected.outputs.parameters.push(parameter);
    }
    if config.include_script_output {
        let stdout = std::fs::read(layout.stdout("main")).unwrap_or_default();
        collected.outputs.result = Some(script_result(&stdout));
    }
    let key_prefix = match key_prefix(config) {
        Ok(prefix) => prefix,
        Err(error) => {
            collected.errors.push(error);
            return collected;
        }
    };
    for artifact in &template_outputs.artifacts {
        match save_output_artifact(config, repository, artifact, &key_prefix).await {
            Ok(Some(saved)) => collected.outputs.artifacts.push(saved),
            Ok(None) => {}
            Err(error) => collected.errors.push(error),
        }
    }
    if config.archive_logs() {
        match save_main_log(config, repository, &key_prefix).await {
            Ok(Some(log)) => collected.outputs.artifacts.push(log),
            Ok(None) => {}
            Err(error) => collected.errors.push(error),
        }
    }
    collected
}

/// The value of an output parameter read from a file, or `None` for other kinds of parameter.
fn parameter_value(
    config: &ExecutorConfig,
    parameter: &argo_core::Parameter,
) -> Result<Option<String>> {
    let Some(value_from) = parameter.value_from.as_ref().filter(|v| !v.path.is_empty()) else {
        return Ok(None);
    };
    let saved = config.var_run.output_parameter(&value_from.path);
    let read = std::fs::read_to_string(&saved).or_else(|error| {
        on_shared_volume(config, &value_from.path).map_or(Err(error), std::fs::read_to_string)
    });
    let value = match read {
        Ok(text) => text,
        Err(_) => match &value_from.default {
            Some(default) => default.0.clone(),
            None => {
                return Err(Error::Output(format!(
                    "open {}: no such file or directory",
                    saved.display()
                )));
            }
        },
    };
    Ok(Some(value.strip_suffix('\n').unwrap_or(&value).to_owned()))
}

/// `path` itself when it lies on a volume the user containers mount (wait mounts them too):
/// a container set's sibling may write it after `main` exited and its copy was taken.
fn on_shared_volume(config: &ExecutorConfig, path: &str) -> Option<std::path::PathBuf> {
    let template = &config.template;
    let mut mounts: Vec<&str> = Vec::new();
    if let Some(main) = template.main_container() {
        mounts.extend(
            main.volume_mounts
                .iter()
                .flatten()
                .map(|m| m.mount_path.as_str()),
        );
    }
    if let Some(set) = &template.container_set {
        mounts.extend(set.volume_mounts.iter().map(|m| m.mount_path.as_str()));
        for node in &set.containers {
            let own = node.container.volume_mounts.iter().flatten();
            mounts.extend(own.map(|m| m.mount_path.as_str()));
        }
    }
    let path = std::path::Path::new(path);
    mounts
        .into_iter()
        .map(|mount| mount.trim_end_matches('/'))
        .filter(|mount| !mount.is_empty() && !mount.starts_with("/var/run/argo"))
        .any(|mount| path.starts_with(mount))
        .then(|| path.to_path_buf())
}

/// main's stdout as `result`: one trailing newline trimmed, then the last 256 KiB.
pub fn script_result(stdout: &[u8]) -> String {
    let trimmed = stdout.strip_suffix(b"\n").unwrap_or(stdout);
    let start = trimmed.len().saturating_sub(MAX_RESULT_BYTES);
    String::from_utf8_lossy(&trimmed[start..]).into_owned()
}

/// The key prefix of this pod's outputs: the template's `archiveLocation` key when the
/// controller resolved one, else the repository's key format.
fn key_prefix(config: &ExecutorConfig) -> Result<String> {
    if let Some(key) = config
        .template
        .archive_location
        .as_ref()
        .and_then(|l| l.s3.as_ref())
        .map(|s3| s3.key.clone())
        .filter(|k| !k.is_empty())
    {
        return Ok(key);
    }
    let context = KeyContext::new(&config.workflow_name, &config.pod_name)
        .with("workflow.uid", &config.workflow_uid)
        .with("workflow.namespace", &config.namespace);
    Ok(context.render(&config.artifacts.key_format)?)
}

fn bucket<'a>(config: &'a ExecutorConfig, repository: Option<&'a DefaultRepository>) -> &'a str {
    repository.map_or(config.artifacts.bucket.as_str(), |r| r.bucket.as_str())
}

async fn save_output_artifact(
    config: &ExecutorConfig,
    repository: Option<&DefaultRepository>,
    artifact: &Artifact,
    key_prefix: &str,
) -> Result<Option<Artifact>> {
    if artifact.path.is_empty() {
        return Ok(None);
    }
    let mut staged = config.var_run.output_artifact(&artifact.path);
    if !staged.exists()
        && let Some(direct) = on_shared_volume(config, &artifact.path)
        && direct.exists()
    {
        staged = direct;
    }
    if !staged.exists() {
        if artifact.optional {
            return Ok(None);
        }
        return Err(Error::Output(format!(
            "{} no such file or directory",
            artifact.path
        )));
    }
    let repository = repository.ok_or_else(|| {
        Error::Artifact(argo_artifact::Error::NoLocation {
            name: artifact.name.clone(),
        })
    })?;
    let object = location::output_object(artifact, &repository.bucket, key_prefix)?;
    let kind = ArchiveKind::of(artifact.archive.as_ref());
    transfer::save(repository.repository.as_ref(), &staged, kind, &object).await?;
    Ok(Some(reported(artifact.clone(), &object)))
}

fn reported(mut artifact: Artifact, object: &ObjectLocation) -> Artifact {
    let archive_logs = artifact.location.archive_logs;
    artifact.location = location::reported_location(object);
    artifact.location.archive_logs = archive_logs;
    artifact
}

async fn save_main_log(
    config: &ExecutorConfig,
    repository: Option<&DefaultRepository>,
    key_prefix: &str,
) -> Result<Option<Artifact>> {
    let log = config.var_run.combined("main");
    if !log.exists() {
        return Ok(None);
    }
    let repository = repository.ok_or_else(|| {
        Error::Artifact(argo_artifact::Error::NoLocation {
            name: "main-logs".to_owned(),
        })
    })?;
    let object =
        ObjectLocation::new(bucket(config, Some(repository)), key_prefix).child("main.log");
    transfer::save(
        repository.repository.as_ref(),
        &log,
        ArchiveKind::None,
        &object,
    )
    .await?;
    Ok(Some(reported(Artifact::at_path("main-logs", ""), &object)))
}

#[cfg(test)]
#[path = "outputs_tests.rs"]
mod tests;
