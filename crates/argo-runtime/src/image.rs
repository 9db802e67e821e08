//! The image shim table: images are never pulled, but a few are stood in for by programs the
//! project provides (`argoproj/argosay` by default). A shim supplies the image's entrypoint
//! (used when a container has no `command`) and maps absolute program paths that exist only
//! inside the image (such as `/argosay`) to host programs. Other images run the host's tools.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What stands in for one image.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImageShim {
    /// The image's `ENTRYPOINT`, used when the container sets no `command`.
    pub entrypoint: Vec<String>,
    /// Programs of the image and the host programs that replace them, by `command[0]`.
    pub programs: BTreeMap<String, PathBuf>,
}

/// Shims by image repository (the reference without tag or digest, e.g. `argoproj/argosay`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImageShims {
    by_repository: BTreeMap<String, ImageShim>,
}

impl ImageShims {
    /// An empty table: every image runs the host's tools.
    pub fn empty() -> Self {
        Self::default()
    }

    /// The default table: `argoproj/argosay` (any tag, with or without a registry prefix such as
    /// `docker.io/` or `quay.io/`) runs `argosay_program`.
    pub fn with_argosay(argosay_program: &Path) -> Self {
        let program = argosay_program.to_string_lossy().into_owned();
        let shim = ImageShim {
            entrypoint: vec![program],
            programs: BTreeMap::from([
                ("/argosay".to_string(), argosay_program.to_path_buf()),
                ("argosay".to_string(), argosay_program.to_path_buf()),
            ]),
        };
        let mut shims = Self::empty();
        shims.insert("argoproj/argosay", shim);
        shims
    }

    /// Adds or replaces the shim for `repository`.
    pub fn insert(&mut self, repository: &str, shim: ImageShim) {
        self.by_repository.insert(repository.to_string(), shim);
    }

    /// The shim for an image reference, if any.
    pub fn lookup(&self, image: &str) -> Option<&ImageShim> {
        let repository = repository_of(image);
        self.by_repository.get(repository).or_else(|| {
            // `docker.io/argoproj/argosay` and `quay.io/argoproj/argosay` match `argoproj/argosay`.
            let (_registry, path) = repository.split_once('/')?;
            self.by_repository.get(path)
        })
    }
}

/// `registry/repo:tag@digest` -> `registry/repo`.
fn repository_of(image: &str) -> &str {
    let without_digest = image.split('@').next().unwrap_or(image);
    match without_digest.rfind(':') {
        Some(colon) if !without_digest[colon..].contains('/') => &without_digest[..colon],
        _ => without_digest,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argosay_matches_any_tag_and_registry() {
        let shims = ImageShims::with_argosay(Path::new("/bin/argosay"));
        assert!(shims.lookup("argoproj/argosay:v2").is_some());
        assert!(shims.lookup("docker.io/argoproj/argosay:v2").is_some());
        assert!(shims.lookup("argoproj/argosay@sha256:abc").is_some());
        assert!(shims.lookup("alpine:3.20").is_none());
        assert!(shims.lookup("localhost:5000/other").is_none());
    }

    #[test]
    fn repository_strips_tag_but_not_registry_port() {
        assert_eq!(
            repository_of("localhost:5000/img:tag"),
            "localhost:5000/img"
        );
        assert_eq!(repository_of("localhost:5000/img"), "localhost:5000/img");
        assert_eq!(repository_of("img"), "img");
    }
}
