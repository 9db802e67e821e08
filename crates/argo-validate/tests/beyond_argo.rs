//! Checks Argo itself leaves to run time, enabled with `LintContext::beyond_argo`: each fixture
//! under `fixtures/beyond-argo/` fails with its header's message and path when enabled, and
//! lints clean (as with `argo lint`) when not.

use std::fs;
use std::path::PathBuf;

use argo_validate::{LintContext, lint_text};

fn header<'a>(text: &'a str, key: &str) -> &'a str {
    text.lines()
        .find_map(|line| line.strip_prefix(&format!("# {key}: ")))
        .expect("header")
}

#[test]
fn unparseable_depends_are_reported_only_beyond_argo() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/beyond-argo");
    let beyond = LintContext {
        beyond_argo: true,
        ..LintContext::default()
    };
    let mut seen = 0;
    for entry in fs::read_dir(dir).expect("fixture dir") {
        let path = entry.expect("entry").path();
        let text = fs::read_to_string(&path).expect("readable");
        let name = path.display().to_string();
        assert!(
            lint_text(&text, &name, &LintContext::default()).is_clean(),
            "{name}"
        );
        let report = lint_text(&text, &name, &beyond);
        let [only] = report.diagnostics.as_slice() else {
            panic!("{name}: {:?}", report.diagnostics);
        };
        assert!(
            only.message.contains(header(&text, "expect")),
            "{name}: {}",
            only.message
        );
        assert_eq!(only.path.to_string(), header(&text, "path"), "{name}");
        seen += 1;
    }
    assert!(seen >= 2);
}
