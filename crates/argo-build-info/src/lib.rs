//! Build information of the running binary, in the shape of Argo's `Version` (the eight fields
//! `argo version` prints and `GetVersion` returns).
//!
//! Must not: be a dependency of library crates below the binaries (it changes on every commit).

/// The eight version fields Argo reports. `go_version` carries the Rust compiler version and
/// `compiler` says `rustc`, so clients that require every field still get them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildInfo {
    pub version: String,
    pub build_date: &'static str,
    pub git_commit: &'static str,
    pub git_tag: &'static str,
    pub git_tree_state: &'static str,
    pub go_version: String,
    pub compiler: &'static str,
    pub platform: String,
}

/// The crate version every binary of the workspace shares.
pub const PACKAGE_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Returns the build information of this binary.
///
/// The version is the git tag on a clean tagged commit (an official release); otherwise
/// `v<package version>+<short commit>[.dirty]`, or `+unknown` when built outside git.
pub fn build_info() -> BuildInfo {
    let commit = env!("ARGO_GIT_COMMIT");
    let tag = env!("ARGO_GIT_TAG");
    let tree_state = env!("ARGO_GIT_TREE_STATE");
    BuildInfo {
        version: version_string(PACKAGE_VERSION, commit, tag, tree_state),
        build_date: env!("ARGO_BUILD_DATE"),
        git_commit: commit,
        git_tag: tag,
        git_tree_state: tree_state,
        go_version: format!("rustc{}", env!("ARGO_RUSTC_VERSION")),
        compiler: "rustc",
        platform: format!(
            "{}/{}",
            std::env::consts::OS,
            go_arch(std::env::consts::ARCH)
        ),
    }
}

fn version_string(package: &str, commit: &str, tag: &str, tree_state: &str) -> String {
    if !commit.is_empty() && !tag.is_empty() && tree_state == "clean" {
        return tag.to_string();
    }
    match commit.get(..7) {
        Some(short) if tree_state == "clean" => format!("v{package}+{short}"),
        Some(short) => format!("v{package}+{short}.dirty"),
        None => format!("v{package}+unknown"),
    }
}

/// Go's GOARCH spelling of Rust's architecture names, as Argo's `Platform` field uses.
fn go_arch(arch: &str) -> &str {
    match arch {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "x86" => "386",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clean_tagged_commit_reports_its_tag() {
        assert_eq!(
            version_string("0.1.0", "abcdef0123", "v4.1.2", "clean"),
            "v4.1.2"
        );
    }

    #[test]
    fn an_untagged_commit_reports_package_version_and_short_commit() {
        assert_eq!(
            version_string("0.1.0", "abcdef0123", "", "clean"),
            "v0.1.0+abcdef0"
        );
        assert_eq!(
            version_string("0.1.0", "abcdef0123", "v1", "dirty"),
            "v0.1.0+abcdef0.dirty"
        );
    }

    #[test]
    fn a_build_outside_git_says_unknown() {
        assert_eq!(version_string("0.1.0", "", "", ""), "v0.1.0+unknown");
    }

    #[test]
    fn platform_uses_go_architecture_names() {
        assert_eq!(go_arch("x86_64"), "amd64");
        assert_eq!(go_arch("aarch64"), "arm64");
        assert_eq!(go_arch("riscv64"), "riscv64");
    }

    #[test]
    fn build_date_is_rfc3339_utc() {
        let date = build_info().build_date;
        assert_eq!(date.len(), 20, "{date}");
        assert!(date.ends_with('Z') && date.as_bytes()[10] == b'T', "{date}");
    }
}
