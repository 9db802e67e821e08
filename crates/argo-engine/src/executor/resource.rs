//! Resource templates (Argo's `executeResource`): a Pod node whose `main` container runs the
//! executor itself (`argoexec resource <action>`), which reads the manifest, success/failure
//! conditions and output parameters from ARGO_TEMPLATE. Such pods have no `wait` container:
//! `argoexec resource` reports its outputs itself.
//!
//! Must not: parse or apply the manifest (the executor does, against the store).

use argo_core::k8s_openapi::api::core::v1::Container;
use argo_core::{Template, TemplateKind};

use crate::config::EngineConfig;
use crate::operation::Operation;

/// The `main` container of templates the executor runs itself (resource and data), or `None`
/// for other kinds.
pub(crate) fn executor_main_container(
    template: &Template,
    config: &EngineConfig,
) -> Option<Container> {
    let args = match template.kind()? {
        TemplateKind::Resource => {
            let action = template.resource.as_ref()?.action.clone();
            vec!["resource".to_owned(), action]
        }
        TemplateKind::Data => super::data::data_args(template)?,
        _ => return None,
    };
    let mut command = vec!["argoexec".to_owned()];
    command.extend(args);
    Some(Container {
        name: "main".to_owned(),
        image: Some(config.executor_image.clone()),
        image_pull_policy: Some(config.executor_image_pull_policy.clone())
            .filter(|p| !p.is_empty()),
        command: Some(command),
        ..Container::default()
    })
}

/// Whether a template's pod has a `wait` container: not for resource and data templates,
/// whose `main` is the executor and reports its own outputs.
pub(crate) fn needs_wait_container(template: &Template) -> bool {
    !matches!(
        template.kind(),
        Some(TemplateKind::Resource | TemplateKind::Data)
    )
}

impl Operation<'_> {
    /// The error a resource or data executor reported for its failed node (Argo reads it from
    /// the container's termination message), unless the pod's own message carries it already.
    pub(crate) fn executor_failure_message(
        &self,
        node: &argo_core::NodeStatus,
        template: Option<&Template>,
        phase: &argo_core::NodePhase,
    ) -> Option<String> {
        let template = template?;
        if needs_wait_container(template) || !phase.is_failed_or_error() {
            return None;
        }
        let result = self.observed.task_results.get(&node.id)?;
        (!result.message.is_empty()).then(|| result.message.clone())
    }
}
