//! Whole-input behaviour of `lint_text`: which documents are linted, how problems are named
//! and located, kind filters, and the pretty/simple output of a run.

use std::fs;
use std::path::PathBuf;

use argo_validate::{Format, LintContext, format_all, is_success, kinds_for_cli_name, lint_text};

fn mixed(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/mixed")
        .join(name);
    fs::read_to_string(path).expect("fixture")
}

#[test]
fn only_argo_kinds_are_linted_and_each_problem_names_its_object() {
    let report = lint_text(
        &mixed("two-workflows-and-a-configmap.yaml"),
        "mixed.yaml",
        &LintContext::default(),
    );
    assert!(report.linted);
    let [only] = report.diagnostics.as_slice() else {
        panic!("expected one problem: {:?}", report.diagnostics);
    };
    assert_eq!(
        only.to_string(),
        "in \"bad-\" (Workflow): template name 'missing' undefined"
    );
    assert_eq!(only.document, 2);
    assert_eq!(only.path.to_string(), "spec.entrypoint");
    assert_eq!(only.line, Some(24));
}

#[test]
fn an_input_without_argo_documents_is_not_linted_and_fails_the_run() {
    let report = lint_text(
        &mixed("configmap-only.yaml"),
        "cm.yaml",
        &LintContext::default(),
    );
    assert!(!report.linted);
    assert!(!is_success(std::slice::from_ref(&report)));
    assert_eq!(
        format_all(&[report], Format::Pretty, false),
        "✖ found nothing to lint in the specified paths, failing...\n"
    );
}

#[test]
fn a_kind_filter_skips_other_kinds() {
    let kinds = kinds_for_cli_name("cronwf").expect("known name");
    let ctx = LintContext {
        kinds: kinds.into_iter().map(str::to_owned).collect(),
        ..LintContext::default()
    };
    let report = lint_text(
        &mixed("two-workflows-and-a-configmap.yaml"),
        "mixed.yaml",
        &ctx,
    );
    assert!(report.is_clean());
    assert!(kinds_for_cli_name("pods").is_none());
}

#[test]
fn a_run_prints_each_failing_file_then_the_summary() {
    let ctx = LintContext::default();
    let reports = vec![
        lint_text(
            &mixed("two-workflows-and-a-configmap.yaml"),
            "mixed.yaml",
            &ctx,
        ),
        lint_text(&mixed("configmap-only.yaml"), "cm.yaml", &ctx),
    ];
    assert_eq!(
        format_all(&reports, Format::Pretty, false),
        "mixed.yaml:\n   ✖ in \"bad-\" (Workflow): template name 'missing' undefined\n\n✖ 1 linting errors found!\n"
    );
    assert_eq!(
        format_all(&reports, Format::Simple, false),
        "mixed.yaml: in \"bad-\" (Workflow): template name 'missing' undefined\n"
    );
}

#[test]
fn unknown_fields_are_tolerated_when_lint_is_not_strict() {
    let text = "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  name: w\nspec:\n  entrypoint: main\n  bogus: 1\n  templates:\n    - name: main\n      container:\n        image: alpine:3.23\n";
    let strict = lint_text(text, "w.yaml", &LintContext::default());
    assert_eq!(strict.diagnostics.len(), 1);
    assert!(
        strict.diagnostics[0]
            .message
            .starts_with("strict decoding error: unknown field \"spec.bogus\"")
    );
    let lenient = LintContext {
        strict: false,
        ..LintContext::default()
    };
    assert!(lint_text(text, "w.yaml", &lenient).is_clean());
}

#[test]
fn json_input_is_linted_like_yaml() {
    let text = r#"{"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow", "metadata": {"name": "j"}, "spec": {"templates": [{"name": "main", "container": {"image": "alpine"}}]}}"#;
    let report = lint_text(text, "j.json", &LintContext::default());
    assert_eq!(report.diagnostics.len(), 1);
    assert_eq!(report.diagnostics[0].message, "spec.entrypoint is required");
}

#[test]
fn cli_kind_and_format_names_are_parsed_like_argo() {
    assert_eq!(
        argo_validate::kinds_for_cli(&["wf,cronwf", "workflows"]).expect("known"),
        vec!["Workflow".to_owned(), "CronWorkflow".to_owned()]
    );
    assert_eq!(
        argo_validate::kinds_for_cli(&["all"]).expect("all").len(),
        4
    );
    let err = argo_validate::kinds_for_cli(&["pods"]).expect_err("unknown");
    assert_eq!(err.to_string(), "unknown kind: pods");
    assert_eq!("simple".parse::<Format>(), Ok(Format::Simple));
    let err = "fancy".parse::<Format>().expect_err("unknown");
    assert_eq!(err.to_string(), "unknown formatter: fancy");
}
