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

    /// How a failed lookup is reported. `None` (the default) reports it the way Argo's server
    /// does (`template reference x.y not found`); an offline source may name itself instead.
    fn missing_message(&self, cluster: bool, namespace: &str, name: &str) -> Option<String> {
        let _ = (cluster, namespace, name);
        None
    }
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
    /// Lint rather than admission checks: workflow arguments may lack values (Argo's
    /// `Opts.Lint`). Set false to check a Workflow the way the controller admits it.
    pub lint: bool,
    /// Checking a submission: WorkflowTemplate arguments need values too (Argo's `Opts.Submit`).
    pub submit: bool,
    /// Also report problems Argo only finds at run time (a `depends` expression that does not
    /// parse). Off by default, so results match `argo lint`.
    pub beyond_argo: bool,
}

impl fmt::Debug for LintContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LintContext")
            .field("default_namespace", &self.default_namespace)
            .field("strict", &self.strict)
            .field("kinds", &self.kinds)
            .field("lint", &self.lint)
            .field("submit", &self.submit)
            .field("beyond_argo", &self.beyond_argo)
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
            lint: true,
            submit: false,
            beyond_argo: false,
        }
    }

    /// Whether documents of `kind` are linted in this run.
    pub fn lints_kind(&self, kind: &str) -> bool {
        crate::LINTED_KINDS.contains(&kind)
            && (self.kinds.is_empty() || self.kinds.iter().any(|k| k == kind))
    }
}

/// The kinds named by `argo lint --kinds` values (each may also be comma-separated); an empty
/// list or `all` selects every linted kind.
pub fn kinds_for_cli(names: &[&str]) -> crate::Result<Vec<String>> {
    let mut kinds = Vec::new();
    for name in names
        .iter()
        .flat_map(|n| n.split(','))
        .filter(|n| !n.is_empty())
    {
        let found = kinds_for_cli_name(name).ok_or_else(|| crate::Error::UnknownKind {
            name: name.to_owned(),
        })?;
        for kind in found {
            if !kinds.iter().any(|k| k == kind) {
                kinds.push(kind.to_owned());
            }
        }
    }
    Ok(kinds)
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
    server_wording: bool,
}

impl DocumentTemplates {
    /// An empty collection.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reports missing templates the way Argo's server does rather than `--offline` lint.
    pub fn with_server_wording(mut self) -> Self {
        self.server_wording = true;
        self
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

    /// Worded like `argo lint --offline`, which reads templates from the linted files.
    fn missing_message(&self, cluster: bool, namespace: &str, name: &str) -> Option<String> {
        if self.server_wording {
            return None;
        }
        Some(if cluster {
            format!("couldn't find cluster workflow template {name:?}")
        } else {
            format!("couldn't find workflow template {name:?} in namespace {namespace:?}")
        })
    }
}
