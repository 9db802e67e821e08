//! Pods as the engine asks for them: the few facts a pod is rendered from (its node, its
//! template and the workflow-wide pod settings, shared by every pod of a reconcile), not the
//! rendered Kubernetes object. The controller renders each pod just before it creates it, so a
//! pass that asks for 10,000 pods holds 10,000 small requests instead of 10,000 full specs.
//!
//! Everything that can fail is checked when the request is made (in the reconcile); rendering
//! cannot fail. Must not: decide whether a pod is asked for (executors do) or hold anything
//! that is not `Send` (effects cross the controller's tasks).

use std::collections::BTreeMap;
use std::sync::Arc;

use argo_core::k8s_openapi::api::core::v1::{
    Affinity, HostAlias, Pod, PodSecurityContext, Toleration, Volume,
};
use argo_core::{Metadata, NodeStatus, Template};

use crate::config::EngineConfig;
use crate::error::{Error, Result};
use crate::node_id;
use crate::operation::Operation;
use crate::shared_template::SharedTemplate;

/// A pod the engine asked for; [`PodRequest::render`] makes its Kubernetes spec.
#[derive(Debug, Clone, PartialEq)]
pub struct PodRequest(Request);

#[derive(Debug, Clone, PartialEq)]
enum Request {
    Recipe(Box<PodRecipe>),
    Rendered(Box<Pod>),
}

impl PodRequest {
    /// A request for a pod rendered already (as it is created, apart from the controller's
    /// adaptation to where it runs).
    pub fn rendered(pod: Pod) -> Self {
        PodRequest(Request::Rendered(Box::new(pod)))
    }

    /// The pod's name.
    pub fn name(&self) -> &str {
        match &self.0 {
            Request::Recipe(recipe) => &recipe.pod_name,
            Request::Rendered(pod) => pod.metadata.name.as_deref().unwrap_or_default(),
        }
    }

    /// The pod's full spec.
    pub fn render(&self) -> Pod {
        match &self.0 {
            Request::Recipe(recipe) => recipe.render(),
            Request::Rendered(pod) => (**pod).clone(),
        }
    }

    /// The pod's full spec, without a copy when it was rendered already.
    pub fn into_pod(self) -> Pod {
        match self.0 {
            Request::Recipe(recipe) => recipe.render(),
            Request::Rendered(pod) => *pod,
        }
    }
}

/// What a pod is rendered from (see `pod_spec` for how).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PodRecipe {
    pub(crate) workflow: Arc<PodDefaults>,
    pub(crate) template: Arc<Template>,
    /// The template as the executor reads it (`ARGO_TEMPLATE`).
    pub(crate) template_json: Arc<str>,
    pub(crate) pod_name: String,
    pub(crate) node_name: String,
    pub(crate) node_id: String,
    /// `ARGO_DEADLINE`, formatted.
    pub(crate) deadline: String,
    /// The template's `activeDeadlineSeconds`, substituted.
    pub(crate) active_deadline_seconds: Option<i64>,
    /// Whether the executor captures stdout as `outputs.result`.
    pub(crate) include_script_output: bool,
    /// Whether the pod runs an exit handler.
    pub(crate) on_exit: bool,
}

/// What every pod of one workflow takes from the workflow and the engine's configuration;
/// built once per reconcile that asks for a pod.
#[derive(Debug, PartialEq)]
pub(crate) struct PodDefaults {
    pub(crate) name: String,
    pub(crate) namespace: String,
    pub(crate) uid: String,
    pub(crate) config: EngineConfig,
    pub(crate) pod_metadata: Option<Metadata>,
    pub(crate) volumes: Vec<Volume>,
    pub(crate) service_account_name: String,
    pub(crate) node_selector: BTreeMap<String, String>,
    pub(crate) affinity: Option<Affinity>,
    pub(crate) tolerations: Vec<Toleration>,
    pub(crate) scheduler_name: String,
    pub(crate) pod_priority_class_name: String,
    pub(crate) security_context: Option<PodSecurityContext>,
    pub(crate) host_aliases: Vec<HostAlias>,
}

