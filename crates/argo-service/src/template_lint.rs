//! Checks a manifest the way Argo's server does before storing it (`argo-validate`, Argo's rules
//! and messages), with the WorkflowTemplates and ClusterWorkflowTemplates it references looked
//! up in the store: for templates, cluster templates and cron workflows alike. The linter's
//! resolver is synchronous, so the candidates are listed up front.
//!
//! Must not: store anything, or compute cron fire times (the controller's scheduler does).

use argo_store::{ListParams, ResourceStore};
use argo_validate::{DocumentTemplates, LintContext};
use serde_json::Value;

use crate::conversion::{cluster_workflow_template_kind, object_json, workflow_template_kind};
use crate::{Error, Result};

/// How strictly a manifest is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LintMode {
    /// Admission before a write (Argo's `Opts{}`).
    Admit,
    /// The lint endpoints (Argo's `Opts{Lint: true}`).
    Lint,
}

/// Fails with InvalidArgument carrying Argo's message when `manifest` (of the Argo kind `kind`)
/// is not acceptable. `namespace` is where namespaced references are looked up; `None` for
/// cluster-scoped templates, which may only reference cluster-scoped ones.
pub async fn require_valid(
    store: &dyn ResourceStore,
    kind: &str,
    namespace: Option<&str>,
    manifest: &Value,
    mode: LintMode,
) -> Result<()> {
    let mut templates = DocumentTemplates::new().with_server_wording();
    if let Some(namespace) = namespace {
        let namespaced = store
            .list(
                &workflow_template_kind(),
                &ListParams::default().namespace(namespace),
            )
            .await?;
        for object in &namespaced.items {
            templates.add(&object_json(object)?);
        }
    }
    let cluster = store
        .list(&cluster_workflow_template_kind(), &ListParams::default())
        .await?;
    for object in &cluster.items {
        templates.add(&object_json(object)?);
    }
    let mut context = LintContext::with_resolver(templates);
    context.default_namespace = namespace.unwrap_or_default().to_owned();
    context.lint = mode == LintMode::Lint;
    // Protobuf already dropped fields the schema does not know.
    context.strict = false;
    let mut manifest = manifest.clone();
    if let Some(map) = manifest.as_object_mut() {
        map.insert(
            "apiVersion".into(),
            Value::String(argo_core::API_VERSION.into()),
        );
        map.insert("kind".into(), Value::String(kind.to_owned()));
    }
    match argo_validate::lint_manifest(&manifest, 0, &context)
        .into_iter()
        .next()
    {
        Some(finding) => Err(Error::invalid_argument(finding.message)),
        None => Ok(()),
    }
}
