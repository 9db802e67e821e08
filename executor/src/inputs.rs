//! `argoexec init`: stages what the main container needs before it starts — the resolved
//! template, the executor binary at `/var/run/argo/argoexec`, the script source and every input
//! artifact under `/var/run/argo/inputs/artifacts/<name>` (the emissary links them into place).
//! Must not: run user code or report outputs.

use std::path::Path;

use argo_artifact::location::{self, DefaultRepository, Resolved};
use argo_artifact::transfer;
use argo_core::Artifact;

use crate::config::ExecutorConfig;
use crate::error::{Error, Result};

/// Runs every staging step; `executor_binary` is the running program.
pub async fn init(
    config: &ExecutorConfig,
    repository: Option<&DefaultRepository>,
    executor_binary: &Path,
) -> Result<()> {
    let layout = &config.var_run;
    std::fs::create_dir_all(layout.root()).map_err(Error::io("creating", layout.root()))?;
    let template =
        serde_json::to_string(&config.template).map_err(|e| Error::Template(e.to_string()))?;
    std::fs::write(layout.template(), template).map_err(Error::io("writing", layout.template()))?;
    install_executor(executor_binary, &layout.executor_binary())?;
    if let Some(script) = &config.template.script
        && !script.source.is_empty()
    {
        let path = layout.script();
        create_parent(&path)?;
        std::fs::write(&path, &script.source).map_err(Error::io("writing", &path))?;
    }
    for artifact in &config.template.inputs.artifacts {
        stage_input_artifact(config, repository, artifact).await?;
    }
    Ok(())
}

fn create_parent(path: &Path) -> Result<()> {
    match path.parent() {
        Some(parent) => std::fs::create_dir_all(parent).map_err(Error::io("creating", parent)),
        None => Ok(()),
    }
}

/// Makes the executor available to the main container: a symbolic link when the binary is
/// visible there (local runtime), else a copy (a real pod's shared volume).
fn install_executor(binary: &Path, target: &Path) -> Result<()> {
    let _ = std::fs::remove_file(target);
    if std::os::unix::fs::symlink(binary, target).is_ok() {
        return Ok(());
    }
    std::fs::copy(binary, target)
        .map(|_| ())
        .map_err(Error::io("copying the executor to", target))
}

/// Loads one input artifact to its staging path; optional artifacts that are missing or have
/// no location are skipped, as Argo does.
pub async fn stage_input_artifact(
    config: &ExecutorConfig,
    repository: Option<&DefaultRepository>,
    artifact: &Artifact,
) -> Result<()> {
    let destination = config.var_run.input_artifact(&artifact.name);
    let bucket = repository.map_or(config.artifacts.bucket.as_str(), |r| r.bucket.as_str());
    let resolved = location::resolve(artifact, bucket)?;
    let object = match resolved {
        Some(Resolved::Raw(data)) => {
            return Ok(transfer::write_raw(artifact, &data, &destination)?);
        }
        Some(Resolved::Object(object)) => object,
        None if artifact.optional => {
            tracing::info!(name = %artifact.name, "skipping optional input artifact without a location");
            return Ok(());
        }
        None => {
            return Err(Error::Output(format!(
                "required artifact '{}' not supplied",
                artifact.name
            )));
        }
    };
    let repository = repository.ok_or_else(|| {
        Error::Artifact(argo_artifact::Error::NoLocation {
            name: artifact.name.clone(),
        })
    })?;
    create_parent(&destination)?;
    match transfer::load(
        repository.repository.as_ref(),
        artifact,
        &object,
        &destination,
    )
    .await
    {
        Ok(()) => Ok(()),
        Err(e) if e.is_not_found() && artifact.optional => {
            tracing::info!(name = %artifact.name, "skipping optional input artifact that was not found");
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
#[path = "inputs_tests.rs"]
pub(crate) mod tests;
