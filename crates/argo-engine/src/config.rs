//! The engine's configuration: the controller settings that change what a reconcile produces.
//!
//! Must not: be read from files or the environment here (the controller's config does that).

/// Settings the controller passes to every reconcile.
#[derive(Debug, Clone, PartialEq)]
pub struct EngineConfig {
    /// The argoexec image for init/wait containers.
    pub executor_image: String,
    /// Pull policy of the executor image ("" for the runtime default).
    pub executor_image_pull_policy: String,
    /// The deepest template nesting allowed (Argo's `maxStackDepth`).
    pub max_stack_depth: usize,
    /// The controller's instance id, if any.
    pub instance_id: String,
    /// Emit Kubernetes events for workflow phase changes.
    pub workflow_events: bool,
    /// Archive completed workflows (emits [`Effect::Archive`](crate::Effect::Archive)).
    pub archive: bool,
    /// How long a started pod node may be missing before it is marked deleted.
    pub pod_missing_grace: jiff::SignedDuration,
    /// The most pods one reconcile asks for (None: no limit). Once reached, the nodes still
    /// ready wait, as under `parallelism`, and the reconcile asks to run again at once, so a
    /// wide fan-out is rendered and created in batches instead of every pod held at once.
    pub max_pods_per_reconcile: Option<usize>,
    /// Image entrypoints (Argo's `images` index): the command a container without `command`
    /// runs, by image reference (`repo:tag`) or by repository (`repo`).
    pub images: std::collections::BTreeMap<String, Vec<String>>,
}

impl EngineConfig {
    /// The entrypoint of `image`: an exact reference first, then its repository without tag,
    /// digest or `docker.io/` / `quay.io/` registry prefix.
    pub fn image_entrypoint(&self, image: &str) -> Option<&[String]> {
        if let Some(found) = self.images.get(image) {
            return Some(found);
        }
        let without_digest = image.split('@').next().unwrap_or(image);
        let repository = match without_digest.rfind(':') {
            Some(colon) if !without_digest[colon..].contains('/') => &without_digest[..colon],
            _ => without_digest,
        };
        let bare = ["docker.io/", "quay.io/", "ghcr.io/"]
            .iter()
            .find_map(|registry| repository.strip_prefix(registry))
            .unwrap_or(repository);
        self.images
            .get(repository)
            .or_else(|| self.images.get(bare))
            .map(Vec::as_slice)
    }
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            executor_image: "quay.io/argoproj/argoexec:v4.1.2".to_owned(),
            executor_image_pull_policy: String::new(),
            max_stack_depth: 150,
            instance_id: String::new(),
            workflow_events: true,
            archive: false,
            pod_missing_grace: jiff::SignedDuration::from_secs(10),
            max_pods_per_reconcile: None,
            images: std::collections::BTreeMap::from([(
                "argoproj/argosay".to_owned(),
                vec!["/argosay".to_owned()],
            )]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entrypoints_match_by_reference_then_repository() {
        let mut config = EngineConfig::default();
        config
            .images
            .insert("busybox:1.36".to_owned(), vec!["sh".to_owned()]);
        assert_eq!(
            config.image_entrypoint("argoproj/argosay:v2"),
            Some(&["/argosay".to_owned()][..])
        );
        assert_eq!(
            config.image_entrypoint("docker.io/argoproj/argosay:v1@sha256:ab"),
            Some(&["/argosay".to_owned()][..])
        );
        assert_eq!(
            config.image_entrypoint("busybox:1.36"),
            Some(&["sh".to_owned()][..])
        );
        assert_eq!(config.image_entrypoint("busybox:latest"), None);
    }
}
