//! Argo's lint as a library: checks Workflow, WorkflowTemplate, ClusterWorkflowTemplate and
//! CronWorkflow documents the way `argo lint` (Argo's `workflow/validate`) does, with Argo's
//! messages, and reports each problem with the field path and line it concerns. Like Argo,
//! validation stops at the first problem of each document.
//!
//! Must not: perform I/O, read the clock or talk to a cluster; referenced templates come in
//! through [`LintContext`]. Never panics, whatever the input.

mod arguments;
mod artifacts;
mod context;
mod cron;
mod dag;
mod documents;
mod duration;
mod finding;
mod leaf;
mod limits;
mod location;
mod manifest;
mod metrics;
mod names;
mod outputs;
mod report;
mod scope;
mod steps;
mod tags;
mod template_kind;
mod templates;
mod validator;
mod workflow;

use serde_json::Value;

pub use context::{DocumentTemplates, LintContext, TemplateResolver};
pub use location::{Loc, Segment};
pub use report::{
    Diagnostic, Format, LintReport, format_all, format_report, format_summary, is_success,
};
pub use workflow::LINTED_KINDS;

/// Everything that can fail while linting (not the lint findings themselves).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The lint input could not be read as YAML or JSON documents.
    #[error("cannot parse documents: {reason}")]
    Parse { reason: String },
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The name Argo shows for an object: its name, else its generateName, else `object #N`.
pub fn display_name(manifest: &Value, index: usize) -> String {
    let metadata = manifest::object(manifest, "metadata");
    let name = manifest::str(metadata, "name");
    let generate_name = manifest::str(metadata, "generateName");
    if !name.is_empty() {
        name.to_owned()
    } else if !generate_name.is_empty() {
        generate_name.to_owned()
    } else {
        format!("object #{}", index + 1)
    }
}

/// Lints one manifest (as JSON); `document` is its position in the input. Returns no
/// diagnostics for valid documents and for kinds lint does not check.
pub fn lint_manifest(manifest: &Value, document: usize, ctx: &LintContext) -> Vec<Diagnostic> {
    let Some(finding) = workflow::check_manifest(manifest, ctx) else {
        return Vec::new();
    };
    vec![Diagnostic {
        document,
        kind: manifest::str(manifest, "kind").to_owned(),
        name: display_name(manifest, document),
        path: finding.loc,
        line: None,
        message: finding.message,
    }]
}

/// Lints every document of a YAML or JSON text; `origin` names the input in the report.
pub fn lint_text(text: &str, origin: &str, ctx: &LintContext) -> LintReport {
    let mut report = LintReport {
        origin: origin.to_owned(),
        ..LintReport::default()
    };
    for parsed in documents::manifests(text) {
        match parsed {
            Ok(manifest) => {
                let kind = manifest::str(&manifest.raw, "kind");
                if !LINTED_KINDS.contains(&kind) {
                    continue;
                }
                report.linted = true;
                let mut found = lint_manifest(&manifest.raw, manifest.index, ctx);
                for diagnostic in &mut found {
                    diagnostic.line = Some(manifest.line);
                }
                report.diagnostics.extend(found);
            }
            Err(unreadable) => {
                let Some(kind) = unreadable
                    .kind
                    .filter(|k| LINTED_KINDS.contains(&k.as_str()))
                else {
                    continue;
                };
                report.linted = true;
                report.diagnostics.push(Diagnostic {
                    document: unreadable.index,
                    kind,
                    name: format!("object #{}", unreadable.index + 1),
                    path: Loc::root(),
                    line: Some(unreadable.line),
                    message: unreadable.reason,
                });
            }
        }
    }
    report
}
