//! Where an absolute path of the container lands inside the container's root directory, seen
//! from the host before the root is entered.
//!
//! The container's root is an overlay of the host's root, so it holds the host's symbolic links:
//! `/var/run` -> `/run` on most distributions. Joining a mount path to the root directory and
//! creating or mounting there would follow such an absolute link out of the root, onto the host
//! (creating `/run/argo` on the host and binding a volume where the container never looks).
//! [`resolve_in_root`] follows links the way the container will after `pivot_root`: absolute
//! targets start again at the root, `..` never climbs above it.
//! Must not: create, mount or change anything; it only reads links.

use std::collections::VecDeque;
use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};

/// How many links one resolution follows before giving up (Linux's own limit).
const MAX_LINKS: usize = 40;

/// The host path of the container path `path` under `root`, with every symbolic link of its
/// existing prefix resolved inside `root`. Components that do not exist yet are appended as they
/// are. Returns an error naming the path for a link loop.
pub(crate) fn resolve_in_root(root: &Path, path: &str) -> Result<PathBuf, String> {
    let mut pending: VecDeque<OsString> = components(Path::new(path));
    // Components resolved so far, relative to the root.
    let mut resolved: Vec<OsString> = Vec::new();
    let mut links = 0;
    while let Some(name) = pending.pop_front() {
        if name == ".." {
            resolved.pop();
            continue;
        }
        let mut candidate = root.to_path_buf();
        candidate.extend(&resolved);
        candidate.push(&name);
        match std::fs::symlink_metadata(&candidate) {
            Ok(metadata) if metadata.file_type().is_symlink() => {
                links += 1;
                if links > MAX_LINKS {
                    return Err(format!(
                        "mount path {path}: too many levels of symbolic links"
                    ));
                }
                let target = std::fs::read_link(&candidate).map_err(|e| {
                    format!("mount path {path}: reading {}: {e}", candidate.display())
                })?;
                if target.is_absolute() {
                    resolved.clear();
                }
                let mut rest = components(&target);
                rest.extend(pending);
                pending = rest;
            }
            _ => resolved.push(name),
        }
    }
    let mut host = root.to_path_buf();
    host.extend(&resolved);
    Ok(host)
}

/// The normal and `..` components of `path`, without the root and `.` components.
fn components(path: &Path) -> VecDeque<OsString> {
    path.components()
        .filter_map(|component| match component {
            Component::Normal(name) => Some(name.to_owned()),
            Component::ParentDir => Some(OsString::from("..")),
            Component::RootDir | Component::CurDir | Component::Prefix(_) => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn root() -> tempfile::TempDir {
        let root = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(root.path().join("run")).expect("run");
        std::fs::create_dir_all(root.path().join("var")).expect("var");
        symlink("/run", root.path().join("var/run")).expect("absolute link");
        root
    }

    #[test]
    fn an_absolute_link_is_followed_inside_the_root_not_on_the_host() {
        let root = root();
        let host = resolve_in_root(root.path(), "/var/run/argo").expect("resolves");
        assert_eq!(host, root.path().join("run/argo"));
    }

    #[test]
    fn a_path_without_links_is_joined_to_the_root() {
        let root = root();
        let host = resolve_in_root(root.path(), "/mnt/out/data").expect("resolves");
        assert_eq!(host, root.path().join("mnt/out/data"));
    }

    #[test]
    fn relative_links_and_dot_dot_stay_inside_the_root() {
        let root = root();
        std::fs::create_dir_all(root.path().join("opt/real")).expect("real");
        symlink("../opt/real", root.path().join("var/data")).expect("relative link");
        let host = resolve_in_root(root.path(), "/var/data/x").expect("resolves");
        assert_eq!(host, root.path().join("opt/real/x"));
        let climbing = resolve_in_root(root.path(), "/../../etc").expect("resolves");
        assert_eq!(climbing, root.path().join("etc"));
    }

    #[test]
    fn a_link_loop_is_an_error_naming_the_path() {
        let root = root();
        symlink("/loop-b", root.path().join("loop-a")).expect("a");
        symlink("/loop-a", root.path().join("loop-b")).expect("b");
        let error = resolve_in_root(root.path(), "/loop-a/x").expect_err("a loop");
        assert!(error.contains("/loop-a/x"), "{error}");
    }
}
