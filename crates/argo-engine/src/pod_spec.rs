//! Pod rendering: the Kubernetes Pod a container or script node runs in, the way Argo's
//! emissary executor expects it (init + wait containers around `main`, the `var-run-argo`
//! volume, ARGO_* environment with the resolved template as JSON).
//!
//! Rendering happens in the controller, pod by pod, from a checked [`PodRecipe`].
//!
//! Must not: decide whether a pod is created (executors do), fail (the recipe was checked when
//! it was made), or depend on where it runs.

use std::collections::BTreeMap;

use argo_core::Template;
use argo_core::k8s_openapi::api::core::v1::{
    Container, EmptyDirVolumeSource, EnvVar, EnvVarSource, ObjectFieldSelector, Pod, PodSpec,
    Volume, VolumeMount,
};
use argo_core::k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};

use crate::pod_request::PodRecipe;

/// Where the executor binary and emissary files are shared between containers.
pub const VAR_RUN_ARGO: &str = "/var/run/argo";
/// Where a script's source is staged for the main container.
pub const SCRIPT_SOURCE_PATH: &str = "/argo/staging/script";
/// Label carrying the workflow name on every pod.
pub const LABEL_WORKFLOW: &str = "workflows.argoproj.io/workflow";
/// Label marking pods of exit handlers (kept running on Stop).
pub const LABEL_ON_EXIT: &str = "workflows.argoproj.io/on-exit";
/// Annotation with the node name.
pub const ANNOTATION_NODE_NAME: &str = "workflows.argoproj.io/node-name";
/// Annotation with the node id.
pub const ANNOTATION_NODE_ID: &str = "workflows.argoproj.io/node-id";