/// A template shared by the pods of a reconcile, with its `ARGO_TEMPLATE` text.
#[derive(Debug, Clone)]
pub(crate) struct PodTemplate {
    template: Arc<Template>,
    json: Arc<str>,
}

impl<'a> Operation<'a> {
    /// The request for `node`'s pod, checked so that rendering it cannot fail.
    pub(crate) fn pod_request(
        &mut self,
        node: &NodeStatus,
        template: &SharedTemplate<'a>,
        include_script_output: bool,
        on_exit: bool,
    ) -> Result<PodRequest> {
        let deadline = self.pod_deadline(node, template)?;
        let active_deadline_seconds = match &template.active_deadline_seconds {
            Some(value) => Some(self.int_or_string(value)?),
            None => None,
        };
        check_main_containers(template, self.config)?;
        let PodTemplate {
            template: shared,
            json,
        } = self.pod_template(template)?;
        let workflow = self.pod_defaults();
        Ok(PodRequest(Request::Recipe(Box::new(PodRecipe {
            pod_name: node_id::pod_name(&self.name, &node.name, &template.name),
            workflow,
            template: shared,
            template_json: json,
            node_name: node.name.clone(),
            node_id: node.id.clone(),
            deadline,
            active_deadline_seconds,
            include_script_output: include_script_output
                || crate::executor::captures_result(template),
            on_exit,
        }))))
    }

    /// The template as pods share it; computed once per reconcile for a template borrowed from
    /// the spec (every pod of a 10,000-task fan-out carries the same one).
    fn pod_template(&mut self, template: &SharedTemplate<'a>) -> Result<PodTemplate> {
        let key = match template {
            SharedTemplate::Spec(spec) => Some(std::ptr::from_ref::<Template>(spec)),
            SharedTemplate::Built(_) => None,
        };
        if let Some(found) = key.and_then(|k| self.pod_templates.get(&k)) {
            return Ok(found.clone());
        }
        let json: Arc<str> = serde_json::to_string(&**template)
            .map_err(|e| Error::msg(e.to_string()))?
            .into();
        let shared = PodTemplate {
            template: Arc::new((**template).clone()),
            json,
        };
        if let Some(key) = key {
            self.pod_templates.insert(key, shared.clone());
        }
        Ok(shared)
    }

    /// The workflow's pod settings, taken on the first pod of the reconcile.
    fn pod_defaults(&mut self) -> Arc<PodDefaults> {
        if let Some(defaults) = &self.pod_defaults {
            return defaults.clone();
        }
        let spec = &self.spec;
        let defaults = Arc::new(PodDefaults {
            name: self.name.clone(),
            namespace: self.wf.namespace().to_owned(),
            uid: self.wf.metadata.uid.clone().unwrap_or_default(),
            config: self.config.clone(),
            pod_metadata: spec.pod_metadata.clone(),
            volumes: spec.volumes.clone(),
            service_account_name: spec.service_account_name.clone(),
            node_selector: spec.node_selector.clone(),
            affinity: spec.affinity.clone(),
            tolerations: spec.tolerations.clone(),
            scheduler_name: spec.scheduler_name.clone(),
            pod_priority_class_name: spec.pod_priority_class_name.clone(),
            security_context: spec.security_context.clone(),
            host_aliases: spec.host_aliases.clone(),
        });
        self.pod_defaults = Some(defaults.clone());
        defaults
    }

    /// The execution deadline a pod gets: the earlier of the workflow deadline and the
    /// template's `timeout` from the node's start (Go's zero time when there is none).
    fn pod_deadline(&self, node: &NodeStatus, template: &Template) -> Result<String> {
        let mut deadline = self.workflow_deadline;
        if !template.timeout.is_empty() {
            let timeout = crate::duration::parse_duration(&template.timeout)?;
            let start = node.started_at.as_ref().map_or(self.now, |t| t.0);
            let end = start.saturating_add(timeout).unwrap_or(start);
            deadline = Some(deadline.map_or(end, |d| d.min(end)));
        }
        Ok(match deadline {
            Some(d) => d.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
            None => "0001-01-01T00:00:00Z".to_owned(),
        })
    }
}

