//! References resolved through the lint context: fixtures under `fixtures/context/` are linted
//! with the templates of `fixtures/context/templates.yaml` supplied; those under `invalid/`
//! fail with the message and path in their header, those under `valid/` lint clean.

use std::fs;
use std::path::{Path, PathBuf};

use argo_validate::{DocumentTemplates, LintContext, lint_text};

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/context")
}

fn context() -> LintContext {
    let mut templates = DocumentTemplates::new();
    templates.add_text(&fs::read_to_string(dir().join("templates.yaml")).expect("templates"));
    LintContext::with_resolver(templates)
}

fn fixtures(sub: &str) -> Vec<(String, String)> {
    let mut paths: Vec<PathBuf> = fs::read_dir(dir().join(sub))
        .expect("fixture dir")
        .map(|e| e.expect("entry").path())
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p: &PathBuf| {
            let name = Path::new(p)
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            (name, fs::read_to_string(p).expect("readable"))
        })
        .collect()
}

fn header<'a>(text: &'a str, key: &str) -> &'a str {
    text.lines()
        .find_map(|line| line.strip_prefix(&format!("# {key}: ")))
        .expect("header")
}

#[test]
fn references_to_missing_or_broken_templates_fail_with_argo_messages() {
    let ctx = context();
    for (name, text) in fixtures("invalid") {
        let report = lint_text(&text, &name, &ctx);
        let [only] = report.diagnostics.as_slice() else {
            panic!(
                "{name}: expected one diagnostic, got {:?}",
                report.diagnostics
            );
        };
        assert!(
            only.message.contains(header(&text, "expect")),
            "{name}: got {}",
            only.message
        );
        assert_eq!(only.path.to_string(), header(&text, "path"), "{name}");
    }
}

#[test]
fn references_to_supplied_templates_lint_clean() {
    let ctx = context();
    for (name, text) in fixtures("valid") {
        let report = lint_text(&text, &name, &ctx);
        assert!(report.is_clean(), "{name}: {:?}", report.diagnostics);
    }
}

#[test]
fn without_the_templates_a_reference_cannot_be_resolved() {
    let text =
        fs::read_to_string(dir().join("valid/template-ref-with-argument.yaml")).expect("fixture");
    let report = lint_text(&text, "x", &LintContext::default());
    assert_eq!(report.diagnostics.len(), 1);
    assert!(
        report.diagnostics[0]
            .message
            .contains("couldn't find workflow template \"shared\"")
    );
}
