//! Lints a workflow the way Argo's server does before storing it, with referenced templates
//! looked up in the store (listed up front, since the linter's resolver is synchronous).
//!
//! Must not: store anything.

use argo_store::{ListParams, ResourceStore};
use argo_validate::{DocumentTemplates, LintContext};
use serde_json::Value;

use crate::conversion::{cluster_template_kind, object_json, template_kind};
use crate::{Error, Result};

/// Why a manifest is not acceptable, as Argo words it; `None` when it is.
pub async fn lint_workflow<S: ResourceStore + ?Sized>(
    store: &S,
    namespace: &str,
    manifest: &Value,
    lint: bool,
    submit: bool,
) -> Result<Option<String>> {
    let mut templates = DocumentTemplates::new().with_server_wording();
    let namespaced = store
        .list(
            &template_kind(),
            &ListParams::default().namespace(namespace),
        )
        .await?;
    let cluster = store
        .list(&cluster_template_kind(), &ListParams::default())
        .await?;
    for object in namespaced.items.iter().chain(cluster.items.iter()) {
        templates.add(&object_json(object)?);
    }
    let mut context = LintContext::with_resolver(templates);
    context.default_namespace = namespace.to_owned();
    context.lint = lint;
    context.submit = submit;
    // The server accepts fields it does not know, as the Kubernetes API does for CRDs.
    context.strict = false;
    let mut manifest = manifest.clone();
    if let Some(map) = manifest.as_object_mut() {
        map.insert(
            "apiVersion".into(),
            Value::String("argoproj.io/v1alpha1".into()),
        );
        map.insert("kind".into(), Value::String("Workflow".into()));
    }
    let diagnostics = argo_validate::lint_manifest(&manifest, 0, &context);
    Ok(diagnostics
        .into_iter()
        .next()
        .map(|finding| finding.message))
}

/// Fails with InvalidArgument carrying the lint message when the manifest is not acceptable.
pub async fn require_valid<S: ResourceStore + ?Sized>(
    store: &S,
    namespace: &str,
    manifest: &Value,
    lint: bool,
    submit: bool,
) -> Result<()> {
    match lint_workflow(store, namespace, manifest, lint, submit).await? {
        Some(message) => Err(Error::invalid_argument(message)),
        None => Ok(()),
    }
}