/// Fails the way rendering would on a template with no container to run: neither a container
/// or script, nor a resource or data step (whose `main` is the executor), nor a non-empty
/// container set.
fn check_main_containers(template: &Template, config: &EngineConfig) -> Result<()> {
    match &template.container_set {
        Some(set) if set.containers.is_empty() => Err(Error::msg(format!(
            "template '{}': containerSet.containers must not be empty",
            template.name
        ))),
        Some(_) => Ok(()),
        None if template.main_container().is_some()
            || crate::executor::executor_main_container(template, config).is_some() =>
        {
            Ok(())
        }
        None => Err(Error::msg(format!(
            "template '{}' has no container",
            template.name
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Effect, Observed};
    use jiff::Timestamp;

    fn fan_out(tasks: usize) -> argo_core::Workflow {
        let mut yaml = String::from(
            "metadata: {name: fan, namespace: ns, uid: u-1}\n\
             spec:\n  entrypoint: main\n  podMetadata: {labels: {team: a}}\n  templates:\n\
             \x20   - name: main\n      dag:\n        tasks:\n",
        );
        for i in 0..tasks {
            yaml.push_str(&format!("          - {{name: t{i}, template: noop}}\n"));
        }
        yaml.push_str(
            "    - name: noop\n      container: {image: busybox, command: [/bin/true]}\n",
        );
        serde_norway::from_str(&yaml).expect("a valid workflow")
    }

    /// The first reconcile of a `tasks`-wide fan-out.
    fn first_pass(tasks: usize) -> crate::Reconciled {
        crate::reconcile(
            &fan_out(tasks),
            &Observed::default(),
            Timestamp::UNIX_EPOCH,
            &EngineConfig::default(),
        )
    }

    fn recipes(effects: &[Effect]) -> Vec<&PodRecipe> {
        effects
            .iter()
            .filter_map(|effect| match effect {
                Effect::CreatePod {
                    pod: PodRequest(Request::Recipe(recipe)),
                    ..
                } => Some(&**recipe),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn the_pods_of_a_pass_share_one_template_and_one_copy_of_the_workflow_settings() {
        let reconciled = first_pass(3);
        let recipes = recipes(&reconciled.effects);
        assert_eq!(recipes.len(), 3, "{:?}", reconciled.effects);
        for recipe in &recipes[1..] {
            assert!(Arc::ptr_eq(&recipe.workflow, &recipes[0].workflow));
            assert!(Arc::ptr_eq(&recipe.template, &recipes[0].template));
            assert!(Arc::ptr_eq(
                &recipe.template_json,
                &recipes[0].template_json
            ));
        }
        let names: Vec<&str> = recipes.iter().map(|r| r.node_name.as_str()).collect();
        assert_eq!(names, ["fan.t0", "fan.t1", "fan.t2"]);
    }

    #[test]
    fn a_rendered_pod_carries_its_request_s_name_node_and_workflow_settings() {
        let reconciled = first_pass(2);
        for effect in &reconciled.effects {
            let Effect::CreatePod { node_id, pod } = effect else {
                continue;
            };
            let rendered = pod.render();
            assert_eq!(rendered.metadata.name.as_deref(), Some(pod.name()));
            assert_eq!(rendered.metadata.namespace.as_deref(), Some("ns"));
            let annotations = rendered.metadata.annotations.clone().unwrap_or_default();
            assert_eq!(
                annotations.get(crate::pod_spec::ANNOTATION_NODE_ID),
                Some(node_id)
            );
            let labels = rendered.metadata.labels.clone().unwrap_or_default();
            assert_eq!(labels.get("team").map(String::as_str), Some("a"));
            let owner = &rendered
                .metadata
                .owner_references
                .clone()
                .unwrap_or_default()[0];
            assert_eq!((owner.name.as_str(), owner.uid.as_str()), ("fan", "u-1"));
            assert_eq!(pod.clone().into_pod(), rendered, "rendering is repeatable");
        }
        let rendered = PodRequest::rendered(Pod::default());
        assert_eq!(rendered.name(), "");
        assert_eq!(rendered.into_pod(), Pod::default());
    }
}
