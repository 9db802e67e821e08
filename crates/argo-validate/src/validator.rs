//! The validation walk's state and template resolution: which templates a name or
//! `templateRef` points at, where they sit in the linted document, and the bookkeeping Argo
//! keeps while walking (global variables, templates already checked, placeholders).
//!
//! Must not: hold rules about template contents; those are in `templates.rs`, `steps.rs` and
//! `dag.rs`.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use serde_json::Value;

use crate::arguments::Args;
use crate::context::LintContext;
use crate::finding::{Checked, Finding};
use crate::location::Loc;
use crate::manifest::{array, field, flag, object, str};
use crate::scope::{Globals, PLACEHOLDER_PREFIX, Placeholders};
use crate::tags::{is_expression, tags_of};
use crate::template_kind::TemplateKind;

/// Deepest template nesting followed; deeper references are assumed valid.
const MAX_DEPTH: usize = 64;

/// What kind of object holds a set of templates; decides template defaults handling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaseKind {
    /// The linted Workflow (or a template linted as one).
    Workflow,
    /// A referenced WorkflowTemplate.
    WorkflowTemplate,
    /// A referenced ClusterWorkflowTemplate.
    ClusterWorkflowTemplate,
}

/// A set of templates that names are resolved in.
#[derive(Debug)]
pub struct Base {
    /// What holds the templates.
    pub kind: BaseKind,
    /// Identity used to remember which templates were checked (`local/x`, `namespaced/y`).
    pub scope_id: String,
    /// The manifest, or for the linted document a manifest-shaped wrapper of its spec.
    pub manifest: Arc<Value>,
    /// Location of the `templates` list when it is in the linted document.
    pub templates_at: Option<Loc>,
}

impl Base {
    /// The spec holding `templates` and `templateDefaults`.
    pub fn spec(&self) -> &Value {
        object(&self.manifest, "spec")
    }

    /// A template by name, with its index.
    pub fn template(&self, name: &str) -> Option<(usize, &Value)> {
        array(self.spec(), "templates")
            .iter()
            .enumerate()
            .find(|(_, t)| str(t, "name") == name)
    }
}

/// A template found for a holder, with where it lives.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The template as written.
    pub template: Value,
    /// The templates its own references resolve in.
    pub base: Arc<Base>,
    /// Its location, or the referencing field when it lives elsewhere.
    pub at: Loc,
    /// Whether `at` is the template itself in the linted document.
    pub local: bool,
}

impl Resolved {
    /// The location of a field of this template, or of the reference when it lives elsewhere.
    pub fn loc(&self, relative: &Loc) -> Loc {
        if self.local {
            self.at.join(relative)
        } else {
            self.at.clone()
        }
    }
}

/// Something that names a template: a step, a task, the entrypoint, a hook.
#[derive(Debug, Clone, Copy)]
pub struct Holder<'v> {
    /// The holder's JSON (`template`, `templateRef`, `inline`, `arguments`...).
    pub value: &'v Value,
    /// Its location.
    pub at: &'v Loc,
    /// Whether `at` is the holder itself in the linted document (else every field maps to `at`).
    pub local: bool,
}

impl Holder<'_> {
    /// The location of one of the holder's fields.
    pub fn loc(&self, key: &str) -> Loc {
        if self.local {
            self.at.key(key)
        } else {
            self.at.clone()
        }
    }
}

/// Why a referenced template could not be fetched.
#[derive(Debug, Clone)]
pub enum Missing {
    /// The store has no such object (reported the way the Kubernetes API words it).
    NotFound {
        /// The resource type, `workflowtemplates.argoproj.io`...
        resource: &'static str,
        /// The object's name.
        name: String,
    },
    /// The resolver's own wording.
    Described(String),
}

impl Missing {
    /// The message when a whole `workflowTemplateRef` is missing.
    pub fn message(&self) -> String {
        match self {
            Missing::NotFound { resource, name } => format!("{resource} {name:?} not found"),
            Missing::Described(message) => message.clone(),
        }
    }
}

/// Options that differ between kinds of linted documents.
#[derive(Debug, Clone, Copy, Default)]
pub struct Mode {
    /// Missing argument values are allowed (lint, not submit).
    pub lint: bool,
    /// The document is a WorkflowTemplate or ClusterWorkflowTemplate.
    pub template_validation: bool,
    /// A submission is being checked.
    pub submit: bool,
}

/// State of one document's validation walk.
pub struct Validator<'c> {
    /// Caller-supplied collaborators.
    pub ctx: &'c LintContext,
    /// Namespace referenced WorkflowTemplates are looked up in.
    pub namespace: String,
    /// Global variables and their values.
    pub globals: Globals,
    /// Templates already checked, by base and name.
    pub checked: HashSet<String>,
    /// Placeholder source.
    pub placeholders: Placeholders,
    /// Kind-dependent options.
    pub mode: Mode,
    fetched: HashMap<(bool, String), Option<Arc<Base>>>,
    depth: usize,
}

impl<'c> Validator<'c> {
    /// A fresh walk.
    pub fn new(ctx: &'c LintContext, namespace: String, mode: Mode) -> Self {
        Self {
            ctx,
            namespace,
            globals: Globals::new(),
            checked: HashSet::new(),
            placeholders: Placeholders::default(),
            mode,
            fetched: HashMap::new(),
            depth: 0,
        }
    }

