//! Document-level validation: the checks Argo runs on a Workflow, WorkflowTemplate,
//! ClusterWorkflowTemplate or CronWorkflow before and after walking its templates — names,
//! `workflowTemplateRef`, arguments, global variables, entrypoint, exit handler, hooks, pod GC
//! — and the final pass over every template.
//!
//! Must not: format findings; `report.rs` turns them into diagnostics.

use std::sync::Arc;

use serde_json::{Value, json};

use crate::arguments::{Args, check_arguments};
use crate::context::LintContext;
use crate::finding::{Checked, Finding};
use crate::location::Loc;
use crate::manifest::{array, field, flag, keys, object, scalar_text, str};
use crate::names::{NameRule, check_list_names, is_parameter};
use crate::scope::allow_any_workflow_output_artifact;
use crate::steps::check_hooks;
use crate::validator::{Base, BaseKind, Holder, Mode, Validator};

/// The kinds of document lint checks.
pub const LINTED_KINDS: [&str; 4] = [
    "Workflow",
    "WorkflowTemplate",
    "ClusterWorkflowTemplate",
    "CronWorkflow",
];

/// What the workflow-level walk needs to know about the document.
struct Subject<'a> {
    spec: &'a Value,
    spec_at: Loc,
    scope_name: String,
    labels: Vec<String>,
    annotations: Vec<String>,
    ignore_entrypoint: bool,
}

/// Checks one manifest; `None` when it is valid or not a linted kind.
pub fn check_manifest(manifest: &Value, ctx: &LintContext) -> Option<Finding> {
    let kind = str(manifest, "kind");
    let metadata = object(manifest, "metadata");
    let name = str(metadata, "name");
    let namespace = match str(metadata, "namespace") {
        "" => ctx.default_namespace.clone(),
        namespace => namespace.to_owned(),
    };
    let spec = object(manifest, "spec");
    let template_like = |label: &str| -> Checked {
        if name.len() > 63 {
            return Err(Finding::new(
                format!(
                    "{label} {name:?} must not be more than 63 characters long (currently {})",
                    name.len()
                ),
                Loc::parse("metadata.name"),
            ));
        }
        Ok(())
    };
    let result = match kind {
        "Workflow" => template_like("workflow name").and_then(|()| {
            let mode = Mode {
                lint: ctx.lint,
                template_validation: false,
                submit: ctx.submit,
            };
            let mut validator = Validator::new(ctx, namespace, mode);
            validator.validate_workflow(&subject(metadata, spec, Loc::root().key("spec"), false))
        }),
        "WorkflowTemplate" | "ClusterWorkflowTemplate" => {
            let label = if kind == "WorkflowTemplate" {
                "workflow template name"
            } else {
                "cluster workflow template name"
            };
            template_like(label).and_then(|()| {
                let mode = Mode {
                    lint: ctx.lint,
                    template_validation: true,
                    submit: ctx.submit,
                };
                let mut validator = Validator::new(ctx, namespace, mode);
                let ignore = str(spec, "entrypoint").is_empty();
                validator.validate_workflow(&subject(
                    metadata,
                    spec,
                    Loc::root().key("spec"),
                    ignore,
                ))
            })
        }
        "CronWorkflow" => crate::cron::check_cron_spec(name, spec).and_then(|()| {
            let workflow_spec = object(spec, "workflowSpec");
            let workflow_metadata = object(spec, "workflowMetadata");
            let mut subject = subject(
                &Value::Null,
                workflow_spec,
                Loc::parse("spec.workflowSpec"),
                false,
            );
            subject.labels = keys(workflow_metadata, "labels");
            subject
                .labels
                .push("workflows.argoproj.io/cron-workflow".to_owned());
            subject.annotations = keys(workflow_metadata, "annotations");
            subject
                .annotations
                .push("workflows.argoproj.io/scheduled-time".to_owned());
            let mode = Mode {
                lint: false,
                template_validation: false,
                submit: false,
            };
            let mut validator = Validator::new(ctx, namespace, mode);
            validator
                .validate_workflow(&subject)
                .map_err(|finding| finding.prefixed("cannot validate Workflow: "))
        }),
        _ => Ok(()),
    };
    result.err()
}

