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
        }
    }
}
