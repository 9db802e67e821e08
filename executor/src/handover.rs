//! The hand-over of output files from the main container to `wait`: the emissary copies each
//! declared output (file or directory tree) to `outputs/` in the shared directory before it
//! writes the exit code, so `wait` never sees a half-written output. Symbolic links are
//! followed; a link that points nowhere is skipped (as `/etc` often holds some), since
//! nothing could be archived from it.
//! Must not: archive, compress or talk to a repository (`wait` and `argo-artifact` do that).

use std::path::Path;

use crate::error::{Error, Result};

/// Copies the file or directory at `source` to `target` (created, parents included), following
/// symbolic links; returns the paths skipped because they were dangling links.
pub fn copy_tree(source: &Path, target: &Path) -> Result<Vec<std::path::PathBuf>> {
    let mut skipped = Vec::new();
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(Error::io("creating", parent))?;
    }
    copy_entry(source, target, &mut skipped, 0)?;
    Ok(skipped)
}

/// Deeper than this, a directory is assumed to loop through its links.
const MAX_DEPTH: usize = 64;

fn copy_entry(
    source: &Path,
    target: &Path,
    skipped: &mut Vec<std::path::PathBuf>,
    depth: usize,
) -> Result<()> {
    let metadata = match std::fs::metadata(source) {
        Ok(metadata) => metadata,
        Err(_) if std::fs::symlink_metadata(source).is_ok() => {
            skipped.push(source.to_path_buf());
            return Ok(());
        }
        Err(error) => return Err(Error::io("reading", source)(error)),
    };
    if metadata.is_dir() {
        if depth > MAX_DEPTH {
            skipped.push(source.to_path_buf());
            return Ok(());
        }
        std::fs::create_dir_all(target).map_err(Error::io("creating", target))?;
        let entries = std::fs::read_dir(source).map_err(Error::io("listing", source))?;
        for entry in entries {
            let entry = entry.map_err(Error::io("listing", source))?;
            copy_entry(
                &entry.path(),
                &target.join(entry.file_name()),
                skipped,
                depth + 1,
            )?;
        }
        return Ok(());
    }
    if !metadata.is_file() {
        // Sockets, fifos and devices carry no content to hand over.
        skipped.push(source.to_path_buf());
        return Ok(());
    }
    match std::fs::copy(source, target) {
        Ok(_) => Ok(()),
        // Unreadable files (e.g. /etc/shadow for a non-root user) are skipped, not fatal.
        Err(error) if error.kind() == std::io::ErrorKind::PermissionDenied => {
            skipped.push(source.to_path_buf());
            Ok(())
        }
        Err(error) => Err(Error::io("copying", source)(error)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_directory_is_copied_with_links_followed_and_dangling_links_skipped() {
        let temp = tempfile::tempdir().unwrap();
        let source = temp.path().join("src");
        std::fs::create_dir_all(source.join("sub")).unwrap();
        std::fs::write(source.join("a.txt"), "a").unwrap();
        std::fs::write(source.join("sub/b.txt"), "b").unwrap();
        std::os::unix::fs::symlink(source.join("a.txt"), source.join("link")).unwrap();
        std::os::unix::fs::symlink(temp.path().join("nowhere"), source.join("dangling")).unwrap();
        let target = temp.path().join("out/deep/src");
        let skipped = copy_tree(&source, &target).unwrap();
        assert_eq!(skipped, [source.join("dangling")]);
        assert_eq!(std::fs::read_to_string(target.join("a.txt")).unwrap(), "a");
        assert_eq!(
            std::fs::read_to_string(target.join("sub/b.txt")).unwrap(),
            "b"
        );
        assert_eq!(std::fs::read_to_string(target.join("link")).unwrap(), "a");
        assert!(!target.join("dangling").exists());
    }

    #[test]
    fn a_single_file_is_copied_to_its_target() {
        let temp = tempfile::tempdir().unwrap();
        let source = temp.path().join("one.txt");
        std::fs::write(&source, "1").unwrap();
        let target = temp.path().join("x/one.txt");
        assert!(copy_tree(&source, &target).unwrap().is_empty());
        assert_eq!(std::fs::read_to_string(target).unwrap(), "1");
    }

    #[test]
    fn a_missing_source_is_an_error_naming_it() {
        let temp = tempfile::tempdir().unwrap();
        let error = copy_tree(&temp.path().join("gone"), &temp.path().join("t")).unwrap_err();
        assert!(error.to_string().contains("gone"), "{error}");
    }
}