fn subject<'a>(
    metadata: &Value,
    spec: &'a Value,
    spec_at: Loc,
    ignore_entrypoint: bool,
) -> Subject<'a> {
    Subject {
        spec,
        spec_at,
        scope_name: str(metadata, "name").to_owned(),
        labels: keys(metadata, "labels"),
        annotations: keys(metadata, "annotations"),
        ignore_entrypoint,
    }
}

/// Parameters of `extra` not already named in `own`, appended (Argo's argument merge).
fn merged(own: &[Value], extra: &[Value]) -> Vec<Value> {
    let mut out = own.to_vec();
    for entry in extra {
        if !own.iter().any(|o| str(o, "name") == str(entry, "name")) {
            out.push(entry.clone());
        }
    }
    out
}

impl Validator<'_> {
    /// Argo's `validate.Workflow` over a spec.
    fn validate_workflow(&mut self, subject: &Subject<'_>) -> Checked {
        let spec = subject.spec;
        let at = &subject.spec_at;
        let local = Arc::new(Base {
            kind: BaseKind::Workflow,
            scope_id: format!("local/{}", subject.scope_name),
            manifest: Arc::new(json!({ "spec": spec })),
            templates_at: Some(at.key("templates")),
        });
        let mut entrypoint = str(spec, "entrypoint").to_owned();
        let template_ref = field(spec, "workflowTemplateRef");
        let mut referenced = None;
        if let Some(reference) = template_ref {
            if !array(spec, "templates").is_empty() {
                return Err(Finding::new(
                    "Templates is invalid field in spec if workflow referred WorkflowTemplate reference",
                    at.key("templates"),
                ));
            }
            let base = self
                .fetch(flag(reference, "clusterScope"), str(reference, "name"))
                .map_err(|missing| {
                    Finding::new(missing.message(), at.key("workflowTemplateRef"))
                })?;
            if entrypoint.is_empty() {
                entrypoint = str(base.spec(), "entrypoint").to_owned();
            }
            referenced = Some(base);
        }
        if let Err(problem) = check_list_names(
            array(spec, "templates").iter().map(|t| str(t, "name")),
            NameRule::Field,
        ) {
            let mut loc = at.key("templates").index(problem.index);
            if problem.on_name {
                loc = loc.key("name");
            }
            return Err(Finding::new(
                format!("spec.templates{}", problem.message),
                loc,
            ));
        }
        crate::limits::check_executor_plugins(spec, at)?;
        let own_args = object(spec, "arguments");
        let mut arguments = own_args.clone();
        if let Some(base) = &referenced {
            let theirs = object(base.spec(), "arguments");
            for list in ["parameters", "artifacts"] {
                let all = merged(array(own_args, list), array(theirs, list));
                if !all.is_empty() {
                    arguments[list] = Value::Array(all);
                }
            }
        }
        let allow_empty = self.mode.lint || (self.mode.template_validation && !self.mode.submit);
        check_arguments(
            "spec.arguments.",
            &arguments,
            &at.key("arguments"),
            allow_empty,
        )?;
        self.add_globals(subject, &arguments, referenced.as_deref());
        if !subject.ignore_entrypoint && entrypoint.is_empty() {
            return Err(Finding::new(
                "spec.entrypoint is required",
                at.key("entrypoint"),
            ));
        }
        let reference_to = |template: &str| {
            let reference = template_ref.unwrap_or(&Value::Null);
            json!({"templateRef": {
                "name": str(reference, "name"),
                "template": template,
                "clusterScope": flag(reference, "clusterScope"),
            }})
        };
        if !subject.ignore_entrypoint {
            let (holder_value, holder_at) = match &referenced {
                Some(_) => (reference_to(&entrypoint), at.key("workflowTemplateRef")),
                None => (json!({ "template": entrypoint }), at.key("entrypoint")),
            };
            let args = if self.mode.template_validation {
                Args::Fake
            } else {
                Args::Actual(&arguments, None)
            };
            let holder = Holder {
                value: &holder_value,
                at: &holder_at,
                local: false,
            };
            self.validate_holder(holder, &local, args)?;
        }
        let on_exit = str(spec, "onExit");
        let exit_holder = match &referenced {
            _ if on_exit.is_empty() => referenced
                .as_ref()
                .map(|base| str(base.spec(), "onExit"))
                .filter(|theirs| !theirs.is_empty())
                .map(reference_to),
            Some(_) => Some(reference_to(on_exit)),
            None => Some(json!({ "template": on_exit })),
        };
        if let Some(holder_value) = exit_holder {
            let placeholder = self.placeholders.next();
            self.globals
                .insert("workflow.failures".to_owned(), placeholder);
            let mut templates: Vec<&Value> = array(spec, "templates").iter().collect();
            if let Some(base) = &referenced {
                templates.extend(array(base.spec(), "templates"));
            }
            let parametrized = templates.iter().any(|t| {
                array(object(t, "outputs"), "artifacts")
                    .iter()
                    .any(|a| is_parameter(str(a, "globalName")))
            });
            if parametrized {
                allow_any_workflow_output_artifact(&mut self.globals);
            }
            let holder_at = at.key("onExit");
            let holder = Holder {
                value: &holder_value,
                at: &holder_at,
                local: false,
            };
            self.validate_holder(holder, &local, Args::Actual(own_args, None))?;
        }
        check_hooks(object(spec, "hooks"), "hooks", &at.key("hooks"), true)?;
        crate::limits::check_pod_gc(spec, at)?;
        if let Some(resources) = field(spec, "podResources") {
            crate::limits::check_pod_resources("spec.podResources", resources)
                .map_err(|message| Finding::new(message, at.key("podResources")))?;
        }
        if let Some(base) = &referenced {
            for template in array(base.spec(), "templates") {
                let name = str(template, "name");
                let holder_value = reference_to(name);
                let holder_at = at.key("workflowTemplateRef");
                let holder = Holder {
                    value: &holder_value,
                    at: &holder_at,
                    local: false,
                };
                self.validate_holder(holder, &local, Args::Fake)
                    .map_err(|finding| finding.within(&format!("templates.{name}")))?;
            }
            return Ok(());
        }
        for (index, template) in array(spec, "templates").iter().enumerate() {
            let name = str(template, "name");
            let holder_value = json!({ "template": name });
            let holder_at = at.key("templates").index(index);
            let holder = Holder {
                value: &holder_value,
                at: &holder_at,
                local: false,
            };
            self.validate_holder(holder, &local, Args::Fake)
                .map_err(|finding| finding.within(&format!("templates.{name}")))?;
        }
        Ok(())
    }

    /// The global variables of a workflow: identity, parameters, labels, annotations, status.
    fn add_globals(&mut self, subject: &Subject<'_>, arguments: &Value, referenced: Option<&Base>) {
        for key in [
            "workflow.name",
            "workflow.namespace",
            "workflow.mainEntrypoint",
            "workflow.serviceAccountName",
            "workflow.uid",
        ] {
            let value = self.placeholders.next();
            self.globals.insert(key.to_owned(), value);
        }
        let params = array(arguments, "parameters");
        if !params.is_empty() {
            for key in ["workflow.parameters", "workflow.parameters.json"] {
                let value = self.placeholders.next();
                self.globals.insert(key.to_owned(), value);
            }
        }
        for param in params {
            let name = str(param, "name");
            if name.is_empty() {
                continue;
            }
            let value = match field(param, "value") {
                Some(value) => scalar_text(value),
                None => self.placeholders.next(),
            };
            self.globals
                .insert(format!("workflow.parameters.{name}"), value);
        }
        let mut annotations = subject.annotations.clone();
        let mut labels = subject.labels.clone();
        let mut metadata_sources = vec![object(subject.spec, "workflowMetadata")];
        if let Some(base) = referenced {
            metadata_sources.push(object(base.spec(), "workflowMetadata"));
        }
        for metadata in metadata_sources {
            annotations.extend(keys(metadata, "annotations"));
            labels.extend(keys(metadata, "labels"));
            labels.extend(keys(metadata, "labelsFrom"));
        }
        for (kind, names) in [("annotations", annotations), ("labels", labels)] {
            for name in names {
                let value = self.placeholders.next();
                self.globals
                    .insert(format!("workflow.{kind}.{name}"), value);
            }
            for key in [format!("workflow.{kind}"), format!("workflow.{kind}.json")] {
                let value = self.placeholders.next();
                self.globals.insert(key, value);
            }
        }
        if let Some(priority) = field(subject.spec, "priority") {
            self.globals
                .insert("workflow.priority".to_owned(), scalar_text(priority));
        }
        let status = self.placeholders.next();
        self.globals.insert("workflow.status".to_owned(), status);
    }
}