impl PodRecipe {
    /// Renders the pod for a container or script node.
    pub(crate) fn render(&self) -> Pod {
        let template = &*self.template;
        let workflow = &*self.workflow;

        let mut labels = BTreeMap::new();
        labels.insert(LABEL_WORKFLOW.to_owned(), workflow.name.clone());
        labels.insert(
            "workflows.argoproj.io/completed".to_owned(),
            "false".to_owned(),
        );
        if self.on_exit {
            labels.insert(LABEL_ON_EXIT.to_owned(), "true".to_owned());
        }
        let mut annotations = BTreeMap::new();
        annotations.insert(ANNOTATION_NODE_NAME.to_owned(), self.node_name.clone());
        annotations.insert(ANNOTATION_NODE_ID.to_owned(), self.node_id.clone());
        annotations.insert(
            "workflows.argoproj.io/node-type".to_owned(),
            "Pod".to_owned(),
        );
        annotations.insert(
            "kubectl.kubernetes.io/default-container".to_owned(),
            "main".to_owned(),
        );
        for metadata in [workflow.pod_metadata.as_ref(), Some(&template.metadata)]
            .into_iter()
            .flatten()
        {
            labels.extend(metadata.labels.clone());
            annotations.extend(metadata.annotations.clone());
        }

        // Each container gets its own copy of the executor environment, a good part of what a
        // pod costs to render: the last one takes the original, and `wait` is only built
        // when the pod has one.
        let needs_wait = crate::executor::needs_wait_container(template);
        let takers = 1 + usize::from(needs_wait) + main_count(template) + template.sidecars.len();
        let mut env = EnvCopies::new(self.executor_env(), takers);
        let var_run_mount = VolumeMount {
            name: "var-run-argo".to_owned(),
            mount_path: VAR_RUN_ARGO.to_owned(),
            ..VolumeMount::default()
        };
        let init = self.executor_container("init", &["init"], env.take("init"), &var_run_mount);
        let wait_env = needs_wait.then(|| env.take("wait"));
        let mains = self.main_containers(&mut env, &var_run_mount);
        let mut containers = Vec::with_capacity(mains.len() + 1 + template.sidecars.len());
        if let Some(wait_env) = wait_env {
            let mut wait = self.executor_container("wait", &["wait"], wait_env, &var_run_mount);
            mirror_volume_mounts(&mut wait, &mains);
            containers.push(wait);
        }
        containers.extend(mains);
        for sidecar in &template.sidecars {
            let mut container = sidecar.container.clone();
            let copy = env.take(&container.name);
            container.env.get_or_insert_with(Vec::new).extend(copy);
            containers.push(container);
        }
        let mut init_containers = vec![init];
        init_containers.extend(template.init_containers.iter().map(|c| c.container.clone()));

        let mut volumes = vec![Volume {
            name: "var-run-argo".to_owned(),
            empty_dir: Some(EmptyDirVolumeSource::default()),
            ..Volume::default()
        }];
        volumes.extend(workflow.volumes.iter().cloned());
        volumes.extend(template.volumes.iter().cloned());

        let service_account = if template.service_account_name.is_empty() {
            workflow.service_account_name.clone()
        } else {
            template.service_account_name.clone()
        };
        let node_selector: BTreeMap<String, String> = workflow
            .node_selector
            .clone()
            .into_iter()
            .chain(template.node_selector.clone())
            .collect();
        let spec = PodSpec {
            restart_policy: Some("Never".to_owned()),
            containers,
            init_containers: Some(init_containers),
            volumes: Some(volumes),
            service_account_name: (!service_account.is_empty()).then_some(service_account),
            node_selector: (!node_selector.is_empty()).then_some(node_selector),
            affinity: template
                .affinity
                .clone()
                .or_else(|| workflow.affinity.clone()),
            tolerations: Some(if template.tolerations.is_empty() {
                workflow.tolerations.clone()
            } else {
                template.tolerations.clone()
            })
            .filter(|t| !t.is_empty()),
            scheduler_name: Some(if template.scheduler_name.is_empty() {
                workflow.scheduler_name.clone()
            } else {
                template.scheduler_name.clone()
            })
            .filter(|s| !s.is_empty()),
            priority_class_name: Some(if template.priority_class_name.is_empty() {
                workflow.pod_priority_class_name.clone()
            } else {
                template.priority_class_name.clone()
            })
            .filter(|s| !s.is_empty()),
            active_deadline_seconds: self.active_deadline_seconds,
            security_context: template
                .security_context
                .clone()
                .or_else(|| workflow.security_context.clone()),
            host_aliases: Some(
                [workflow.host_aliases.clone(), template.host_aliases.clone()].concat(),
            )
            .filter(|h| !h.is_empty()),
            ..PodSpec::default()
        };
        let owner = OwnerReference {
            api_version: "argoproj.io/v1alpha1".to_owned(),
            kind: "Workflow".to_owned(),
            name: workflow.name.clone(),
            uid: workflow.uid.clone(),
            block_owner_deletion: Some(true),
            controller: Some(true),
        };
        Pod {
            metadata: ObjectMeta {
                name: Some(self.pod_name.clone()),
                namespace: Some(workflow.namespace.clone()),
                labels: Some(labels),
                annotations: Some(annotations),
                owner_references: Some(vec![owner]),
                ..ObjectMeta::default()
            },
            spec: Some(spec),
            status: None,
        }
    }

    /// The containers that run user code, each wrapped by the emissary: `main` (container and
    /// script templates) or every container of a container set (with the set's volume mounts).
    /// (The recipe was checked to have at least one such container.)
    fn main_containers(&self, env: &mut EnvCopies, var_run_mount: &VolumeMount) -> Vec<Container> {
        let template = &*self.template;
        let config = &self.workflow.config;
        let mut mains: Vec<Container> = match &template.container_set {
            Some(set) => set.containers.iter().map(|c| c.container.clone()).collect(),
            None => {
                let main = template.main_container().cloned();
                let mut main = main
                    .or_else(|| crate::executor::executor_main_container(template, config))
                    .unwrap_or_default();
                main.name = "main".to_owned();
                if let Some(script) = &template.script
                    && !script.source.is_empty()
                {
                    main.args
                        .get_or_insert_with(Vec::new)
                        .push(SCRIPT_SOURCE_PATH.to_owned());
                }
                vec![main]
            }
        };
        for main in &mut mains {
            let mut original_command = main.command.take().unwrap_or_default();
            if original_command.is_empty()
                && let Some(image) = main.image.as_deref()
                && let Some(entrypoint) = config.image_entrypoint(image)
            {
                original_command = entrypoint.to_vec();
            }
            let mut command = vec![
                format!("{VAR_RUN_ARGO}/argoexec"),
                "emissary".to_owned(),
                "--".to_owned(),
            ];
            command.extend(original_command);
            main.command = Some(command);
            let copy = env.take(&main.name);
            main.env.get_or_insert_with(Vec::new).extend(copy);
            let mounts = main.volume_mounts.get_or_insert_with(Vec::new);
            mounts.push(var_run_mount.clone());
            if let Some(set) = &template.container_set {
                mounts.extend(set.volume_mounts.iter().cloned());
            }
        }
        mains
    }

