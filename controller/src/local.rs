//! Local mode: what pods need to run on the local runtime beside an embedded SQLite store.
//! The engine renders pods for Kubernetes (the `argoexec` image in init and wait containers,
//! `/var/run/argo/argoexec` in front of the main command); here the executor image is shimmed
//! to the project's `argoexec` binary, and every container learns where the store and the
//! artifact repository are (ARGO_STORE, ARGO_ARTIFACT_ROOT), with the data directory bound
//! into sandboxed containers so their writes reach the controller.
//! Must not: change what a pod runs beyond these locations.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use argo_core::k8s_openapi::api::core::v1::{
    Container, EnvVar, HostPathVolumeSource, Pod, Volume, VolumeMount,
};
use argo_runtime::{HOST_CONTAINER_ANNOTATION_PREFIX, ImageShim, ImageShims, Sandbox};

use crate::effects::PodRewriter;

/// Environment variable naming the `argoexec` binary.
pub const ARGO_EXEC_PATH: &str = "ARGO_EXEC_PATH";
/// The image repository the engine's executor containers use.
pub const EXECUTOR_REPOSITORY: &str = "argoproj/argoexec";
const DATA_VOLUME: &str = "argo-local-data";
/// Where sandboxed executor containers see the data directory. Not its host path: that is
/// often under `/tmp` (a temporary `argo run`), and an output artifact of `/tmp/` would then
/// copy the store and the artifact repository into itself.
pub const DATA_MOUNT_PATH: &str = "/var/run/argo-local";

/// The executor's shared volume in rendered pods (`/var/run/argo`).
const VAR_RUN_VOLUME: &str = "var-run-argo";

/// Finds `argoexec`: `$ARGO_EXEC_PATH`, else beside the running program (or one directory up,
/// for test binaries under `target/debug/deps`).
pub fn locate_argoexec() -> PathBuf {
    if let Some(path) = std::env::var_os(ARGO_EXEC_PATH).filter(|p| !p.is_empty()) {
        return PathBuf::from(path);
    }
    let exe = std::env::current_exe().unwrap_or_default();
    let dir = exe.parent().unwrap_or(Path::new("."));
    let beside = dir.join("argoexec");
    match dir.parent() {
        Some(parent) if !beside.exists() && parent.join("argoexec").exists() => {
            parent.join("argoexec")
        }
        _ => beside,
    }
}

/// Adds the executor image shim to `images`.
pub fn with_executor_shim(mut images: ImageShims, argoexec: &Path) -> ImageShims {
    let shim = ImageShim {
        entrypoint: vec![argoexec.to_string_lossy().into_owned()],
        programs: BTreeMap::from([
            ("argoexec".to_owned(), argoexec.to_path_buf()),
            ("/var/run/argo/argoexec".to_owned(), argoexec.to_path_buf()),
        ]),
    };
    images.insert(EXECUTOR_REPOSITORY, shim);
    images
}

/// Rewrites pods for the local runtime.
#[derive(Debug, Clone)]
pub struct LocalPods {
    /// The directory holding the store file and the artifact repository.
    pub data_dir: PathBuf,
    /// `sqlite:///...` for ARGO_STORE.
    pub store_url: String,
    /// ARGO_ARTIFACT_ROOT.
    pub artifact_root: PathBuf,
    pub argoexec: PathBuf,
    pub sandbox: Sandbox,
    /// The local runtime's state root: unsandboxed, a pod's `var-run-argo` volume directory
    /// there is its executor's ARGO_VAR_RUN.
    pub runtime_root: PathBuf,
}

impl LocalPods {
    /// Whether containers of this pod that are not on the host are sandboxed.
    fn sandboxed(&self, on_host: bool) -> bool {
        self.sandbox == Sandbox::Namespaces && !on_host
    }

    /// `host` (inside the data directory) as the containers see it.
    fn in_containers(&self, host: &Path, on_host: bool) -> String {
        let seen = match host.strip_prefix(&self.data_dir) {
            Ok(relative) if self.sandboxed(on_host) => Path::new(DATA_MOUNT_PATH).join(relative),
            _ => host.to_path_buf(),
        };
        seen.to_string_lossy().into_owned()
    }

