//! `argo lint PATH...`: validates files, directories (recursively: .yaml, .yml, .json) and `-`
//! (stdin), printing Argo's `pretty` or `simple` report; exit 1 on any problem.
//!
//! Offline (`--offline`, or no server configured) the rules run here and templates found
//! anywhere in the run resolve `templateRef`s, as Argo's offline lint does. Online, each
//! document goes to its service's `Lint*` method and the server's message is the problem.
//! Must not: implement lint rules (that is `argo-validate`).

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use argo_validate::{
    Diagnostic, DocumentTemplates, Format, LintContext, LintReport, display_name, format_all,
    is_success, lint_text,
};
use serde_json::{Value as Json, json};

use crate::client::{ApiClient, ClientArgs};

#[derive(Debug, Clone, clap::Args)]
pub struct LintArgs {
    /// files, directories or `-` for standard input
    #[arg(required = true, value_name = "FILE|DIR|-")]
    pub paths: Vec<String>,
    /// Linting results output format. One of: pretty|simple
    #[arg(short, long, default_value = "pretty", value_parser = parse_format)]
    pub output: Format,
    /// Which kinds will be linted. Can be: workflows|workflowtemplates|cronworkflows|clusterworkflowtemplates|all
    #[arg(long, value_delimiter = ',', default_value = "all")]
    pub kinds: Vec<String>,
    /// perform offline linting (the default when no Argo Server is configured)
    #[arg(long)]
    pub offline: bool,
    /// Perform strict workflow validation
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set, num_args = 0..=1, default_missing_value = "true")]
    pub strict: bool,
    /// Disable colorized output
    #[arg(long)]
    pub no_color: bool,
    #[command(flatten)]
    pub client: ClientArgs,
}

fn parse_format(value: &str) -> Result<Format, String> {
    match value {
        "pretty" => Ok(Format::Pretty),
        "simple" => Ok(Format::Simple),
        other => Err(format!(
            "unknown output format: {other}, expected one of: pretty|simple"
        )),
    }
}

/// One input to lint: where it came from and its text.
struct Source {
    origin: String,
    text: String,
}

fn kinds(args: &LintArgs) -> anyhow::Result<Vec<String>> {
    let mut kinds = Vec::new();
    for name in &args.kinds {
        let Some(found) = argo_validate::kinds_for_cli_name(name) else {
            bail!("unknown kind: {name}");
        };
        kinds.extend(found.into_iter().map(str::to_owned));
    }
    Ok(kinds)
}

