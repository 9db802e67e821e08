//! Artifact rules: whether an artifact names a storage location, Argo's path clean-up with its
//! directory-traversal guard, and the per-location checks Argo performs (git needs a repo,
//! HDFS needs addresses and a path).
//!
//! Must not: touch storage or resolve artifact repositories.

use serde_json::Value;

use crate::location::Loc;
use crate::manifest::{array, field, str};

/// The artifact location kinds an artifact or archive location may set.
const LOCATION_KEYS: [&str; 10] = [
    "s3",
    "git",
    "http",
    "artifactory",
    "hdfs",
    "raw",
    "oss",
    "gcs",
    "azure",
    "plugin",
];

/// Whether the artifact names a location or a key within the default repository.
pub fn has_location_or_key(artifact: &Value) -> bool {
    LOCATION_KEYS
        .iter()
        .any(|key| field(artifact, key).is_some())
}

/// Checks an artifact path the way Argo cleans it; returns the problem, if any.
pub fn path_problem(artifact: &Value) -> Option<String> {
    let name = str(artifact, "name");
    let path = str(artifact, "path");
    if path.is_empty() {
        return Some(format!("Artifact '{name}' did not specify a path"));
    }
    let safe_dir = if let Some(at) = path.find("/../") {
        Some(&path[..at])
    } else {
        path.strip_suffix("/..")
    };
    let safe_dir = safe_dir.filter(|dir| !dir.is_empty())?;
    let cleaned = clean_path(path);
    let safe_prefix = format!("{safe_dir}/");
    if !cleaned.starts_with(&safe_prefix) || cleaned.len() <= safe_prefix.len() {
        return Some(format!(
            "Artifact '{name}' attempted to use a path containing '..'. Directory traversal is not permitted"
        ));
    }
    None
}

/// Lexical path clean-up with Go's `filepath.Clean` rules.
fn clean_path(path: &str) -> String {
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|last| *last != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_owned(),
        (false, false) => joined,
    }
}

/// Argo's location checks; `prefix` names the artifact in messages (`templates.t.inputs.artifacts.a`).
pub fn location_problem(prefix: &str, location: &Value) -> Option<(String, Loc)> {
    if let Some(git) = field(location, "git")
        && str(git, "repo").is_empty()
    {
        return Some((
            format!("{prefix}.git.repo is required"),
            Loc::root().key("git").key("repo"),
        ));
    }
    if let Some(hdfs) = field(location, "hdfs") {
        let at = Loc::root().key("hdfs");
        if array(hdfs, "addresses").is_empty() {
            return Some((format!("{prefix}.hdfs.addresses is required"), at));
        }
        let path = str(hdfs, "path");
        if path.is_empty() {
            return Some((format!("{prefix}.hdfs.path is required"), at));
        }
        if !path.starts_with('/') {
            return Some((
                format!("{prefix}.hdfs.path must be a absolute file path"),
                at,
            ));
        }
        let ccache = field(hdfs, "krbCCacheSecret").is_some();
        let keytab = field(hdfs, "krbKeytabSecret").is_some();
        if str(hdfs, "hdfsUser").is_empty() && !ccache && !keytab {
            let p = format!("{prefix}.hdfs");
            return Some((
                format!(
                    "either {p}.hdfsUser, {p}.krbCCacheSecret or {p}.krbKeytabSecret is required"
                ),
                at,
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn traversal_out_of_the_safe_directory_is_refused() {
        let escaping = json!({"name": "a", "path": "/tmp/safe/../../etc"});
        assert!(path_problem(&escaping).is_some());
        let inside = json!({"name": "a", "path": "/tmp/safe/../safe/x"});
        assert!(path_problem(&inside).is_none());
    }

    #[test]
    fn clean_path_matches_go() {
        assert_eq!(clean_path("/a/b/../c/./d/"), "/a/c/d");
        assert_eq!(clean_path("/../x"), "/x");
        assert_eq!(clean_path("a/../.."), "..");
    }

    #[test]
    fn git_artifacts_need_a_repo() {
        let artifact = json!({"git": {"revision": "main"}});
        let (message, _) = location_problem("x", &artifact).expect("missing repo");
        assert_eq!(message, "x.git.repo is required");
    }
}
