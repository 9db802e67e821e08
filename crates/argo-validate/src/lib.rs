//! Argo's lint as a library: checks Workflow, WorkflowTemplate, ClusterWorkflowTemplate and
//! CronWorkflow documents the way `argo lint` (Argo's `workflow/validate`) does, with Argo's
//! messages, and reports each problem with the field path and line it concerns. Like Argo,
//! validation stops at the first problem of each document.
//!
//! Entry points: [`lint_text`] for a whole input (what `argo lint` does per file),
//! [`lint_document`] for a document parsed by `argo_core`, [`lint_manifest`] for a manifest
//! held as JSON (the server's lint endpoints). Reports print with [`format_all`] in Argo's
//! `pretty` or `simple` shape.
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
mod task_order;
mod template_kind;
mod templates;
mod validator;
mod workflow;

use argo_core::{Document, DocumentError, FieldPath, PathSegment};
use serde_json::Value;

pub use context::{
    DocumentTemplates, LintContext, TemplateResolver, kinds_for_cli, kinds_for_cli_name,
};
use location::{Loc, Segment};
pub use report::{
    Diagnostic, Format, LintReport, format_all, format_report, format_summary, is_success,
};
pub use workflow::LINTED_KINDS;

/// Everything that can fail while setting up a lint run (not the lint findings themselves),
/// worded as `argo lint` words it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// `--kinds` named something that is not a lintable kind.
    #[error("unknown kind: {name}")]
    UnknownKind { name: String },
    /// `--output` named a format other than `pretty` or `simple`.
    #[error("unknown formatter: {name}")]
    UnknownFormat { name: String },
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

/// The public form of a location.
fn field_path(loc: &Loc) -> FieldPath {
    loc.segments()
        .iter()
        .fold(FieldPath::root(), |path, segment| match segment {
            Segment::Key(key) => path.key(key.clone()),
            Segment::Index(index) => path.index(*index),
        })
}

/// Lints one manifest given as JSON; `document` is its position in the input. Returns no
/// diagnostics for valid documents and for kinds lint does not check. Lines are left unknown.
pub fn lint_manifest(manifest: &Value, document: usize, ctx: &LintContext) -> Vec<Diagnostic> {
    let kind = manifest::str(manifest, "kind");
    if !ctx.lints_kind(kind) {
        return Vec::new();
    }
    let Some(finding) = workflow::check_manifest(manifest, ctx) else {
        return Vec::new();
    };
    vec![Diagnostic {
        document,
        kind: kind.to_owned(),
        name: display_name(manifest, document),
        path: field_path(&finding.loc),
        line: None,
        message: finding.message,
    }]
}

/// Lints one parsed document, with the line of each problem.
pub fn lint_document(doc: &Document, ctx: &LintContext) -> Vec<Diagnostic> {
    let mut diagnostics = lint_manifest(&doc.raw, doc.index, ctx);
    for diagnostic in &mut diagnostics {
        diagnostic.line = doc
            .positions
            .nearest_line(&diagnostic.path)
            .or(Some(doc.line));
    }
    diagnostics
}

/// Lints every document of a YAML or JSON text; `origin` names the input in the report
/// (a path, or `stdin`).
pub fn lint_text(text: &str, origin: &str, ctx: &LintContext) -> LintReport {
    let mut report = LintReport {
        origin: origin.to_owned(),
        ..LintReport::default()
    };
    let raws = documents::raw_documents(text);
    for parsed in argo_core::parse_documents(text) {
        match parsed {
            Ok(doc) => {
                if !ctx.lints_kind(doc.resource.kind()) {
                    continue;
                }
                report.linted = true;
                report.diagnostics.extend(lint_document(&doc, ctx));
            }
            Err(error) => {
                let raw = raws.get(error.index).and_then(Option::as_ref);
                if let Some(diagnostic) = undecodable(text, raw, &error, ctx) {
                    report.linted = true;
                    report.diagnostics.extend(diagnostic);
                }
            }
        }
    }
    report
}

/// What to report for a document the model rejected: nothing for kinds not linted, the
/// decoding problem as Argo words it, or — for problems Argo's own decoding ignores (a
/// missing `apiVersion`, unknown fields when not strict) — the lint of its raw JSON.
fn undecodable(
    text: &str,
    raw: Option<&Value>,
    error: &DocumentError,
    ctx: &LintContext,
) -> Option<Vec<Diagnostic>> {
    let kind = match raw {
        Some(raw) => manifest::str(raw, "kind").to_owned(),
        None => documents::sniff_kind(text, error.index)?,
    };
    if !ctx.lints_kind(&kind) {
        return None;
    }
    let about_api_version = matches!(
        error.path.segments(),
        [PathSegment::Key(key)] if key == "apiVersion"
    );
    let unknown_field = error.message.starts_with("unknown field");
    if let Some(raw) = raw
        && (about_api_version || (unknown_field && !ctx.strict))
    {
        let mut diagnostics = lint_manifest(raw, error.index, ctx);
        for diagnostic in &mut diagnostics {
            diagnostic.line = error.line;
        }
        return Some(diagnostics);
    }
    let message = if unknown_field {
        let more = error.message.trim_start_matches("unknown field").trim();
        let more = if more.is_empty() {
            String::new()
        } else {
            format!(" {more}")
        };
        format!(
            "strict decoding error: unknown field \"{}\"{more}",
            error.path
        )
    } else if error.path.is_root() {
        error.message.clone()
    } else {
        format!("cannot decode {}: {}", error.path, error.message)
    };
    Some(vec![Diagnostic {
        document: error.index,
        kind,
        name: raw.map_or_else(
            || format!("object #{}", error.index + 1),
            |raw| display_name(raw, error.index),
        ),
        path: error.path.clone(),
        line: error.line,
        message,
    }])
}