    /// The executor's environment, for sandboxed containers or for those on the host.
    fn env(&self, pod_name: &str, namespace: &str, on_host: bool) -> Vec<EnvVar> {
        let var = |name: &str, value: String| EnvVar {
            name: name.to_owned(),
            value: Some(value),
            value_from: None,
        };
        let store = match self.store_url.strip_prefix("sqlite://") {
            Some(path) => format!("sqlite://{}", self.in_containers(Path::new(path), on_host)),
            None => self.store_url.clone(),
        };
        let mut env = vec![
            var("ARGO_STORE", store),
            var(
                "ARGO_ARTIFACT_ROOT",
                self.in_containers(&self.artifact_root, on_host),
            ),
            var("ARGO_NAMESPACE", namespace.to_owned()),
        ];
        if !self.sandboxed(on_host) {
            // The pod's own volume directory: it exists before any container starts and goes
            // with the pod, so `wait` can take its absence as the pod being gone.
            let var_run =
                argo_runtime::volume_dir(&self.runtime_root, namespace, pod_name, VAR_RUN_VOLUME);
            env.push(var("ARGO_VAR_RUN", var_run.to_string_lossy().into_owned()));
        }
        env
    }

    fn adapt_container(
        &self,
        container: &mut Container,
        env: &[EnvVar],
        bind_data: bool,
        on_host: bool,
    ) {
        container
            .env
            .get_or_insert_with(Vec::new)
            .extend(env.iter().cloned());
        if let Some(command) = container.command.as_mut()
            && let Some(first) = command.first_mut()
            && (first == "/var/run/argo/argoexec" || first == "argoexec")
        {
            *first = self.argoexec.to_string_lossy().into_owned();
        }
        let mounts = container.volume_mounts.get_or_insert_with(Vec::new);
        if !self.sandboxed(on_host) {
            // Without a sandbox a volume is a host symlink at its mount path, which concurrent
            // pods would fight over; ARGO_VAR_RUN points at the volume's directory instead.
            mounts.retain(|m| m.name != VAR_RUN_VOLUME);
        }
        if bind_data && self.sandboxed(on_host) {
            mounts.push(VolumeMount {
                name: DATA_VOLUME.to_owned(),
                mount_path: DATA_MOUNT_PATH.to_owned(),
                ..VolumeMount::default()
            });
        }
    }
}

impl PodRewriter for LocalPods {
    fn rewrite(&self, pod: &mut Pod) {
        let name = pod.metadata.name.clone().unwrap_or_default();
        let namespace = pod.metadata.namespace.clone().unwrap_or_default();
        let env = self.env(&name, &namespace, false);
        let Some(spec) = pod.spec.as_mut() else {
            return;
        };
        let wait_on_host = self.sandbox == Sandbox::Namespaces
            && spec
                .containers
                .iter()
                .any(|c| c.name == "wait" && mounts_only_var_run(c));
        let host_env = if wait_on_host {
            self.env(&name, &namespace, true)
        } else {
            Vec::new()
        };
        if let Some(init_containers) = spec.init_containers.as_mut() {
            init_containers.retain(|c| !stages_nothing(c));
            if init_containers.is_empty() {
                spec.init_containers = None;
            }
        }
        for container in spec.init_containers.iter_mut().flatten() {
            let is_executor = container.name == "init";
            self.adapt_container(container, &env, is_executor, false);
        }
        for container in &mut spec.containers {
            let is_executor = container.name == "wait" || container.name == "main";
            let on_host = wait_on_host && container.name == "wait";
            let env = if on_host { &host_env } else { &env };
            self.adapt_container(container, env, is_executor, on_host);
        }
        let volumes = spec.volumes.get_or_insert_with(Vec::new);
        if self.sandbox != Sandbox::None {
            volumes.push(Volume {
                name: DATA_VOLUME.to_owned(),
                host_path: Some(HostPathVolumeSource {
                    path: self.data_dir.to_string_lossy().into_owned(),
                    type_: None,
                }),
                ..Volume::default()
            });
        }
        if wait_on_host {
            let key = format!("{HOST_CONTAINER_ANNOTATION_PREFIX}wait");
            let annotations = pod.metadata.annotations.get_or_insert_with(BTreeMap::new);
            annotations.insert(key, "true".to_owned());
        }
    }
}

/// Whether `container` mounts the executor's shared volume and nothing else: such a `wait`
/// reads it through its host path (ARGO_VAR_RUN) and runs on the host, outside the sandbox,
/// sparing each pod a container root and init process. A `wait` that mirrors main's volume
/// mounts (to collect outputs from them) stays sandboxed.
fn mounts_only_var_run(container: &Container) -> bool {
    container
        .volume_mounts
        .iter()
        .flatten()
        .all(|m| m.name == VAR_RUN_VOLUME)
}

