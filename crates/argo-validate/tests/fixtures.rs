//! Every invalid fixture fails lint with the message and field path written in its header
//! (`# expect: <substring of the message>` and `# path: <field path>`).

use std::fs;
use std::path::PathBuf;

use argo_validate::{LintContext, lint_text};

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invalid")
}

fn header<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    text.lines()
        .take_while(|line| line.starts_with('#'))
        .find_map(|line| line.strip_prefix(&format!("# {key}: ")))
}

#[test]
fn every_invalid_fixture_fails_with_its_expected_message_and_path() {
    let mut entries: Vec<PathBuf> = fs::read_dir(fixture_dir())
        .expect("fixture dir")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    entries.sort();
    assert!(entries.len() >= 45, "only {} fixtures", entries.len());
    let ctx = LintContext::default();
    let mut failures = Vec::new();
    for path in &entries {
        let text = fs::read_to_string(path).expect("readable fixture");
        let name = path
            .file_name()
            .expect("file name")
            .to_string_lossy()
            .into_owned();
        let expect = header(&text, "expect").expect("# expect header");
        let expected_path = header(&text, "path").expect("# path header");
        let report = lint_text(&text, &name, &ctx);
        match report.diagnostics.as_slice() {
            [only] => {
                if !only.message.contains(expect) {
                    failures.push(format!(
                        "{name}: message\n    got:  {}\n    want: {expect}",
                        only.message
                    ));
                }
                if only.line.is_none() {
                    failures.push(format!("{name}: no line for {}", only.path));
                }
                if only.path.to_string() != expected_path {
                    failures.push(format!(
                        "{name}: path\n    got:  {}\n    want: {expected_path}",
                        only.path
                    ));
                }
            }
            other => failures.push(format!("{name}: expected one diagnostic, got {other:?}")),
        }
    }
    if std::env::var_os("SHOW_LINT").is_some() {
        for path in &entries {
            let text = fs::read_to_string(path).expect("readable fixture");
            let report = lint_text(&text, &path.display().to_string(), &ctx);
            for d in &report.diagnostics {
                eprintln!("{}:{:?} {} | {d}", report.origin, d.line, d.path);
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures wrong:\n{}",
        failures.len(),
        entries.len(),
        failures.join("\n")
    );
}
