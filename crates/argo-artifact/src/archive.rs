//! Packing a file or directory into one object and back: tar+gzip (Argo's default, `.tgz`),
//! zip, or nothing. Archives hold one top entry named after the source's base name, as
//! Argo's executor writes them. These functions block: async callers run them on a blocking
//! thread. Must not: talk to a repository.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use argo_core::ArchiveStrategy;
use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;

use crate::error::{Error, Result};

/// How an artifact is packed, decided from its `archive` field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArchiveKind {
    /// tar+gzip at a compression level (0-9; `None` is gzip's default).
    TarGz { level: Option<u32> },
    /// The file as it is; a directory becomes one object per file.
    None,
    /// A zip archive.
    Zip,
}

impl ArchiveKind {
    /// The kind an artifact's strategy asks for; tar+gzip when none is set. A negative or
    /// out-of-range tar compression level means gzip's default, as Go's `-1` does.
    pub fn of(strategy: Option<&ArchiveStrategy>) -> Self {
        match strategy {
            Some(s) if s.none.is_some() => ArchiveKind::None,
            Some(s) if s.zip.is_some() => ArchiveKind::Zip,
            Some(s) => ArchiveKind::TarGz {
                level: s
                    .tar
                    .as_ref()
                    .and_then(|t| t.compression_level)
                    .and_then(|l| u32::try_from(l).ok())
                    .filter(|l| *l <= 9),
            },
            None => ArchiveKind::TarGz { level: None },
        }
    }

    /// The object's file name for an artifact called `name` at `path`: `<name>.tgz`,
    /// `<name>.zip`, or the path's base name when not archived.
    pub fn file_name(self, name: &str, path: &str) -> String {
        match self {
            ArchiveKind::TarGz { .. } => format!("{name}.tgz"),
            ArchiveKind::Zip => format!("{name}.zip"),
            ArchiveKind::None => Path::new(path.trim_end_matches('/'))
                .file_name()
                .map_or_else(|| name.to_owned(), |n| n.to_string_lossy().into_owned()),
        }
    }
}

fn top_entry_name(source: &Path) -> Result<PathBuf> {
    source
        .file_name()
        .map(PathBuf::from)
        .ok_or_else(|| Error::Archive {
            path: source.to_path_buf(),
            reason: "cannot archive a path without a base name".to_owned(),
        })
}

/// Writes `source` (file or directory) as a tar+gzip archive to `archive`.
pub fn pack_tar_gz(source: &Path, archive: &Path, level: Option<u32>) -> Result<()> {
    let name = top_entry_name(source)?;
    let file = File::create(archive).map_err(Error::io("creating", archive))?;
    let level = level.map_or_else(Compression::default, Compression::new);
    let mut builder = tar::Builder::new(GzEncoder::new(BufWriter::new(file), level));
    let metadata = std::fs::metadata(source).map_err(Error::io("reading", source))?;
    let appended = if metadata.is_dir() {
        builder.append_dir_all(&name, source)
    } else {
        builder.append_path_with_name(source, &name)
    };
    appended.map_err(Error::io("archiving", source))?;
    let encoder = builder
        .into_inner()
        .map_err(Error::io("writing", archive))?;
    let mut writer = encoder
        .finish()
        .map_err(Error::io("compressing", archive))?;
    writer.flush().map_err(Error::io("writing", archive))
}

/// Writes `source` (file or directory) as a zip archive to `archive`.
pub fn pack_zip(source: &Path, archive: &Path) -> Result<()> {
    let name = top_entry_name(source)?;
    let file = File::create(archive).map_err(Error::io("creating", archive))?;
    let mut writer = zip::ZipWriter::new(BufWriter::new(file));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let zip_error = |e: zip::result::ZipError| Error::Archive {
        path: archive.to_path_buf(),
        reason: e.to_string(),
    };
    let mut pending = vec![(source.to_path_buf(), name)];
    while let Some((path, entry)) = pending.pop() {
        let entry_name = entry.to_string_lossy().replace('\\', "/");
        if path.is_dir() {
            writer
                .add_directory(format!("{entry_name}/"), options)
                .map_err(zip_error)?;
            let children = std::fs::read_dir(&path).map_err(Error::io("listing", &path))?;
            for child in children {
                let child = child.map_err(Error::io("listing", &path))?;
                pending.push((child.path(), entry.join(child.file_name())));
            }
        } else {
            writer.start_file(entry_name, options).map_err(zip_error)?;
            let mut input = File::open(&path).map_err(Error::io("opening", &path))?;
            std::io::copy(&mut input, &mut writer).map_err(Error::io("archiving", &path))?;
        }
    }
    let mut inner = writer.finish().map_err(zip_error)?;
    inner.flush().map_err(Error::io("writing", archive))
}

