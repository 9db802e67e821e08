//! Resolution of a `Pod` into what the supervisor runs: for each container the final argv, the
//! environment, the working directory and the mounts. Everything that needs the caller (config
//! maps, secrets) or the pod's metadata is settled here, once, at `create`; the supervisor reads
//! the result from `launch.json` and never sees the `Pod` type.
//!
//! A problem with the pod's configuration (a missing config map key, an unsupported volume) is a
//! [`ConfigError`]: the pod is recorded as `Failed` rather than the call failing, as the kubelet
//! reports `CreateContainerConfigError` on the pod rather than rejecting it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

mod annotations;
mod downward;

use async_trait::async_trait;
use k8s_openapi::api::core::v1::{Container, EnvVarSource, Pod, Volume};
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::expand::expand;
use crate::image::ImageShims;
use crate::layout::PodDir;
use crate::sandbox::Sandbox;
pub use annotations::{HOST_CONTAINER_ANNOTATION_PREFIX, RUN_AFTER_ANNOTATION_PREFIX};
use annotations::{HostContainers, check_host_mounts, order_by_annotations};
use downward::{field_value, project_keys};

/// How the runtime reads the config maps and secrets a pod refers to. The caller supplies it
/// (the controller reads them from its store); data is returned decoded.
#[async_trait]
pub trait ConfigLookup: Send + Sync {
    /// The data of a config map, or `None` when it does not exist.
    async fn config_map(
        &self,
        namespace: &str,
        name: &str,
    ) -> Result<Option<BTreeMap<String, String>>>;
    /// The data of a secret, or `None` when it does not exist.
    async fn secret(
        &self,
        namespace: &str,
        name: &str,
    ) -> Result<Option<BTreeMap<String, Vec<u8>>>>;
}

/// A lookup that finds nothing: pods referring to config maps or secrets fail to start.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoConfigLookup;

#[async_trait]
impl ConfigLookup for NoConfigLookup {
    async fn config_map(&self, _: &str, _: &str) -> Result<Option<BTreeMap<String, String>>> {
        Ok(None)
    }
    async fn secret(&self, _: &str, _: &str) -> Result<Option<BTreeMap<String, Vec<u8>>>> {
        Ok(None)
    }
}

/// What is wrong with a pod's configuration, in words for the pod's status message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ConfigError(pub(crate) String);

/// The resolved pod, stored as `launch.json`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PodLaunch {
    pub(crate) namespace: String,
    pub(crate) name: String,
    pub(crate) hostname: String,
    pub(crate) sandbox: Sandbox,
    pub(crate) active_deadline_seconds: Option<i64>,
    pub(crate) termination_grace_seconds: i64,
    pub(crate) init_containers: Vec<ContainerLaunch>,
    pub(crate) containers: Vec<ContainerLaunch>,
}

impl PodLaunch {
    /// The pod's `launch.json` in `dir`, for the processes that run it (errors in words).
    pub(crate) fn read(dir: &PodDir) -> Result<Self, String> {
        crate::layout::read_json(&dir.launch_file())
            .map_err(|e| e.to_string())?
            .ok_or_else(|| "launch.json is missing".to_owned())
    }

    /// The container `name`, or an error in words.
    pub(crate) fn named(&self, name: &str) -> Result<&ContainerLaunch, String> {
        self.container(name)
            .ok_or_else(|| format!("no container {name} in launch.json"))
    }

