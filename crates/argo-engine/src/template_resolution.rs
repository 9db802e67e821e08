//! Template resolution: from a step, task or node's template reference (name, `templateRef`
//! or inline) to a concrete template, tracking the scope (the workflow itself, a
//! WorkflowTemplate or a ClusterWorkflowTemplate) that later names resolve in, storing
//! referenced templates in `status.storedTemplates` and merging `templateDefaults`.
//!
//! Must not: substitute parameters (see `inputs`) or look anything up outside `Observed`
//! and the workflow's stored templates.

use std::borrow::Cow;

use argo_core::{Template, TemplateRef};

use crate::error::{Error, Result};
use crate::operation::{Operation, ResolvedTemplate, TemplateCall};
use crate::shared_template::SharedTemplate;

/// Where template names are looked up.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) enum TemplateScope {
    /// The workflow's own templates.
    #[default]
    Local,
    /// A WorkflowTemplate's templates.
    Namespaced(String),
    /// A ClusterWorkflowTemplate's templates.
    Cluster(String),
}

impl TemplateScope {
    /// The node `templateScope` string: `local/<workflow>`, `namespaced/<name>`,
    /// `cluster/<name>`.
    pub fn render(&self, workflow_name: &str) -> String {
        match self {
            TemplateScope::Local => format!("local/{workflow_name}"),
            TemplateScope::Namespaced(name) => format!("namespaced/{name}"),
            TemplateScope::Cluster(name) => format!("cluster/{name}"),
        }
    }

    /// Parses a node's `templateScope`.
    pub fn parse(text: &str) -> Self {
        match text.split_once('/') {
            Some(("namespaced", name)) => TemplateScope::Namespaced(name.to_owned()),
            Some(("cluster", name)) => TemplateScope::Cluster(name.to_owned()),
            _ => TemplateScope::Local,
        }
    }
}

/// The stored-template key Argo uses: `<scope>/<resource>/<template>`.
fn stored_key(cluster_scope: bool, resource: &str, template: &str) -> String {
    let scope = if cluster_scope {
        "cluster"
    } else {
        "namespaced"
    };
    format!("{scope}/{resource}/{template}")
}

impl<'a> Operation<'a> {
    /// Resolves the template a call refers to, in `scope`; returns the scope nested names
    /// resolve in and the template with `templateDefaults` merged.
    pub(crate) fn resolve_template(
        &mut self,
        scope: &TemplateScope,
        call: &TemplateCall,
    ) -> Result<(TemplateScope, SharedTemplate<'a>)> {
        self.resolve_template_marked(scope, call)
            .map(|resolved| (resolved.scope, resolved.template))
    }

