//! Validates a cron workflow the way Argo's server does before storing it (Argo's
//! `validate.CronWorkflow`, through `argo-validate`): name length, at least one schedule, each
//! schedule in cron syntax (five fields, `@hourly`-style descriptors, `@every <duration>`, an
//! optional `CRON_TZ=` prefix), a known `timezone`, the concurrency policy, the starting
//! deadline, then the workflow spec with referenced templates looked up in the store (listed
//! up front: the linter's resolver is synchronous).
//!
//! Must not: store anything, or compute fire times (the controller's scheduler does).

use argo_store::{ListParams, ResourceStore};
use argo_validate::{DocumentTemplates, LintContext};
use serde_json::Value;

use crate::conversion::{cluster_workflow_template_kind, object_json, workflow_template_kind};
use crate::{Error, Result};

/// Fails with InvalidArgument carrying Argo's message when the cron workflow is not acceptable.
pub async fn require_valid(
    store: &dyn ResourceStore,
    namespace: &str,
    manifest: &Value,
) -> Result<()> {
    let mut templates = DocumentTemplates::new().with_server_wording();
    let namespaced = store
        .list(
            &workflow_template_kind(),
            &ListParams::default().namespace(namespace),
        )
        .await?;
    let cluster = store
        .list(&cluster_workflow_template_kind(), &ListParams::default())
        .await?;
    for object in namespaced.items.iter().chain(cluster.items.iter()) {
        templates.add(&object_json(object)?);
    }
    let mut context = LintContext::with_resolver(templates);
    context.default_namespace = namespace.to_owned();
    // Protobuf already dropped fields the schema does not know.
    context.strict = false;
    let mut manifest = manifest.clone();
    if let Some(map) = manifest.as_object_mut() {
        map.insert(
            "apiVersion".into(),
            Value::String("argoproj.io/v1alpha1".into()),
        );
        map.insert("kind".into(), Value::String("CronWorkflow".into()));
    }
    match argo_validate::lint_manifest(&manifest, 0, &context)
        .into_iter()
        .next()
    {
        Some(finding) => Err(Error::invalid_argument(finding.message)),
        None => Ok(()),
    }
}
