//! The files of the emissary protocol under `/var/run/argo` (an emptyDir shared by all the
//! pod's containers). Must not: read or write them; this module only names them.

use std::path::{Path, PathBuf};

/// The default shared directory.
pub const DEFAULT_VAR_RUN_ARGO: &str = "/var/run/argo";
/// Where the pod renderer points a script's argument.
pub const SCRIPT_ARG_PATH: &str = "/argo/staging/script";

/// Paths inside the shared directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VarRunArgo {
    root: PathBuf,
}

impl VarRunArgo {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        VarRunArgo { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The executor binary the main container's command starts with.
    pub fn executor_binary(&self) -> PathBuf {
        self.root.join("argoexec")
    }

    /// The resolved template, written by `init`.
    pub fn template(&self) -> PathBuf {
        self.root.join("template")
    }

    /// The staged script source.
    pub fn script(&self) -> PathBuf {
        self.root.join("staging/script")
    }

    /// Where `init` puts the input artifact called `name`.
    pub fn input_artifact(&self, name: &str) -> PathBuf {
        self.root.join("inputs/artifacts").join(name)
    }

    /// One container's directory (`exitcode`, `stdout`, `combined`, `signal`).
    pub fn container(&self, container: &str) -> PathBuf {
        self.root.join("ctr").join(container)
    }

    /// The FIFO `wait` reads and an emissary writes a byte to once it wrote an exit code.
    pub fn exits_fifo(&self) -> PathBuf {
        self.root.join("exits")
    }

    pub fn exit_code(&self, container: &str) -> PathBuf {
        self.container(container).join("exitcode")
    }

    pub fn stdout(&self, container: &str) -> PathBuf {
        self.container(container).join("stdout")
    }

    /// stdout and stderr interleaved: the container's log.
    pub fn combined(&self, container: &str) -> PathBuf {
        self.container(container).join("combined")
    }

    /// A signal number the emissary forwards to its command (written by `wait`).
    pub fn signal(&self, container: &str) -> PathBuf {
        self.container(container).join("signal")
    }

    /// Where the emissary copies the output parameter file at `path`.
    pub fn output_parameter(&self, path: &str) -> PathBuf {
        self.root
            .join("outputs/parameters")
            .join(path.trim_start_matches('/'))
    }

    /// Where the emissary copies the output artifact at `path` (same base name, so the
    /// archive `wait` makes of it has the entry Argo's has).
    pub fn output_artifact(&self, path: &str) -> PathBuf {
        let trimmed = path.trim_start_matches('/').trim_end_matches('/');
        let trimmed = if trimmed.is_empty() { "root" } else { trimmed };
        self.root.join("outputs/artifacts").join(trimmed)
    }
}

impl Default for VarRunArgo {
    fn default() -> Self {
        VarRunArgo::new(DEFAULT_VAR_RUN_ARGO)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_are_kept_under_their_absolute_path() {
        let layout = VarRunArgo::default();
        assert_eq!(
            layout.output_parameter("/tmp/hello.txt"),
            Path::new("/var/run/argo/outputs/parameters/tmp/hello.txt")
        );
        assert_eq!(
            layout.output_artifact("/tmp/out/"),
            Path::new("/var/run/argo/outputs/artifacts/tmp/out")
        );
        assert_eq!(
            layout.exit_code("main"),
            Path::new("/var/run/argo/ctr/main/exitcode")
        );
    }
}
