//! The local-directory repository: object `bucket/key` is the file `<root>/<bucket>/<key>`.
//! It is the default repository of local mode, so Argo's key-only artifacts resolve against it.
//! Writes go to a temporary file renamed into place, so concurrent pods never see half an
//! object. Must not: accept keys that leave the root (`..`, absolute keys).

use std::path::{Component, Path, PathBuf};

use async_trait::async_trait;

use crate::error::{Error, Result};
use crate::repository::{ArtifactRepository, ObjectLocation, ObjectReader};

/// Objects as files under one root directory.
#[derive(Clone, Debug)]
pub struct LocalRepository {
    root: PathBuf,
}

impl LocalRepository {
    /// A repository rooted at `root` (created on first write).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        LocalRepository { root: root.into() }
    }

    /// The root directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The file that holds `object`, after checking that its bucket and key stay inside the root.
    pub fn path_of(&self, object: &ObjectLocation) -> Result<PathBuf> {
        let bucket = checked_relative(&object.bucket, "bucket")?;
        let key = checked_relative(object.key.trim_end_matches('/'), "key")?;
        Ok(self.root.join(bucket).join(key))
    }
}

fn checked_relative<'a>(text: &'a str, what: &'static str) -> Result<&'a Path> {
    let invalid = |reason| Error::InvalidKey {
        key: text.to_owned(),
        reason,
    };
    if text.is_empty() {
        return Err(invalid(if what == "bucket" {
            "the bucket is empty"
        } else {
            "the key is empty"
        }));
    }
    let path = Path::new(text);
    for component in path.components() {
        match component {
            Component::Normal(_) => {}
            Component::CurDir => return Err(invalid("it contains a '.' segment")),
            Component::ParentDir => return Err(invalid("it contains a '..' segment")),
            Component::RootDir | Component::Prefix(_) => return Err(invalid("it is absolute")),
        }
    }
    Ok(path)
}

fn not_found(object: &ObjectLocation) -> Error {
    Error::NotFound {
        bucket: object.bucket.clone(),
        key: object.key.clone(),
    }
}

/// Copies `source` to `destination` through a temporary file beside it, then renames.
fn copy_atomically(source: &Path, destination: &Path) -> Result<()> {
    let parent = destination
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(Error::io("creating", parent))?;
    let temporary = tempfile::Builder::new()
        .prefix(".argo-partial-")
        .tempfile_in(parent)
        .map_err(Error::io("creating a temporary file in", parent))?;
    std::fs::copy(source, temporary.path()).map_err(Error::io("copying", source))?;
    temporary
        .persist(destination)
        .map_err(|e| Error::io("moving into place", destination)(e.error))?;
    Ok(())
}

fn list_files(base: &Path, directory: &Path, into: &mut Vec<String>) -> Result<()> {
    let entries = match std::fs::read_dir(directory) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io("listing", directory)(e)),
    };
    for entry in entries {
        let entry = entry.map_err(Error::io("listing", directory))?;
        let path = entry.path();
        let name = entry.file_name();
        if name.to_string_lossy().starts_with(".argo-partial-") {
            continue;
        }
        let file_type = entry.file_type().map_err(Error::io("reading", &path))?;
        if file_type.is_dir() {
            list_files(base, &path, into)?;
        } else if let Ok(relative) = path.strip_prefix(base) {
            into.push(relative.to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(())
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .unwrap_or_else(|join| {
            Err(Error::Io {
                action: "running blocking file work",
                path: PathBuf::new(),
                source: std::io::Error::other(join.to_string()),
            })
        })
}

#[async_trait]
impl ArtifactRepository for LocalRepository {
    async fn put_file(&self, object: &ObjectLocation, source: &Path) -> Result<()> {
        let destination = self.path_of(object)?;
        let source = source.to_path_buf();
        blocking(move || copy_atomically(&source, &destination)).await
    }

    async fn get_file(&self, object: &ObjectLocation, destination: &Path) -> Result<()> {
        let source = self.path_of(object)?;
        if !tokio::fs::metadata(&source)
            .await
            .is_ok_and(|m| m.is_file())
        {
            return Err(not_found(object));
        }
        let destination = destination.to_path_buf();
        blocking(move || copy_atomically(&source, &destination)).await
    }

    async fn open(&self, object: &ObjectLocation) -> Result<ObjectReader> {
        let path = self.path_of(object)?;
        match tokio::fs::File::open(&path).await {
            Ok(file) if file.metadata().await.is_ok_and(|m| m.is_file()) => Ok(Box::pin(file)),
            Ok(_) => Err(not_found(object)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(not_found(object)),
            Err(e) => Err(Error::io("opening", path)(e)),
        }
    }

    async fn exists(&self, object: &ObjectLocation) -> Result<bool> {
        let path = self.path_of(object)?;
        Ok(tokio::fs::metadata(&path).await.is_ok_and(|m| m.is_file()))
    }

    async fn list(&self, prefix: &ObjectLocation) -> Result<Vec<String>> {
        let bucket_root = self.root.join(checked_relative(&prefix.bucket, "bucket")?);
        let start = if prefix.key.trim_matches('/').is_empty() {
            bucket_root.clone()
        } else {
            self.path_of(prefix)?
        };
        blocking(move || {
            let mut keys = Vec::new();
            if start.is_dir() {
                list_files(&bucket_root, &start, &mut keys)?;
            }
            keys.sort();
            Ok(keys)
        })
        .await
    }

    async fn delete(&self, object: &ObjectLocation) -> Result<()> {
        let path = self.path_of(object)?;
        match tokio::fs::remove_file(&path).await {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(Error::io("removing", path)(e)),
        }
    }
}

#[cfg(test)]
#[path = "local_tests.rs"]
mod tests;
