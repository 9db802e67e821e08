//! Where the UI's built files are when no `--ui-dir` is given: `ui/dist` beside the binary, in
//! the repository the binary was built in (`target/<profile>/argo` -> `../../ui/dist`), or
//! under the working directory. A directory counts only if it has an `index.html`.
//!
//! Must not: serve files (the gateway's `DirectoryAssets` does).

use std::path::{Path, PathBuf};

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
}