/// Lints offline, or through the server when one is configured and `--offline` is not given.
pub async fn run_async(args: &LintArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    if args.offline || args.client.argo_server.as_deref().is_none_or(str::is_empty) {
        return run(args, out);
    }
    let kinds = kinds(args)?;
    let sources = read_sources(&args.paths)?;
    let client = ApiClient::connect(&args.client).await?;
    let mut reports = Vec::new();
    for source in &sources {
        reports.push(lint_online(&client, source, &kinds).await?);
    }
    let color = !args.no_color && std::io::stdout().is_terminal();
    out.write_all(format_all(&reports, args.output, color).as_bytes())?;
    Ok(if is_success(&reports) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The service method and request field that lint one kind.
fn lint_method(kind: &str) -> Option<(&'static str, &'static str)> {
    Some(match kind {
        "Workflow" => ("workflow.WorkflowService.LintWorkflow", "workflow"),
        "WorkflowTemplate" => (
            "workflowtemplate.WorkflowTemplateService.LintWorkflowTemplate",
            "template",
        ),
        "ClusterWorkflowTemplate" => (
            "clusterworkflowtemplate.ClusterWorkflowTemplateService.LintClusterWorkflowTemplate",
            "template",
        ),
        "CronWorkflow" => (
            "cronworkflow.CronWorkflowService.LintCronWorkflow",
            "cronWorkflow",
        ),
        _ => return None,
    })
}

async fn lint_online(
    client: &ApiClient,
    source: &Source,
    kinds: &[String],
) -> anyhow::Result<LintReport> {
    let mut report = LintReport {
        origin: source.origin.clone(),
        ..LintReport::default()
    };
    let documents = crate::commands::manifest::parse_documents(&source.text)
        .with_context(|| format!("reading {}", source.origin))?;
    for (index, document) in documents.iter().enumerate() {
        let kind = document.get("kind").and_then(Json::as_str).unwrap_or("");
        if !kinds.iter().any(|k| k == kind) {
            continue;
        }
        let Some((method, field)) = lint_method(kind) else {
            continue;
        };
        report.linted = true;
        let namespace = document
            .pointer("/metadata/namespace")
            .and_then(Json::as_str)
            .filter(|n| !n.is_empty())
            .unwrap_or(&client.namespace);
        // Cluster-scoped kinds have no namespace in their lint request.
        let mut request = if kind == "ClusterWorkflowTemplate" {
            json!({})
        } else {
            json!({ "namespace": namespace })
        };
        request[field] = document.clone();
        match client.call(method, request).await {
            Ok(_) => {}
            Err(crate::client::ClientError::Server { message, .. }) => {
                report.diagnostics.push(Diagnostic {
                    document: index,
                    kind: kind.to_owned(),
                    name: display_name(document, index),
                    path: argo_core::FieldPath::root(),
                    line: None,
                    message,
                });
            }
            Err(other) => return Err(other.into()),
        }
    }
    Ok(report)
}

pub fn run(args: &LintArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let kinds = kinds(args)?;
    let sources = read_sources(&args.paths)?;
    let mut templates = DocumentTemplates::new();
    for source in &sources {
        templates.add_text(&source.text);
    }
    let mut ctx = LintContext::with_resolver(templates);
    ctx.strict = args.strict;
    ctx.kinds = kinds;
    let reports: Vec<_> = sources
        .iter()
        .map(|s| lint_text(&s.text, &s.origin, &ctx))
        .collect();
    let color = !args.no_color && std::io::stdout().is_terminal();
    out.write_all(format_all(&reports, args.output, color).as_bytes())?;
    Ok(if is_success(&reports) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn read_sources(paths: &[String]) -> anyhow::Result<Vec<Source>> {
    let mut sources = Vec::new();
    for path in paths {
        if path == "-" {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .context("reading standard input")?;
            sources.push(Source {
                origin: "stdin".into(),
                text,
            });
            continue;
        }
        let path = Path::new(path);
        let metadata =
            std::fs::metadata(path).with_context(|| format!("lstat {}", path.display()))?;
        let files = if metadata.is_dir() {
            manifest_files(path)?
        } else {
            vec![path.to_path_buf()]
        };
        for file in files {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            sources.push(Source {
                origin: file.display().to_string(),
                text,
            });
        }
    }
    Ok(sources)
}

/// Every `.yaml`, `.yml` and `.json` file below `dir`, in a stable order.
fn manifest_files(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(next) = pending.pop() {
        let entries =
            std::fs::read_dir(&next).with_context(|| format!("reading {}", next.display()))?;
        for entry in entries {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            ) {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(paths: &[&str], output: Format) -> LintArgs {
        LintArgs {
            paths: paths.iter().map(|p| p.to_string()).collect(),
            output,
            kinds: vec!["all".into()],
            offline: true,
            strict: true,
            no_color: true,
            client: ClientArgs::default(),
        }
    }

    fn lint(paths: &[&str], output: Format) -> (ExitCode, String) {
        let mut out = Vec::new();
        let code = run(&args(paths, output), &mut out).unwrap();
        (code, String::from_utf8(out).unwrap())
    }

    #[test]
    fn a_directory_of_valid_workflows_lints_clean() {
        let examples = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples");
        let (code, out) = lint(&[examples], Format::Pretty);
        assert_eq!(code, ExitCode::SUCCESS, "{out}");
        assert_eq!(out, "✔ no linting errors found!\n");
    }

    #[test]
    fn a_broken_workflow_fails_with_the_file_and_message() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("bad.yaml");
        std::fs::write(
            &file,
            "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  name: bad\nspec:\n  entrypoint: missing\n  templates:\n  - name: main\n    container:\n      image: alpine\n",
        )
        .unwrap();
        let (code, out) = lint(&[file.to_str().unwrap()], Format::Simple);
        assert_eq!(code, ExitCode::FAILURE);
        assert!(out.starts_with(&format!("{}: ", file.display())), "{out}");
        assert!(out.contains("missing"), "{out}");
    }

    #[test]
    fn a_missing_path_is_an_error_naming_it() {
        let err = run(
            &args(&["/no/such/file.yaml"], Format::Pretty),
            &mut Vec::new(),
        )
        .unwrap_err();
        assert!(format!("{err:#}").contains("/no/such/file.yaml"));
    }

    #[test]
    fn an_unknown_output_format_is_rejected() {
        assert!(parse_format("fancy").unwrap_err().contains("pretty|simple"));
    }
}
