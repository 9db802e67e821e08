//! The local runtime's own pod annotations: the order of a container set's main containers
//! (`run-after`) and the trusted containers that run on the host, outside the pod's sandbox
//! (`host`). Read once, when a pod is resolved.
//! Must not: look at anything but the pod's annotations and its containers' names and mounts.

use std::collections::BTreeSet;

use k8s_openapi::api::core::v1::Pod;

use super::{ConfigError, ContainerLaunch};

/// Pod annotations `run-after.local.argoproj.io/<container>: a,b` hold the main container
/// `<container>` until the main containers `a` and `b` have exited 0. If one of them fails, the
/// held container never starts (it stays waiting with reason `DependencyFailed`) and the pod fails.
/// This is the local runtime's own extension, for ordering the containers of a container set.
pub const RUN_AFTER_ANNOTATION_PREFIX: &str = "run-after.local.argoproj.io/";

/// Reads the run-after annotations into the containers, rejecting unknown names and cycles.
pub(super) fn order_by_annotations(
    pod: &Pod,
    containers: &mut [ContainerLaunch],
) -> Result<(), ConfigError> {
    let names: Vec<String> = containers.iter().map(|c| c.name.clone()).collect();
    for (key, value) in pod.metadata.annotations.iter().flatten() {
        let Some(held) = key.strip_prefix(RUN_AFTER_ANNOTATION_PREFIX) else {
            continue;
        };
        let Some(container) = containers.iter_mut().find(|c| c.name == held) else {
            return Err(ConfigError(format!(
                "annotation {key}: no main container \"{held}\""
            )));
        };
        for dependency in value.split(',').map(str::trim).filter(|d| !d.is_empty()) {
            if !names.iter().any(|n| n == dependency) || dependency == held {
                return Err(ConfigError(format!(
                    "annotation {key}: no other main container \"{dependency}\""
                )));
            }
            container.run_after.push(dependency.to_string());
        }
    }
    // Kahn's algorithm: if some container never becomes ready, the annotations form a cycle.
    let mut done: Vec<&str> = Vec::new();
    while done.len() < containers.len() {
        let ready = containers.iter().find(|c| {
            !done.contains(&c.name.as_str())
                && c.run_after.iter().all(|d| done.contains(&d.as_str()))
        });
        match ready {
            Some(c) => done.push(&c.name),
            None => return Err(ConfigError("the run-after annotations form a cycle".into())),
        }
    }
    Ok(())
}

/// Pod annotations `host.local.argoproj.io/<container>: "true"` run that container directly on
/// the host, as in unsandboxed mode (the pod's scratch directory as working directory and
/// `TMPDIR`), even when the runtime sandboxes pods. Meant for the caller's own trusted programs
/// that need none of the sandbox, such as an executor's sidecar that reads the pod's volumes
/// through host paths it is given: it spares the container a root filesystem, namespaces and an
/// init process. A container so marked may not mount volumes, since mounts need the sandbox.
pub const HOST_CONTAINER_ANNOTATION_PREFIX: &str = "host.local.argoproj.io/";

/// The names of the containers a pod runs on the host.
#[derive(Debug, Default)]
pub(super) struct HostContainers(BTreeSet<String>);

impl HostContainers {
    /// Reads the host annotations, rejecting unknown containers and values other than
    /// `"true"`/`"false"`.
    pub(super) fn of(pod: &Pod) -> Result<Self, ConfigError> {
        let spec = pod.spec.as_ref();
        let known = spec.into_iter().flat_map(|spec| {
            spec.init_containers
                .iter()
                .flatten()
                .chain(&spec.containers)
                .map(|c| c.name.as_str())
        });
        let known: BTreeSet<&str> = known.collect();
        let mut names = BTreeSet::new();
        for (key, value) in pod.metadata.annotations.iter().flatten() {
            let Some(name) = key.strip_prefix(HOST_CONTAINER_ANNOTATION_PREFIX) else {
                continue;
            };
            if !known.contains(name) {
                return Err(ConfigError(format!(
                    "annotation {key}: no container \"{name}\""
                )));
            }
            match value.as_str() {
                "true" => names.insert(name.to_owned()),
                "false" => continue,
                _ => {
                    return Err(ConfigError(format!(
                        "annotation {key}: \"{value}\" is not \"true\" or \"false\""
                    )));
                }
            };
        }
        Ok(Self(names))
    }

    pub(super) fn contains(&self, container: &str) -> bool {
        self.0.contains(container)
    }
}

/// A host container with volume mounts is a configuration error: only the sandbox can mount.
pub(super) fn check_host_mounts(container: &ContainerLaunch) -> Result<(), ConfigError> {
    match container.mounts.first() {
        Some(mount) if container.on_host => Err(ConfigError(format!(
            "container \"{}\" runs on the host ({HOST_CONTAINER_ANNOTATION_PREFIX}{}) and cannot \
             mount a volume at {}",
            container.name, container.name, mount.target
        ))),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::tests::resolve;
    use crate::sandbox::Sandbox;

    fn pod(annotations: serde_json::Value, wait_mounts: serde_json::Value) -> serde_json::Value {
        json!({"metadata": {"name": "p", "annotations": annotations}, "spec": {
            "volumes": [{"name": "v", "emptyDir": {}}],
            "containers": [
                {"name": "wait", "image": "x", "command": ["w"], "volumeMounts": wait_mounts},
                {"name": "main", "image": "x", "command": ["m"],
                 "volumeMounts": [{"name": "v", "mountPath": "/v"}]}
            ]
        }})
    }

    #[tokio::test]
    async fn a_host_container_runs_unsandboxed_with_its_own_tmpdir() {
        let annotations = json!({"host.local.argoproj.io/wait": "true"});
        let launch = resolve(pod(annotations, json!([])), "/bin").await.unwrap();
        let (wait, main) = (&launch.containers[0], &launch.containers[1]);
        assert!(wait.on_host);
        assert_eq!(wait.sandbox(Sandbox::Namespaces), Sandbox::None);
        assert!(
            wait.env
                .iter()
                .any(|(k, v)| k == "TMPDIR" && v.ends_with("tmp"))
        );
        assert!(!main.on_host);
        assert_eq!(main.sandbox(Sandbox::Namespaces), Sandbox::Namespaces);
        assert!(!main.env.iter().any(|(k, _)| k == "TMPDIR"));
    }

    #[tokio::test]
    async fn host_annotations_name_a_known_container_and_no_mounts() {
        let unknown = json!({"host.local.argoproj.io/side": "true"});
        let error = resolve(pod(unknown, json!([])), "/bin").await.unwrap_err();
        assert!(error.0.contains("no container \"side\""), "{}", error.0);

        let odd = json!({"host.local.argoproj.io/wait": "yes"});
        let error = resolve(pod(odd, json!([])), "/bin").await.unwrap_err();
        assert!(error.0.contains("\"yes\" is not"), "{}", error.0);

        let mounting = json!({"host.local.argoproj.io/wait": "true"});
        let mounts = json!([{"name": "v", "mountPath": "/v"}]);
        let error = resolve(pod(mounting, mounts), "/bin").await.unwrap_err();
        assert!(
            error.0.contains("cannot mount a volume at /v"),
            "{}",
            error.0
        );

        let off = json!({"host.local.argoproj.io/wait": "false"});
        let launch = resolve(pod(off, json!([])), "/bin").await.unwrap();
        assert!(!launch.containers[0].on_host);
    }
}