    pub(crate) fn container(&self, name: &str) -> Option<&ContainerLaunch> {
        self.init_containers
            .iter()
            .chain(&self.containers)
            .find(|c| c.name == name)
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ContainerLaunch {
    pub(crate) name: String,
    pub(crate) image: String,
    pub(crate) argv: Vec<String>,
    pub(crate) env: Vec<(String, String)>,
    /// `None`: `/` in the sandbox, the pod's scratch directory without it.
    pub(crate) working_dir: Option<String>,
    pub(crate) mounts: Vec<MountSpec>,
    /// Main containers that must have succeeded before this one starts (see
    /// [`RUN_AFTER_ANNOTATION_PREFIX`]).
    #[serde(default)]
    pub(crate) run_after: Vec<String>,
    /// Runs on the host, outside the pod's sandbox (see [`HOST_CONTAINER_ANNOTATION_PREFIX`]).
    #[serde(default)]
    pub(crate) on_host: bool,
}

impl ContainerLaunch {
    /// How this container is isolated in a pod isolated by `pod`.
    pub(crate) fn sandbox(&self, pod: Sandbox) -> Sandbox {
        if self.on_host { Sandbox::None } else { pod }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct MountSpec {
    pub(crate) source: PathBuf,
    pub(crate) target: String,
    pub(crate) read_only: bool,
}

/// Inputs of resolution besides the pod.
pub(crate) struct Resolver<'a> {
    pub(crate) dir: &'a PodDir,
    pub(crate) sandbox: Sandbox,
    pub(crate) images: &'a ImageShims,
    pub(crate) lookup: &'a dyn ConfigLookup,
    /// `PATH` for containers that set none.
    pub(crate) default_path: String,
}

/// A file to write under the pod directory before it starts (config map and secret volumes).
pub(crate) type VolumeFile = (PathBuf, Vec<u8>);

impl Resolver<'_> {
    pub(crate) async fn resolve(
        &self,
        pod: &Pod,
    ) -> Result<Result<(PodLaunch, Vec<VolumeFile>), ConfigError>> {
        let namespace = pod
            .metadata
            .namespace
            .clone()
            .unwrap_or_else(|| "default".into());
        let name = pod.metadata.name.clone().unwrap_or_default();
        let spec = pod.spec.clone().unwrap_or_default();
        let mut files = Vec::new();
        let mut volumes = BTreeMap::new();
        for volume in spec.volumes.iter().flatten() {
            match self
                .volume_source(pod, &namespace, volume, &mut files)
                .await?
            {
                Ok(path) => volumes.insert(volume.name.clone(), path),
                Err(e) => return Ok(Err(e)),
            };
        }
        let on_host = match HostContainers::of(pod) {
            Ok(names) => names,
            Err(e) => return Ok(Err(e)),
        };
        let resolve_all = async |containers: &[Container]| -> Result<Result<Vec<_>, ConfigError>> {
            let mut out = Vec::new();
            for container in containers {
                let host = on_host.contains(&container.name);
                match self
                    .container(pod, &namespace, container, &volumes, host)
                    .await?
                {
                    Ok(launch) => out.push(launch),
                    Err(e) => return Ok(Err(e)),
                }
            }
            Ok(Ok(out))
        };
        let init_containers =
            match resolve_all(spec.init_containers.as_deref().unwrap_or_default()).await? {
                Ok(list) => list,
                Err(e) => return Ok(Err(e)),
            };
        let mut containers = match resolve_all(&spec.containers).await? {
            Ok(list) => list,
            Err(e) => return Ok(Err(e)),
        };
        if let Err(e) = order_by_annotations(pod, &mut containers) {
            return Ok(Err(e));
        }
        let hostname: String = spec
            .hostname
            .clone()
            .unwrap_or_else(|| name.clone())
            .chars()
            .take(63)
            .collect();
        let launch = PodLaunch {
            namespace,
            name,
            hostname,
            sandbox: self.sandbox,
            active_deadline_seconds: spec.active_deadline_seconds,
            termination_grace_seconds: spec.termination_grace_period_seconds.unwrap_or(30).max(0),
            init_containers,
            containers,
        };
        Ok(Ok((launch, files)))
    }

    async fn volume_source(
        &self,
        pod: &Pod,
        namespace: &str,
        volume: &Volume,
        files: &mut Vec<VolumeFile>,
    ) -> Result<Result<PathBuf, ConfigError>> {
        let own_dir = self.dir.volume(&volume.name);
        let relative = PathBuf::from("volumes").join(&volume.name);
        if volume.empty_dir.is_some() {
            return Ok(Ok(own_dir));
        }
        if let Some(host) = &volume.host_path {
            return Ok(Ok(PathBuf::from(&host.path)));
        }
        if let Some(source) = &volume.config_map {
            let data = self.lookup.config_map(namespace, &source.name).await?;
            let Some(data) = data.or_else(|| source.optional.unwrap_or(false).then(BTreeMap::new))
            else {
                return Ok(Err(ConfigError(format!(
                    "configmap \"{}\" not found",
                    source.name
                ))));
            };
            let data = data.into_iter().map(|(k, v)| (k, v.into_bytes())).collect();
            return Ok(
                project_keys(&relative, data, source.items.as_deref(), files).map(|()| own_dir),
            );
        }
        if let Some(source) = &volume.secret {
            let secret_name = source.secret_name.clone().unwrap_or_default();
            let data = self.lookup.secret(namespace, &secret_name).await?;
            let Some(data) = data.or_else(|| source.optional.unwrap_or(false).then(BTreeMap::new))
            else {
                return Ok(Err(ConfigError(format!(
                    "secret \"{secret_name}\" not found"
                ))));
            };
            return Ok(
                project_keys(&relative, data, source.items.as_deref(), files).map(|()| own_dir),
            );
        }
        if let Some(source) = &volume.downward_api {
            for item in source.items.iter().flatten() {
                let Some(field) = &item.field_ref else {
                    return Ok(Err(ConfigError(
                        "downwardAPI resourceFieldRef is not supported".into(),
                    )));
                };
                let value = match field_value(pod, &field.field_path) {
                    Ok(value) => value,
                    Err(e) => return Ok(Err(e)),
                };
                files.push((relative.join(&item.path), value.into_bytes()));
            }
            return Ok(Ok(own_dir));
        }
        Ok(Err(ConfigError(format!(
            "volume \"{}\": only emptyDir, hostPath, configMap, secret and downwardAPI volumes are supported \
             by the local runtime",
            volume.name
        ))))
    }

    async fn container(
        &self,
        pod: &Pod,
        namespace: &str,
        container: &Container,
        volumes: &BTreeMap<String, PathBuf>,
        on_host: bool,
    ) -> Result<Result<ContainerLaunch, ConfigError>> {
        let mut defined: Vec<(String, String)> = Vec::new();
        for source in container.env_from.iter().flatten() {
            let prefix = source.prefix.clone().unwrap_or_default();
            if let Some(cm) = &source.config_map_ref {
                match self.lookup.config_map(namespace, &cm.name).await? {
                    Some(data) => {
                        defined.extend(data.into_iter().map(|(k, v)| (format!("{prefix}{k}"), v)))
                    }
                    None if cm.optional.unwrap_or(false) => {}
                    None => {
                        return Ok(Err(ConfigError(format!(
                            "configmap \"{}\" not found",
                            cm.name
                        ))));
                    }
                }
            }
            if let Some(secret) = &source.secret_ref {
                match self.lookup.secret(namespace, &secret.name).await? {
                    Some(data) => defined.extend(data.into_iter().map(|(k, v)| {
                        (
                            format!("{prefix}{k}"),
                            String::from_utf8_lossy(&v).into_owned(),
                        )
                    })),
                    None if secret.optional.unwrap_or(false) => {}
                    None => {
                        return Ok(Err(ConfigError(format!(
                            "secret \"{}\" not found",
                            secret.name
                        ))));
                    }
                }
            }
        }
        for var in container.env.iter().flatten() {
            let value = match (&var.value, &var.value_from) {
                (Some(value), _) => expand(value, |n| lookup_var(&defined, n)),
                (None, Some(source)) => match self.value_from(pod, namespace, source).await? {
                    Ok(Some(value)) => value,
                    Ok(None) => continue,
                    Err(e) => return Ok(Err(ConfigError(format!("env {}: {}", var.name, e.0)))),
                },
                (None, None) => String::new(),
            };
            set_var(&mut defined, &var.name, value);
        }

        let mut env = vec![
            ("PATH".to_string(), self.default_path.clone()),
            (
                "HOSTNAME".to_string(),
                pod.metadata.name.clone().unwrap_or_default(),
            ),
            ("HOME".to_string(), "/root".to_string()),
        ];
        if self.sandbox == Sandbox::None || on_host {
            let tmp = self
                .dir
                .scratch()
                .join("tmp")
                .to_string_lossy()
                .into_owned();
            if let Ok(home) = std::env::var("HOME") {
                set_var(&mut env, "HOME", home);
            }
            set_var(&mut env, "TMPDIR", tmp);
        }
        for (name, value) in &defined {
            set_var(&mut env, name, value.clone());
        }

        let image = container.image.clone().unwrap_or_default();
        let shim = self.images.lookup(&image);
        let mut command = container.command.clone().unwrap_or_default();
        if command.is_empty()
            && let Some(shim) = shim
        {
            command = shim.entrypoint.clone();
        }
        let mut argv: Vec<String> = command
            .into_iter()
            .chain(container.args.clone().unwrap_or_default())
            .collect();
        for arg in &mut argv {
            *arg = expand(arg, |n| lookup_var(&env, n));
        }
        let Some(program) = argv.first_mut() else {
            return Ok(Err(ConfigError(format!(
                "container \"{}\" has no command, and image \"{image}\" is not one the local runtime provides",
                container.name
            ))));
        };
        if let Some(host_program) = shim.and_then(|s| s.programs.get(program.as_str())) {
            *program = host_program.to_string_lossy().into_owned();
        }
        if program == "python"
            && find_in_path("python", lookup_var(&env, "PATH").unwrap_or_default()).is_none()
        {
            *program = "python3".into();
        }

        let mut mounts = Vec::new();
        for mount in container.volume_mounts.iter().flatten() {
            let Some(source) = volumes.get(&mount.name) else {
                return Ok(Err(ConfigError(format!(
                    "volume mount \"{}\": no such volume",
                    mount.name
                ))));
            };
            let sub_path = match (&mount.sub_path, &mount.sub_path_expr) {
                (Some(sub), _) if !sub.is_empty() => Some(sub.clone()),
                (_, Some(expr)) if !expr.is_empty() => Some(expand(expr, |n| lookup_var(&env, n))),
                _ => None,
            };
            if sub_path
                .as_deref()
                .is_some_and(|s| s.starts_with('/') || s.split('/').any(|p| p == ".."))
            {
                return Ok(Err(ConfigError(format!(
                    "volume mount \"{}\": invalid subPath",
                    mount.name
                ))));
            }
            mounts.push(MountSpec {
                source: sub_path.map_or_else(|| source.clone(), |s| source.join(s)),
                target: mount.mount_path.clone(),
                read_only: mount.read_only.unwrap_or(false),
            });
        }
        let launch = ContainerLaunch {
            name: container.name.clone(),
            image,
            argv,
            env,
            working_dir: container.working_dir.clone().filter(|d| !d.is_empty()),
            mounts,
            run_after: Vec::new(),
            on_host,
        };
        Ok(check_host_mounts(&launch).map(|()| launch))
    }

    async fn value_from(
        &self,
        pod: &Pod,
        namespace: &str,
        source: &EnvVarSource,
    ) -> Result<Result<Option<String>, ConfigError>> {
        if let Some(field) = &source.field_ref {
            return Ok(field_value(pod, &field.field_path).map(Some));
        }
        if let Some(key_ref) = &source.config_map_key_ref {
            let optional = key_ref.optional.unwrap_or(false);
            let data = self.lookup.config_map(namespace, &key_ref.name).await?;
            return Ok(match data.and_then(|d| d.get(&key_ref.key).cloned()) {
                Some(value) => Ok(Some(value)),
                None if optional => Ok(None),
                None => Err(ConfigError(format!(
                    "key \"{}\" of configmap \"{}\" not found",
                    key_ref.key, key_ref.name
                ))),
            });
        }
        if let Some(key_ref) = &source.secret_key_ref {
            let optional = key_ref.optional.unwrap_or(false);
            let data = self.lookup.secret(namespace, &key_ref.name).await?;
            return Ok(match data.and_then(|d| d.get(&key_ref.key).cloned()) {
                Some(value) => Ok(Some(String::from_utf8_lossy(&value).into_owned())),
                None if optional => Ok(None),
                None => Err(ConfigError(format!(
                    "key \"{}\" of secret \"{}\" not found",
                    key_ref.key, key_ref.name
                ))),
            });
        }
        Ok(Err(ConfigError(
            "only fieldRef, configMapKeyRef and secretKeyRef are supported".into(),
        )))
    }
}

fn lookup_var<'a>(vars: &'a [(String, String)], name: &str) -> Option<&'a str> {
    vars.iter()
        .rev()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

fn set_var(vars: &mut Vec<(String, String)>, name: &str, value: String) {
    match vars.iter_mut().find(|(n, _)| n == name) {
        Some(slot) => slot.1 = value,
        None => vars.push((name.to_string(), value)),
    }
}

/// The first executable file named `program` in the `:`-separated `path`.
pub(crate) fn find_in_path(program: &str, path: &str) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    path.split(':')
        .filter(|d| !d.is_empty())
        .map(|d| Path::new(d).join(program))
        .find(|candidate| {
            std::fs::metadata(candidate)
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    pub(super) async fn resolve(
        pod: serde_json::Value,
        default_path: &str,
    ) -> Result<PodLaunch, ConfigError> {
        let pod: Pod = serde_json::from_value(pod).unwrap();
        let dir = PodDir::new("/data/pods/ns/p");
        let images = ImageShims::with_argosay(Path::new("/opt/argosay"));
        let resolver = Resolver {
            dir: &dir,
            sandbox: Sandbox::Namespaces,
            images: &images,
            lookup: &NoConfigLookup,
            default_path: default_path.into(),
        };
        resolver
            .resolve(&pod)
            .await
            .unwrap()
            .map(|(launch, _)| launch)
    }

    fn one_container(container: serde_json::Value) -> serde_json::Value {
        json!({"metadata": {"name": "p", "labels": {"app": "x"}}, "spec": {"containers": [container]}})
    }

    #[tokio::test]
    async fn the_argosay_image_gets_the_project_program_as_entrypoint() {
        let launch = resolve(
            one_container(
                json!({"name": "c", "image": "argoproj/argosay:v2", "args": ["echo", "hi"]}),
            ),
            "/bin",
        )
        .await
        .unwrap();
        assert_eq!(launch.containers[0].argv, ["/opt/argosay", "echo", "hi"]);
        let launch = resolve(
            one_container(
                json!({"name": "c", "image": "argoproj/argosay:v2", "command": ["/argosay"]}),
            ),
            "/bin",
        )
        .await
        .unwrap();
        assert_eq!(launch.containers[0].argv, ["/opt/argosay"]);
    }

    #[tokio::test]
    async fn python_becomes_python3_only_when_python_is_not_on_the_path() {
        let empty = tempfile::tempdir().unwrap();
        let container = json!({"name": "c", "image": "python", "command": ["python", "-c", "1"]});
        let launch = resolve(
            one_container(container.clone()),
            &empty.path().to_string_lossy(),
        )
        .await
        .unwrap();
        assert_eq!(launch.containers[0].argv[0], "python3");

        let with_python = tempfile::tempdir().unwrap();
        let program = with_python.path().join("python");
        std::fs::write(&program, "#!/bin/sh\n").unwrap();
        std::fs::set_permissions(
            &program,
            std::os::unix::fs::PermissionsExt::from_mode(0o755),
        )
        .unwrap();
        let launch = resolve(
            one_container(container),
            &with_python.path().to_string_lossy(),
        )
        .await
        .unwrap();
        assert_eq!(launch.containers[0].argv[0], "python");
    }

    #[tokio::test]
    async fn env_values_see_earlier_variables_and_labels() {
        let container = json!({"name": "c", "image": "alpine", "command": ["echo", "$(B)"], "env": [
            {"name": "B", "value": "$(A)"},
            {"name": "A", "value": "a"},
            {"name": "C", "value": "$(A)"},
            {"name": "APP", "valueFrom": {"fieldRef": {"fieldPath": "metadata.labels['app']"}}}
        ]});
        let launch = resolve(one_container(container), "/bin").await.unwrap();
        let env = &launch.containers[0].env;
        assert_eq!(lookup_var(env, "B"), Some("$(A)"), "A was not defined yet");
        assert_eq!(lookup_var(env, "C"), Some("a"));
        assert_eq!(lookup_var(env, "APP"), Some("x"));
        assert_eq!(launch.containers[0].argv, ["echo", "$(A)"]);
    }

    #[tokio::test]
    async fn unsupported_volumes_and_missing_commands_are_config_errors() {
        let pod = json!({"metadata": {"name": "p"}, "spec": {
            "volumes": [{"name": "v", "persistentVolumeClaim": {"claimName": "c"}}],
            "containers": [{"name": "c", "image": "alpine", "command": ["true"]}]
        }});
        assert!(
            resolve(pod, "/bin")
                .await
                .unwrap_err()
                .0
                .contains("only emptyDir")
        );
        let err = resolve(
            one_container(json!({"name": "c", "image": "alpine"})),
            "/bin",
        )
        .await
        .unwrap_err();
        assert!(err.0.contains("has no command"));
    }
}
