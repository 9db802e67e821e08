//! Which UI `argo server` serves: a directory given with `--ui-dir` (development), else the UI
//! built into the binary, else a built `ui/dist` found on disk (beside the binary, in the
//! repository the binary was built in, or under the working directory), else a page saying the
//! UI was not built and how to build it. A directory counts only if it has an `index.html`.
//!
//! Must not: serve files (the gateway's asset providers do).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use gateway::ui::{AssetProvider, DirectoryAssets, EmbeddedAssets, NotBuiltPage};

/// Where the served UI comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UiSource {
    /// Files read from this directory on each request.
    Directory(PathBuf),
    /// The files compiled into the binary.
    Embedded,
    /// No UI: every page explains how to build it.
    NotBuilt,
}

/// The UI to serve, given `--ui-dir` (if any).
pub fn select(explicit: Option<&Path>) -> (UiSource, Arc<dyn AssetProvider>) {
    select_from(explicit, EmbeddedAssets::get(), default_ui_dir)
}

fn select_from(
    explicit: Option<&Path>,
    embedded: Option<EmbeddedAssets>,
    discover: impl FnOnce() -> Option<PathBuf>,
) -> (UiSource, Arc<dyn AssetProvider>) {
    if let Some(dir) = explicit {
        return directory(dir.to_path_buf());
    }
    if let Some(assets) = embedded {
        return (UiSource::Embedded, Arc::new(assets));
    }
    match discover() {
        Some(dir) => directory(dir),
        None => (UiSource::NotBuilt, Arc::new(NotBuiltPage)),
    }
}

fn directory(dir: PathBuf) -> (UiSource, Arc<dyn AssetProvider>) {
    let assets = Arc::new(DirectoryAssets::new(&dir));
    (UiSource::Directory(dir), assets)
}

/// The first directory that holds a built UI, looking from `executable` and `working_dir`.
pub fn find_ui_dir(executable: Option<&Path>, working_dir: Option<&Path>) -> Option<PathBuf> {
    let mut candidates = Vec::new();
    if let Some(directory) = executable.and_then(Path::parent) {
        // beside the binary, then up to three levels (target/debug/deps/<test> -> repo)
        for ancestor in directory.ancestors().take(4) {
            candidates.push(ancestor.join("ui").join("dist"));
        }
    }
    if let Some(directory) = working_dir {
        candidates.push(directory.join("ui").join("dist"));
    }
    candidates
        .into_iter()
        .find(|candidate| candidate.join("index.html").is_file())
}

/// [`find_ui_dir`] from the running program and the current directory.
pub fn default_ui_dir() -> Option<PathBuf> {
    let executable = std::env::current_exe().ok();
    let working_dir = std::env::current_dir().ok();
    find_ui_dir(executable.as_deref(), working_dir.as_deref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_repository_ui_is_found_from_a_target_binary() {
        let repo = tempfile::tempdir().expect("temp dir");
        let dist = repo.path().join("ui/dist");
        std::fs::create_dir_all(&dist).expect("dist");
        std::fs::write(dist.join("index.html"), "<html/>").expect("index");
        let binary = repo.path().join("target/debug/argo");
        assert_eq!(find_ui_dir(Some(&binary), None), Some(dist));
    }

    #[test]
    fn a_directory_without_index_html_is_not_a_ui() {
        let repo = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(repo.path().join("ui/dist")).expect("dist");
        let binary = repo.path().join("target/debug/argo");
        assert_eq!(find_ui_dir(Some(&binary), Some(repo.path())), None);
    }

    #[test]
    fn an_explicit_directory_wins_over_everything() {
        let (source, _) = select_from(Some(Path::new("/srv/ui")), None, || {
            Some(PathBuf::from("/elsewhere"))
        });
        assert_eq!(source, UiSource::Directory(PathBuf::from("/srv/ui")));
    }

    #[test]
    fn without_a_built_ui_anywhere_the_not_built_page_is_served() {
        let (source, assets) = select_from(None, None, || None);
        assert_eq!(source, UiSource::NotBuilt);
        let page = String::from_utf8(assets.get("index.html").expect("page")).expect("utf-8");
        assert!(page.contains("npm run build"), "{page}");
    }

    #[test]
    fn a_ui_found_on_disk_is_served_when_none_is_embedded() {
        let (source, _) = select_from(None, None, || Some(PathBuf::from("/repo/ui/dist")));
        assert_eq!(source, UiSource::Directory(PathBuf::from("/repo/ui/dist")));
    }

    #[test]
    fn the_default_choice_prefers_the_embedded_ui() {
        let (source, _) = select(None);
        match EmbeddedAssets::get() {
            Some(_) => assert_eq!(source, UiSource::Embedded),
            None => assert_ne!(source, UiSource::Embedded),
        }
    }
}