/// True when `path` is a gzip-compressed tar archive (what an unset strategy auto-detects).
pub fn is_tar_gz(path: &Path) -> bool {
    let Ok(file) = File::open(path) else {
        return false;
    };
    let mut magic = [0u8; 2];
    if BufReader::new(&file).read_exact(&mut magic).is_err() || magic != [0x1f, 0x8b] {
        return false;
    }
    let Ok(file) = File::open(path) else {
        return false;
    };
    let mut archive = tar::Archive::new(GzDecoder::new(BufReader::new(file)));
    archive
        .entries()
        .ok()
        .and_then(|mut entries| entries.next())
        .is_some_and(|entry| entry.is_ok())
}

/// Unpacks a tar+gzip archive so that its single top entry ends up at `destination`.
pub fn unpack_tar_gz(archive: &Path, destination: &Path) -> Result<()> {
    let staging = staging_dir(destination)?;
    let file = File::open(archive).map_err(Error::io("opening", archive))?;
    tar::Archive::new(GzDecoder::new(BufReader::new(file)))
        .unpack(staging.path())
        .map_err(Error::io("unpacking", archive))?;
    move_single_entry(staging.path(), destination)
}

/// Unpacks a zip archive so that its single top entry ends up at `destination`.
pub fn unpack_zip(archive: &Path, destination: &Path) -> Result<()> {
    let staging = staging_dir(destination)?;
    let file = File::open(archive).map_err(Error::io("opening", archive))?;
    let zip_error = |e: zip::result::ZipError| Error::Archive {
        path: archive.to_path_buf(),
        reason: e.to_string(),
    };
    zip::ZipArchive::new(BufReader::new(file))
        .map_err(zip_error)?
        .extract(staging.path())
        .map_err(zip_error)?;
    move_single_entry(staging.path(), destination)
}

/// A temporary directory beside `destination`, so the final rename stays on one filesystem.
fn staging_dir(destination: &Path) -> Result<tempfile::TempDir> {
    let parent = destination
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(Error::io("creating", parent))?;
    tempfile::Builder::new()
        .prefix(".argo-unpack-")
        .tempdir_in(parent)
        .map_err(Error::io("creating a temporary directory in", parent))
}

/// Moves the one entry of `staging` to `destination`; several entries move as a directory.
fn move_single_entry(staging: &Path, destination: &Path) -> Result<()> {
    let mut entries = std::fs::read_dir(staging)
        .map_err(Error::io("listing", staging))?
        .collect::<std::io::Result<Vec<_>>>()
        .map_err(Error::io("listing", staging))?;
    let source = if entries.len() == 1 {
        entries.remove(0).path()
    } else {
        let whole = staging.with_extension("all");
        std::fs::create_dir(&whole).map_err(Error::io("creating", &whole))?;
        for entry in entries {
            let target = whole.join(entry.file_name());
            std::fs::rename(entry.path(), &target).map_err(Error::io("moving", &target))?;
        }
        whole
    };
    remove_existing(destination)?;
    std::fs::rename(&source, destination).map_err(Error::io("moving into place", destination))
}

/// Removes whatever is at `path` (file, link or directory), if anything.
pub fn remove_existing(path: &Path) -> Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => {
            std::fs::remove_dir_all(path).map_err(Error::io("removing", path))
        }
        Ok(_) => std::fs::remove_file(path).map_err(Error::io("removing", path)),
        Err(_) => Ok(()),
    }
}

#[cfg(test)]
#[path = "archive_tests.rs"]
mod tests;