    fn executor_container(
        &self,
        name: &str,
        args: &[&str],
        env: Vec<EnvVar>,
        mount: &VolumeMount,
    ) -> Container {
        Container {
            name: name.to_owned(),
            image: Some(self.workflow.config.executor_image.clone()),
            image_pull_policy: Some(self.workflow.config.executor_image_pull_policy.clone())
                .filter(|p| !p.is_empty()),
            command: Some(vec!["argoexec".to_owned()]),
            args: Some(args.iter().map(|a| (*a).to_owned()).collect()),
            env: Some(env),
            volume_mounts: Some(vec![mount.clone()]),
            ..Container::default()
        }
    }

    fn executor_env(&self) -> Vec<EnvVar> {
        let workflow = &*self.workflow;
        let field = |path: &str| EnvVarSource {
            field_ref: Some(ObjectFieldSelector {
                api_version: Some("v1".to_owned()),
                field_path: path.to_owned(),
            }),
            ..EnvVarSource::default()
        };
        let value = |name: &str, value: String| EnvVar {
            name: name.to_owned(),
            value: Some(value),
            value_from: None,
        };
        let mut env = vec![
            EnvVar {
                name: "ARGO_POD_NAME".to_owned(),
                value: None,
                value_from: Some(field("metadata.name")),
            },
            EnvVar {
                name: "ARGO_POD_UID".to_owned(),
                value: None,
                value_from: Some(field("metadata.uid")),
            },
            value("ARGO_WORKFLOW_NAME", workflow.name.clone()),
            value("ARGO_WORKFLOW_UID", workflow.uid.clone()),
        ];
        if !workflow.config.instance_id.is_empty() {
            env.push(value(
                "ARGO_INSTANCE_ID",
                workflow.config.instance_id.clone(),
            ));
        }
        env.push(value("ARGO_TEMPLATE", self.template_json.to_string()));
        env.push(value("ARGO_NODE_ID", self.node_id.clone()));
        env.push(value(
            "ARGO_INCLUDE_SCRIPT_OUTPUT",
            self.include_script_output.to_string(),
        ));
        env.push(value("ARGO_DEADLINE", self.deadline.clone()));
        env
    }
}

/// How many containers run user code: a container set's containers, or `main`.
fn main_count(template: &Template) -> usize {
    template
        .container_set
        .as_ref()
        .map_or(1, |set| set.containers.len())
}

/// The executor environment handed to a pod's containers, each with `ARGO_CONTAINER_NAME`
/// first: copies for all but the last taker, which gets the original.
struct EnvCopies {
    env: Vec<EnvVar>,
    left: usize,
}

impl EnvCopies {
    /// `takers` must be the exact number of containers that will take a copy.
    fn new(mut env: Vec<EnvVar>, takers: usize) -> Self {
        env.reserve(1);
        EnvCopies { env, left: takers }
    }

    fn take(&mut self, container: &str) -> Vec<EnvVar> {
        let name = EnvVar {
            name: "ARGO_CONTAINER_NAME".to_owned(),
            value: Some(container.to_owned()),
            value_from: None,
        };
        debug_assert!(
            self.left > 0,
            "more containers took the environment than counted"
        );
        self.left = self.left.saturating_sub(1);
        if self.left == 0 {
            let mut env = std::mem::take(&mut self.env);
            env.insert(0, name);
            return env;
        }
        let mut out = Vec::with_capacity(self.env.len() + 1);
        out.push(name);
        out.extend(self.env.iter().cloned());
        out
    }
}

/// Mounts the user containers' volumes in `wait` too (as Argo does), so that outputs written
/// to a volume by any container (a container set's sibling, say) are read from the volume
/// itself when wait collects them, not from a copy taken when `main` exited.
fn mirror_volume_mounts(wait: &mut Container, mains: &[Container]) {
    let mounts = wait.volume_mounts.get_or_insert_with(Vec::new);
    for mount in mains
        .iter()
        .flat_map(|main| main.volume_mounts.iter().flatten())
    {
        if !mounts.iter().any(|m| m.mount_path == mount.mount_path) {
            mounts.push(mount.clone());
        }
    }
}
