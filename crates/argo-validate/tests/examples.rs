//! Every upstream example document lints clean, with the (Cluster)WorkflowTemplates found among
//! the examples supplied as the lint context so `templateRef`s resolve. Skips, saying so, when
//! the examples folder is absent.

use std::fs;
use std::path::{Path, PathBuf};

use argo_validate::{DocumentTemplates, Format, LintContext, format_all, lint_text};

fn examples_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("ARGO_EXAMPLES").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/argo-examples"),
        PathBuf::from,
    );
    dir.is_dir().then_some(dir)
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path
            .extension()
            .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
        {
            out.push(path);
        }
    }
}

/// Names of the WorkflowTemplates in a text (a crude scan is enough for the examples).
fn template_names_in(text: &str) -> Vec<String> {
    text.split("\n---")
        .filter(|doc| doc.contains("kind: WorkflowTemplate"))
        .filter_map(|doc| {
            doc.lines()
                .skip_while(|l| !l.starts_with("metadata:"))
                .find_map(|l| l.trim().strip_prefix("name: ").map(str::to_owned))
        })
        .collect()
}

#[test]
fn every_upstream_example_lints_clean() {
    let Some(dir) = examples_dir() else {
        eprintln!(
            "skipping: upstream examples not found (set ARGO_EXAMPLES or add ../shared/argo-examples)"
        );
        return;
    };
    let mut files = Vec::new();
    yaml_files(&dir, &mut files);
    files.sort();
    let mut templates = DocumentTemplates::new();
    let mut template_names = Vec::new();
    let texts: Vec<(String, String)> = files
        .iter()
        .map(|path| {
            let text = fs::read_to_string(path).expect("readable example");
            templates.add_text(&text);
            template_names.extend(template_names_in(&text));
            let origin = path
                .strip_prefix(&dir)
                .unwrap_or(path)
                .display()
                .to_string();
            (origin, text)
        })
        .collect();
    let mut ctx = LintContext::with_resolver(templates);
    // Checks beyond Argo's must not flag anything Argo accepts either.
    ctx.beyond_argo = true;
    let reports: Vec<_> = texts
        .iter()
        .map(|(origin, text)| lint_text(text, origin, &ctx))
        .collect();
    let linted = reports.iter().filter(|r| r.linted).count();
    assert!(
        linted > 100,
        "only {linted} example files held lintable documents"
    );
    // The shared folder is a subset of upstream's: a reference to a template upstream ships but
    // the folder lacks is a true lint error here, so it is accepted when the template is absent.
    let failing: Vec<_> = reports
        .iter()
        .filter(|r| {
            r.diagnostics.iter().any(|d| {
                let missing = d.message.split("couldn't find workflow template \"").nth(1);
                match missing.and_then(|rest| rest.split('"').next()) {
                    Some(name) if !template_names.iter().any(|n| n == name) => {
                        eprintln!(
                            "note: {} references {name}, absent from the examples folder",
                            r.origin
                        );
                        false
                    }
                    _ => true,
                }
            })
        })
        .cloned()
        .collect();
    assert!(
        failing.is_empty(),
        "{} example files fail lint:\n{}",
        failing.len(),
        format_all(&failing, Format::Simple, false)
    );
}
