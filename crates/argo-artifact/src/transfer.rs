//! Moving one artifact between a local path and a repository: packing with its archive
//! strategy on save; on load downloading, unpacking (explicit strategy, else tar+gzip
//! auto-detected), picking `subPath` and applying `mode`. Directory objects (a `none` strategy
//! on a directory) are one object per file under the key. Must not: decide keys or locations.

use std::path::{Component, Path, PathBuf};

use argo_core::Artifact;

use crate::archive::{self, ArchiveKind};
use crate::error::{Error, Result};
use crate::repository::{ArtifactRepository, ObjectLocation};

async fn blocking(work: impl FnOnce() -> Result<()> + Send + 'static) -> Result<()> {
    tokio::task::spawn_blocking(work)
        .await
        .unwrap_or_else(|join| {
            Err(Error::Io {
                action: "running archive work",
                path: PathBuf::new(),
                source: std::io::Error::other(join.to_string()),
            })
        })
}

fn parent_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

fn temp_dir_beside(path: &Path) -> Result<tempfile::TempDir> {
    let parent = parent_of(path);
    std::fs::create_dir_all(parent).map_err(Error::io("creating", parent))?;
    tempfile::Builder::new()
        .prefix(".argo-artifact-")
        .tempdir_in(parent)
        .map_err(Error::io("creating a temporary directory in", parent))
}

/// Saves the file or directory at `source` as `object`, packed as `kind` says.
pub async fn save(
    repository: &dyn ArtifactRepository,
    source: &Path,
    kind: ArchiveKind,
    object: &ObjectLocation,
) -> Result<()> {
    let metadata = tokio::fs::metadata(source)
        .await
        .map_err(Error::io("reading", source))?;
    if kind == ArchiveKind::None {
        if metadata.is_file() {
            return repository.put_file(object, source).await;
        }
        let mut files = Vec::new();
        collect_files(source, source, &mut files)?;
        for relative in files {
            let key = relative.to_string_lossy().replace('\\', "/");
            repository
                .put_file(&object.child(&key), &source.join(&relative))
                .await?;
        }
        return Ok(());
    }
    let packed_dir =
        tempfile::tempdir().map_err(Error::io("creating a temporary directory", "."))?;
    let packed = packed_dir.path().join("artifact");
    let (from, to) = (source.to_path_buf(), packed.clone());
    blocking(move || match kind {
        ArchiveKind::Zip => archive::pack_zip(&from, &to),
        ArchiveKind::TarGz { level } => archive::pack_tar_gz(&from, &to, level),
        ArchiveKind::None => Ok(()),
    })
    .await?;
    repository.put_file(object, &packed).await
}

fn collect_files(base: &Path, directory: &Path, into: &mut Vec<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(directory).map_err(Error::io("listing", directory))? {
        let path = entry.map_err(Error::io("listing", directory))?.path();
        if path.is_dir() {
            collect_files(base, &path, into)?;
        } else if let Ok(relative) = path.strip_prefix(base) {
            into.push(relative.to_path_buf());
        }
    }
    Ok(())
}

/// Checks that a `subPath` stays inside the artifact.
fn checked_sub_path(artifact: &Artifact) -> Result<Option<&Path>> {
    let sub_path = artifact.sub_path.trim_matches('/');
    if sub_path.is_empty() {
        return Ok(None);
    }
    let path = Path::new(sub_path);
    if path
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return Err(Error::SubPath {
            name: artifact.name.clone(),
            sub_path: artifact.sub_path.clone(),
            reason: "must be a relative path without '.' or '..'",
        });
    }
    Ok(Some(path))
}

/// Loads `object` to `destination` for `artifact` (its archive strategy, `subPath` and
/// `mode`). A missing object is [`Error::NotFound`]; skipping optional artifacts is the
/// caller's choice.
pub async fn load(
    repository: &dyn ArtifactRepository,
    artifact: &Artifact,
    object: &ObjectLocation,
    destination: &Path,
) -> Result<()> {
    let sub_path = checked_sub_path(artifact)?;
    let staging = temp_dir_beside(destination)?;
    let unpacked = staging.path().join("artifact");
    if repository.exists(object).await? {
        let downloaded = staging.path().join("download");
        repository.get_file(object, &downloaded).await?;
        let kind = artifact.archive.as_ref().map(|s| ArchiveKind::of(Some(s)));
        let target = unpacked.clone();
        blocking(move || match kind {
            Some(ArchiveKind::TarGz { .. }) => archive::unpack_tar_gz(&downloaded, &target),
            Some(ArchiveKind::Zip) => archive::unpack_zip(&downloaded, &target),
            None if archive::is_tar_gz(&downloaded) => archive::unpack_tar_gz(&downloaded, &target),
            _ => std::fs::rename(&downloaded, &target).map_err(Error::io("moving", &target)),
        })
        .await?;
    } else {
        let keys = repository.list(object).await?;
        if keys.is_empty() {
            return Err(Error::NotFound {
                bucket: object.bucket.clone(),
                key: object.key.clone(),
            });
        }
        let prefix = format!("{}/", object.key.trim_end_matches('/'));
        for key in keys {
            let relative = key.strip_prefix(&prefix).unwrap_or(&key);
            let target = unpacked.join(relative);
            std::fs::create_dir_all(parent_of(&target)).map_err(Error::io("creating", &target))?;
            repository
                .get_file(
                    &ObjectLocation::new(object.bucket.clone(), key.clone()),
                    &target,
                )
                .await?;
        }
    }
    let chosen = match sub_path {
        Some(sub_path) => {
            let chosen = unpacked.join(sub_path);
            if std::fs::symlink_metadata(&chosen).is_err() {
                return Err(Error::SubPath {
                    name: artifact.name.clone(),
                    sub_path: artifact.sub_path.clone(),
                    reason: "does not exist in the artifact",
                });
            }
            chosen
        }
        None => unpacked,
    };
    archive::remove_existing(destination)?;
    std::fs::rename(&chosen, destination).map_err(Error::io("moving into place", destination))?;
    apply_mode(artifact, destination)
}

/// Writes inline (`raw`) artifact data to `destination`, with the artifact's `mode`.
pub fn write_raw(artifact: &Artifact, data: &str, destination: &Path) -> Result<()> {
    std::fs::create_dir_all(parent_of(destination)).map_err(Error::io("creating", destination))?;
    std::fs::write(destination, data).map_err(Error::io("writing", destination))?;
    apply_mode(artifact, destination)
}

fn apply_mode(artifact: &Artifact, path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt as _;
    let Some(mode) = artifact.mode else {
        return Ok(());
    };
    let mode = u32::try_from(mode).unwrap_or(0o644) & 0o7777;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .map_err(Error::io("setting the mode of", path))
}

#[cfg(test)]
#[path = "transfer_tests.rs"]
mod tests;