/// Whether `container` is the executor's `init` for a template with nothing to stage: no input
/// artifacts and no script source. The rest of what it stages is not needed here: the template
/// reaches `wait` and the emissary through ARGO_TEMPLATE (their fallback when
/// `/var/run/argo/template` is absent), and main containers call the host's `argoexec` directly
/// (see `adapt_container`). Leaving it out spares each such pod a container start.
fn stages_nothing(container: &Container) -> bool {
    let is_executor_init = container.name == "init"
        && container.command.as_deref() == Some(&["argoexec".to_owned()][..])
        && container.args.as_deref() == Some(&["init".to_owned()][..]);
    if !is_executor_init {
        return false;
    }
    let template = container
        .env
        .iter()
        .flatten()
        .find(|var| var.name == "ARGO_TEMPLATE")
        .and_then(|var| var.value.as_deref())
        .and_then(|json| serde_json::from_str::<argo_core::Template>(json).ok());
    template.is_some_and(|template| {
        template.inputs.artifacts.is_empty()
            && template
                .script
                .as_ref()
                .is_none_or(|script| script.source.is_empty())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use argo_core::k8s_openapi::api::core::v1::PodSpec;
    use argo_core::k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

    fn rendered() -> Pod {
        let mount = VolumeMount {
            name: "var-run-argo".to_owned(),
            mount_path: "/var/run/argo".to_owned(),
            ..VolumeMount::default()
        };
        Pod {
            metadata: ObjectMeta {
                name: Some("wf-a-1".to_owned()),
                namespace: Some("argo".to_owned()),
                ..ObjectMeta::default()
            },
            spec: Some(PodSpec {
                containers: vec![Container {
                    name: "main".to_owned(),
                    command: Some(vec![
                        "/var/run/argo/argoexec".to_owned(),
                        "emissary".to_owned(),
                    ]),
                    volume_mounts: Some(vec![mount]),
                    ..Container::default()
                }],
                volumes: Some(vec![Volume {
                    name: "var-run-argo".to_owned(),
                    ..Volume::default()
                }]),
                ..PodSpec::default()
            }),
            status: None,
        }
    }

    fn pods(sandbox: Sandbox) -> LocalPods {
        LocalPods {
            data_dir: PathBuf::from("/data"),
            store_url: "sqlite:///data/store.db".to_owned(),
            artifact_root: PathBuf::from("/data/artifacts"),
            argoexec: PathBuf::from("/bin/argoexec"),
            sandbox,
            runtime_root: PathBuf::from("/data/runtime"),
        }
    }

    #[test]
    fn unsandboxed_pods_get_a_private_var_run_and_the_executor_path() {
        let mut pod = rendered();
        pods(Sandbox::None).rewrite(&mut pod);
        let spec = pod.spec.expect("spec");
        let main = &spec.containers[0];
        assert_eq!(main.command.as_ref().expect("command")[0], "/bin/argoexec");
        let env = main.env.as_ref().expect("env");
        let var_run = env
            .iter()
            .find(|e| e.name == "ARGO_VAR_RUN")
            .expect("var run");
        assert_eq!(
            var_run.value.as_deref(),
            Some("/data/runtime/pods/argo/wf-a-1/volumes/var-run-argo")
        );
        assert!(main.volume_mounts.as_ref().expect("mounts").is_empty());
        // The volume stays, unmounted, so the runtime creates (and removes) its directory.
        let volumes: Vec<String> = spec
            .volumes
            .expect("volumes")
            .into_iter()
            .map(|v| v.name)
            .collect();
        assert_eq!(volumes, ["var-run-argo"]);
    }

    fn executor_init(template: &str) -> Container {
        Container {
            name: "init".to_owned(),
            command: Some(vec!["argoexec".to_owned()]),
            args: Some(vec!["init".to_owned()]),
            env: Some(vec![EnvVar {
                name: "ARGO_TEMPLATE".to_owned(),
                value: Some(template.to_owned()),
                value_from: None,
            }]),
            ..Container::default()
        }
    }

    #[test]
    fn the_executor_init_is_left_out_only_when_it_has_nothing_to_stage() {
        let with_init = |inits: Vec<Container>| {
            let mut pod = rendered();
            pod.spec.as_mut().expect("spec").init_containers = Some(inits);
            pods(Sandbox::Namespaces).rewrite(&mut pod);
            let spec = pod.spec.expect("spec");
            spec.init_containers
                .unwrap_or_default()
                .into_iter()
                .map(|c| c.name)
                .collect::<Vec<_>>()
        };
        let plain = r#"{"name":"a","container":{"image":"busybox","command":["true"]}}"#;
        assert!(with_init(vec![executor_init(plain)]).is_empty());

        let script = r#"{"name":"a","script":{"image":"python","source":"print(1)"}}"#;
        assert_eq!(with_init(vec![executor_init(script)]), ["init"]);
        let artifact = r#"{"name":"a","inputs":{"artifacts":[{"name":"f","path":"/f"}]},
            "container":{"image":"busybox","command":["cat","/f"]}}"#;
        assert_eq!(with_init(vec![executor_init(artifact)]), ["init"]);
        // Unreadable template: keep the container, it reports the problem itself.
        assert_eq!(with_init(vec![executor_init("{")]), ["init"]);
        // A user's init container of the same name is never touched.
        let user_init = Container {
            name: "init".to_owned(),
            command: Some(vec!["sh".to_owned()]),
            ..Container::default()
        };
        assert_eq!(with_init(vec![executor_init(plain), user_init]), ["init"]);
    }

    #[test]
    fn sandboxed_pods_bind_the_data_directory() {
        let mut pod = rendered();
        pods(Sandbox::Namespaces).rewrite(&mut pod);
        let spec = pod.spec.expect("spec");
        let mounts = spec.containers[0].volume_mounts.as_ref().expect("mounts");
        assert!(mounts.iter().any(|m| m.mount_path == DATA_MOUNT_PATH));
        let env = spec.containers[0].env.as_ref().expect("env");
        let value = |name: &str| {
            env.iter()
                .find(|e| e.name == name)
                .and_then(|e| e.value.clone())
                .expect("set")
        };
        assert_eq!(value("ARGO_STORE"), "sqlite:///var/run/argo-local/store.db");
        assert_eq!(value("ARGO_ARTIFACT_ROOT"), "/var/run/argo-local/artifacts");
        // Paths through host links are the runtime's business: kept as written.
        assert!(mounts.iter().any(|m| m.mount_path == "/var/run/argo"));
        assert!(
            spec.volumes
                .expect("volumes")
                .iter()
                .any(|v| v.name == DATA_VOLUME)
        );
    }

    fn with_wait(extra: Option<&str>) -> Pod {
        let mut pod = rendered();
        let spec = pod.spec.as_mut().expect("spec");
        let mut wait = spec.containers[0].clone();
        wait.name = "wait".to_owned();
        wait.command = Some(vec!["argoexec".to_owned(), "wait".to_owned()]);
        if let Some(name) = extra {
            let mirrored = VolumeMount {
                name: name.to_owned(),
                mount_path: "/work".to_owned(),
                ..VolumeMount::default()
            };
            wait.volume_mounts
                .get_or_insert_with(Vec::new)
                .push(mirrored);
        }
        spec.containers.insert(0, wait);
        pod
    }

    fn value_of(container: &Container, name: &str) -> Option<String> {
        let env = container.env.as_ref()?;
        env.iter()
            .find(|e| e.name == name)
            .and_then(|e| e.value.clone())
    }

    #[test]
    fn a_wait_that_mounts_only_the_shared_volume_runs_on_the_host() {
        let mut pod = with_wait(None);
        pods(Sandbox::Namespaces).rewrite(&mut pod);
        let annotations = pod.metadata.annotations.clone().unwrap_or_default();
        assert_eq!(
            annotations
                .get("host.local.argoproj.io/wait")
                .map(String::as_str),
            Some("true")
        );
        let spec = pod.spec.expect("spec");
        let (wait, main) = (&spec.containers[0], &spec.containers[1]);
        assert_eq!(wait.volume_mounts.as_deref(), Some(&[][..]));
        assert_eq!(
            value_of(wait, "ARGO_STORE").as_deref(),
            Some("sqlite:///data/store.db")
        );
        assert_eq!(
            value_of(wait, "ARGO_ARTIFACT_ROOT").as_deref(),
            Some("/data/artifacts")
        );
        assert_eq!(
            value_of(wait, "ARGO_VAR_RUN").as_deref(),
            Some("/data/runtime/pods/argo/wf-a-1/volumes/var-run-argo")
        );
        // main keeps the sandbox's view of the same places.
        assert_eq!(
            value_of(main, "ARGO_STORE").as_deref(),
            Some("sqlite:///var/run/argo-local/store.db")
        );
        assert_eq!(value_of(main, "ARGO_VAR_RUN"), None);
        let mounts = main.volume_mounts.as_ref().expect("mounts");
        assert!(mounts.iter().any(|m| m.mount_path == "/var/run/argo"));
    }

    #[test]
    fn a_wait_that_mirrors_main_mounts_stays_in_the_sandbox() {
        let mut pod = with_wait(Some("workspace"));
        pods(Sandbox::Namespaces).rewrite(&mut pod);
        assert!(pod.metadata.annotations.is_none());
        let wait = &pod.spec.expect("spec").containers[0];
        let mounts = wait.volume_mounts.as_ref().expect("mounts");
        assert!(mounts.iter().any(|m| m.mount_path == "/work"));
        assert!(mounts.iter().any(|m| m.mount_path == DATA_MOUNT_PATH));
        assert_eq!(value_of(wait, "ARGO_VAR_RUN"), None);

        // Unsandboxed pods need no annotation: every container is on the host already.
        let mut pod = with_wait(None);
        pods(Sandbox::None).rewrite(&mut pod);
        assert!(pod.metadata.annotations.is_none());
    }
}
