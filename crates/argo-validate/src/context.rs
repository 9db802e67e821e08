//! What the linter needs from outside the document: the WorkflowTemplates and
//! ClusterWorkflowTemplates that `templateRef` and `workflowTemplateRef` point at. The lint CLI
//! supplies the templates found in the same run ([`DocumentTemplates`]); the server supplies
//! its store.
//!
//! Must not: perform I/O itself; implementations decide where templates come from.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use serde_json::Value;

/// Looks up referenced templates by name. Templates are returned as their manifest JSON
/// (`{"metadata": ..., "spec": {"templates": [...]}}`).
pub trait TemplateResolver: Send + Sync {
    /// A WorkflowTemplate in a namespace.
    fn workflow_template(&self, namespace: &str, name: &str) -> Option<Arc<Value>>;
    /// A ClusterWorkflowTemplate.
    fn cluster_workflow_template(&self, name: &str) -> Option<Arc<Value>>;
}

/// Options and collaborators for one lint run.
#[derive(Clone)]
pub struct LintContext {
    /// Namespace assumed for documents that do not name one.
    pub default_namespace: String,
    /// Where referenced templates are found.
    pub resolver: Arc<dyn TemplateResolver>,
    /// Reject unknown fields (`argo lint --strict`, the default).
    pub strict: bool,
    /// Kinds to lint (`Workflow`...); empty means all of [`crate::LINTED_KINDS`].
    pub kinds: Vec<String>,
}

impl fmt::Debug for LintContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LintContext")
            .field("default_namespace", &self.default_namespace)
            .field("strict", &self.strict)
            .field("kinds", &self.kinds)
            .finish_non_exhaustive()
    }
}

impl Default for LintContext {
    fn default() -> Self {
        Self::with_resolver(DocumentTemplates::default())
    }
}

impl LintContext {
    /// A context resolving references with `resolver`.
    pub fn with_resolver(resolver: impl TemplateResolver + 'static) -> Self {
        Self {
            default_namespace: String::new(),
            resolver: Arc::new(resolver),
            strict: true,
            kinds: Vec::new(),
        }
    }

    /// Whether documents of `kind` are linted in this run.
    pub fn lints_kind(&self, kind: &str) -> bool {
        crate::LINTED_KINDS.contains(&kind)
            && (self.kinds.is_empty() || self.kinds.iter().any(|k| k == kind))
    }
}

/// The kind named by an `argo lint --kinds` value (`workflows`, `wf`, `cronwf`...), or all
/// linted kinds for `all`; `None` for an unknown name.
pub fn kinds_for_cli_name(name: &str) -> Option<Vec<&'static str>> {
    match name {
        "all" => Some(crate::LINTED_KINDS.to_vec()),
        "workflows" | "wf" => Some(vec!["Workflow"]),
        "workflowtemplates" | "wftmpl" => Some(vec!["WorkflowTemplate"]),
        "cronworkflows" | "cronwf" => Some(vec!["CronWorkflow"]),
        "clusterworkflowtemplates" | "cwftmpl" => Some(vec!["ClusterWorkflowTemplate"]),
        _ => None,
    }
}

/// Templates collected from linted documents, in memory. A namespaced lookup falls back to a
/// template of that name without a namespace, because files usually leave the namespace out.
#[derive(Debug, Default, Clone)]
pub struct DocumentTemplates {
    namespaced: HashMap<(String, String), Arc<Value>>,
    cluster: HashMap<String, Arc<Value>>,
}

impl DocumentTemplates {
    /// An empty collection.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a manifest if it is a WorkflowTemplate or ClusterWorkflowTemplate; returns whether
    /// it was kept. A later template with the same name replaces an earlier one.
    pub fn add(&mut self, manifest: &Value) -> bool {
        let kind = manifest.get("kind").and_then(Value::as_str).unwrap_or("");
        let metadata = crate::manifest::object(manifest, "metadata");
        let name = crate::manifest::str(metadata, "name").to_owned();
        let namespace = crate::manifest::str(metadata, "namespace").to_owned();
        match kind {
            "WorkflowTemplate" => {
                self.namespaced
                    .insert((namespace, name), Arc::new(manifest.clone()));
                true
            }
            "ClusterWorkflowTemplate" => {
                self.cluster.insert(name, Arc::new(manifest.clone()));
                true
            }
            _ => false,
        }
    }

    /// Adds every template found in a multi-document YAML or JSON text. Like Argo's offline
    /// lint, templates are read leniently: unknown fields do not keep them out.
    pub fn add_text(&mut self, text: &str) {
        for manifest in crate::documents::raw_documents(text).into_iter().flatten() {
            self.add(&manifest);
        }
    }
}

impl TemplateResolver for DocumentTemplates {
    fn workflow_template(&self, namespace: &str, name: &str) -> Option<Arc<Value>> {
        self.namespaced
            .get(&(namespace.to_owned(), name.to_owned()))
            .or_else(|| self.namespaced.get(&(String::new(), name.to_owned())))
            .or_else(|| {
                self.namespaced
                    .iter()
                    .find(|((_, n), _)| n == name)
                    .map(|(_, v)| v)
            })
            .cloned()
    }

    fn cluster_workflow_template(&self, name: &str) -> Option<Arc<Value>> {
        self.cluster.get(name).cloned()
    }
}