    /// [`Operation::resolve_template`], also saying whether the template holds any `{{` tag
    /// and whether it mentions `.outputs.result`.
    /// Named templates and references are resolved once per reconcile and shared; a local
    /// template used as written is borrowed from the spec (a DAG of 10,000 tasks is not
    /// copied for every node that calls or reports to it, nor once per reconcile).
    pub(crate) fn resolve_template_marked(
        &mut self,
        scope: &TemplateScope,
        call: &TemplateCall,
    ) -> Result<ResolvedTemplate<'a>> {
        let key = match (&call.inline, &call.template_ref) {
            (Some(_), _) => None,
            (None, Some(reference)) => Some(format!(
                "ref/{}/{}/{}",
                reference.cluster_scope, reference.name, reference.template
            )),
            (None, None) => Some(format!("{scope:?}/{}", call.template)),
        };
        if let Some(found) = key.as_ref().and_then(|k| self.resolved_templates.get(k)) {
            return Ok(found.clone());
        }
        let (next_scope, template) = self.resolve_raw(scope, call)?;
        let template = if self.spec.template_defaults.is_some() {
            SharedTemplate::from(self.merge_template_defaults(&template)?)
        } else {
            template
        };
        let marks = self.template_marks(&template);
        let resolved = ResolvedTemplate {
            scope: next_scope,
            marks,
            template,
        };
        if let Some(key) = key {
            self.resolved_templates.insert(key, resolved.clone());
        }
        Ok(resolved)
    }

    /// The tag marks of a template: one of the workflow's own templates used as written is
    /// walked once per spec (the caller's cache keeps the answer), any other on each call.
    fn template_marks(&mut self, template: &SharedTemplate<'a>) -> crate::tags::Marks {
        let SharedTemplate::Spec(own) = template else {
            return crate::tags::template_marks(template);
        };
        let own = *own;
        if !self.is_own_template(own) {
            return crate::tags::template_marks(own);
        }
        if let Some(marks) = self.spec_cache.marks.get(&own.name) {
            return *marks;
        }
        let marks = crate::tags::template_marks(own);
        self.spec_cache.marks.insert(own.name.clone(), marks);
        marks
    }

    /// Whether `template` is one of the workflow's own `spec.templates`, used as written (the
    /// only templates the caller's spec cache may describe).
    pub(crate) fn is_own_template(&self, template: &Template) -> bool {
        self.wf
            .spec
            .template(&template.name)
            .is_some_and(|t| std::ptr::eq(t, template))
    }

    fn resolve_raw(
        &mut self,
        scope: &TemplateScope,
        call: &TemplateCall,
    ) -> Result<(TemplateScope, SharedTemplate<'a>)> {
        if let Some(inline) = &call.inline {
            return Ok((scope.clone(), SharedTemplate::from((**inline).clone())));
        }
        if let Some(reference) = &call.template_ref {
            return self
                .resolve_reference(reference)
                .map(|(scope, t)| (scope, SharedTemplate::from(t)));
        }
        self.resolve_name(scope, &call.template)
            .map(|template| (scope.clone(), template))
    }

    fn resolve_name(&mut self, scope: &TemplateScope, name: &str) -> Result<SharedTemplate<'a>> {
        match scope {
            TemplateScope::Local => {
                let found = match &self.spec {
                    Cow::Borrowed(spec) => spec.template(name).map(SharedTemplate::Spec),
                    Cow::Owned(spec) => spec.template(name).cloned().map(SharedTemplate::from),
                };
                found.ok_or_else(|| Error::TemplateNotFound {
                    name: name.to_owned(),
                })
            }
            TemplateScope::Namespaced(resource) => {
                let reference = TemplateRef {
                    name: resource.clone(),
                    template: name.to_owned(),
                    cluster_scope: false,
                };
                self.resolve_reference(&reference)
                    .map(|(_, t)| SharedTemplate::from(t))
            }
            TemplateScope::Cluster(resource) => {
                let reference = TemplateRef {
                    name: resource.clone(),
                    template: name.to_owned(),
                    cluster_scope: true,
                };
                self.resolve_reference(&reference)
                    .map(|(_, t)| SharedTemplate::from(t))
            }
        }
    }

    fn resolve_reference(&mut self, reference: &TemplateRef) -> Result<(TemplateScope, Template)> {
        let next_scope = if reference.cluster_scope {
            TemplateScope::Cluster(reference.name.clone())
        } else {
            TemplateScope::Namespaced(reference.name.clone())
        };
        let key = stored_key(
            reference.cluster_scope,
            &reference.name,
            &reference.template,
        );
        if let Some(stored) = self.status.stored_templates.get(&key) {
            return Ok((next_scope, stored.clone()));
        }
        let kind = if reference.cluster_scope {
            "ClusterWorkflowTemplate"
        } else {
            "WorkflowTemplate"
        };
        let spec = self
            .observed
            .templates
            .spec(&reference.name, reference.cluster_scope)
            .ok_or_else(|| Error::msg(format!("{kind} '{}' not found", reference.name)))?;
        let template = spec.template(&reference.template).cloned().ok_or_else(|| {
            Error::msg(format!(
                "template {} not found in workflow template {}",
                reference.template, reference.name
            ))
        })?;
        self.status.stored_templates.insert(key, template.clone());
        Ok((next_scope, template))
    }

    /// Merges `spec.templateDefaults` under a template (the template's own fields win).
    pub(crate) fn merge_template_defaults(&self, template: &Template) -> Result<Template> {
        let Some(defaults) = &self.spec.template_defaults else {
            return Ok(template.clone());
        };
        let mut base = serde_json::to_value(defaults.as_ref())
            .map_err(|e| Error::msg(format!("template defaults: {e}")))?;
        let overlay =
            serde_json::to_value(template).map_err(|e| Error::msg(format!("template: {e}")))?;
        merge_json(&mut base, overlay);
        serde_json::from_value(base)
            .map_err(|e| Error::msg(format!("merging template defaults: {e}")))
    }

    /// The template of the boundary node `boundary_id` (a steps or DAG node), cached per
    /// reconcile.
    pub(crate) fn boundary_template(&mut self, boundary_id: &str) -> Option<SharedTemplate<'a>> {
        self.boundary_resolved(boundary_id).map(|r| r.template)
    }

    /// [`Operation::boundary_template`] with what the walk over it found.
    pub(crate) fn boundary_resolved(&mut self, boundary_id: &str) -> Option<ResolvedTemplate<'a>> {
        if let Some(cached) = self.boundary_templates.get(boundary_id) {
            return cached.clone();
        }
        let node = self.status.nodes.get(boundary_id)?.clone();
        let scope = TemplateScope::parse(&node.template_scope);
        let call = TemplateCall {
            template: node.template_name.clone(),
            template_ref: node.template_ref.clone(),
            ..TemplateCall::default()
        };
        let resolved = if call.template.is_empty() && call.template_ref.is_none() {
            None
        } else {
            self.resolve_template_marked(&scope, &call).ok()
        };
        self.boundary_templates
            .insert(boundary_id.to_owned(), resolved.clone());
        resolved
    }
}

/// Deep-merges `overlay` into `base`: objects merge key by key, everything else replaces.
pub(crate) fn merge_json(base: &mut serde_json::Value, overlay: serde_json::Value) {
    match (base, overlay) {
        (serde_json::Value::Object(base), serde_json::Value::Object(overlay)) => {
            for (key, value) in overlay {
                match base.get_mut(&key) {
                    Some(existing) => merge_json(existing, value),
                    None => {
                        base.insert(key, value);
                    }
                }
            }
        }
        (base, overlay) => *base = overlay,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_scopes_render_like_argo() {
        assert_eq!(TemplateScope::Local.render("wf"), "local/wf");
        assert_eq!(
            TemplateScope::parse("namespaced/my-wft"),
            TemplateScope::Namespaced("my-wft".into())
        );
        assert_eq!(TemplateScope::parse("local/wf"), TemplateScope::Local);
    }

    #[test]
    fn merging_keeps_template_fields_over_defaults() {
        let mut base =
            serde_json::json!({"timeout": "1m", "container": {"image": "a", "args": ["x"]}});
        merge_json(&mut base, serde_json::json!({"container": {"image": "b"}}));
        assert_eq!(base["container"]["image"], "b");
        assert_eq!(base["container"]["args"][0], "x");
        assert_eq!(base["timeout"], "1m");
    }
}