    /// A referenced (Cluster)WorkflowTemplate as a base, or why it is missing.
    pub fn fetch(&mut self, cluster: bool, name: &str) -> Result<Arc<Base>, Missing> {
        let key = (cluster, name.to_owned());
        if !self.fetched.contains_key(&key) {
            let manifest = if cluster {
                self.ctx.resolver.cluster_workflow_template(name)
            } else {
                self.ctx.resolver.workflow_template(&self.namespace, name)
            };
            let base = manifest.map(|manifest| {
                Arc::new(Base {
                    kind: if cluster {
                        BaseKind::ClusterWorkflowTemplate
                    } else {
                        BaseKind::WorkflowTemplate
                    },
                    scope_id: format!("{}/{name}", if cluster { "cluster" } else { "namespaced" }),
                    manifest,
                    templates_at: None,
                })
            });
            self.fetched.insert(key.clone(), base);
        }
        match self.fetched.get(&key).cloned().flatten() {
            Some(base) => Ok(base),
            None => Err(
                match self
                    .ctx
                    .resolver
                    .missing_message(cluster, &self.namespace, name)
                {
                    Some(message) => Missing::Described(message),
                    None => Missing::NotFound {
                        resource: if cluster {
                            "clusterworkflowtemplates.argoproj.io"
                        } else {
                            "workflowtemplates.argoproj.io"
                        },
                        name: name.to_owned(),
                    },
                },
            ),
        }
    }

    /// Resolves and checks the template a holder names; `None` when it can only be known at
    /// run time. Returns the template as written.
    pub fn validate_holder(
        &mut self,
        holder: Holder<'_>,
        base: &Arc<Base>,
        args: Args<'_>,
    ) -> Checked<Option<Value>> {
        if self.depth >= MAX_DEPTH {
            return Ok(None);
        }
        self.depth += 1;
        let result = self.validate_holder_inner(holder, base, args);
        self.depth -= 1;
        result
    }

    fn validate_holder_inner(
        &mut self,
        holder: Holder<'_>,
        base: &Arc<Base>,
        args: Args<'_>,
    ) -> Checked<Option<Value>> {
        let Some(resolved) = self.resolve(holder, base)? else {
            return Ok(None);
        };
        if TemplateKind::of(&resolved.template) == TemplateKind::Unknown {
            return Err(Finding::new(
                format!(
                    "template '{}' type is unknown",
                    str(&resolved.template, "name")
                ),
                resolved.loc(&Loc::root()),
            ));
        }
        let policy = str(object(&resolved.template, "retryStrategy"), "retryPolicy");
        if !matches!(
            policy,
            "" | "Always" | "OnError" | "OnFailure" | "OnTransientError"
        ) {
            return Err(Finding::new(
                format!("{policy} is not a valid RetryPolicy"),
                resolved.loc(&Loc::parse("retryStrategy.retryPolicy")),
            ));
        }
        self.validate_template(&resolved, args)?;
        Ok(Some(resolved.template))
    }

    /// Finds the template a holder names.
    fn resolve(&mut self, holder: Holder<'_>, base: &Arc<Base>) -> Checked<Option<Resolved>> {
        let name = str(holder.value, "template");
        if let Some(reference) = field(holder.value, "templateRef") {
            let ref_at = holder.loc("templateRef");
            if !name.is_empty() {
                return Err(Finding::new(
                    "template name cannot be specified with templateRef",
                    holder.loc("template"),
                ));
            }
            let ref_name = str(reference, "name");
            let ref_template = str(reference, "template");
            if ref_name.is_empty() {
                return Err(Finding::new("resource name is required", ref_at));
            }
            if ref_template.is_empty() {
                return Err(Finding::new("template name is required", ref_at));
            }
            if has_simple_tag(reference) {
                return Ok(None);
            }
            let target = match self.fetch(flag(reference, "clusterScope"), ref_name) {
                Ok(target) => target,
                Err(Missing::Described(message)) => return Err(Finding::new(message, ref_at)),
                Err(Missing::NotFound { .. }) if ref_template.contains(PLACEHOLDER_PREFIX) => {
                    return Ok(None);
                }
                Err(Missing::NotFound { .. }) => {
                    return Err(Finding::new(
                        format!("template reference {ref_name}.{ref_template} not found"),
                        ref_at,
                    ));
                }
            };
            let Some((_, template)) = target.template(ref_template) else {
                if ref_template.contains(PLACEHOLDER_PREFIX) {
                    return Ok(None);
                }
                return Err(Finding::new(
                    format!("template reference {ref_name}.{ref_template} not found"),
                    ref_at,
                ));
            };
            return Ok(Some(Resolved {
                template: template.clone(),
                base: target.clone(),
                at: ref_at,
                local: false,
            }));
        }
        if !name.is_empty() && base.template(name).is_none() {
            return Err(Finding::new(
                format!("template name '{name}' undefined"),
                holder.loc("template"),
            ));
        }
        if let Some(inline) = field(holder.value, "inline") {
            return Ok(Some(Resolved {
                template: inline.clone(),
                base: base.clone(),
                at: holder.loc("inline"),
                local: holder.local,
            }));
        }
        let Some((index, template)) = base.template(name).filter(|_| !name.is_empty()) else {
            return Err(Finding::new("failed to get a template", holder.at.clone()));
        };
        let (at, local) = match &base.templates_at {
            Some(templates_at) => (templates_at.index(index), true),
            None => (holder.loc("template"), false),
        };
        Ok(Some(Resolved {
            template: template.clone(),
            base: base.clone(),
            at,
            local,
        }))
    }
}

/// Whether any string in the value holds a simple (non-expression) tag.
fn has_simple_tag(value: &Value) -> bool {
    let mut found = false;
    crate::tags::visit_strings(value, &Loc::root(), &mut |text, _| {
        found = match tags_of(text) {
            Ok(tags) => tags.iter().any(|tag| !is_expression(tag)),
            Err(_) => true,
        };
        !found
    });
    found
}
