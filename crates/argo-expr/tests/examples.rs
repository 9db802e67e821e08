//! Every `when`, `depends`, `{{...}}` and `{{=...}}` in upstream's example workflows parses.
//!
//! The examples live outside the repository (`../shared/argo-examples` from the workspace root,
//! or `$ARGO_EXAMPLES`); the test says so and passes when they are absent.

use std::path::{Path, PathBuf};

use argo_expr::{TagKind, depends, govaluate, parse_expression, references};
use serde::Deserialize as _;
use serde_json::Value;

fn examples_dir() -> PathBuf {
    std::env::var_os("ARGO_EXAMPLES").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/argo-examples"),
        PathBuf::from,
    )
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}

#[derive(Default)]
struct Found {
    whens: Vec<String>,
    depends: Vec<String>,
    templated: Vec<String>,
}

fn walk(value: &Value, key: Option<&str>, found: &mut Found) {
    match value {
        Value::String(s) => {
            match key {
                Some("when") => found.whens.push(s.clone()),
                Some("depends") => found.depends.push(s.clone()),
                _ => {}
            }
            if s.contains("{{") {
                found.templated.push(s.clone());
            }
        }
        Value::Array(items) => items.iter().for_each(|item| walk(item, None, found)),
        Value::Object(map) => map
            .iter()
            .for_each(|(k, item)| walk(item, Some(k.as_str()), found)),
        _ => {}
    }
}

/// Replaces every tag with a plausible scalar, as the controller would before evaluating.
fn with_plausible_values(condition: &str) -> String {
    let mut out = String::new();
    let mut rest = condition;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find("}}") else {
            break;
        };
        let body = &rest[open + 2..open + close];
        out.push_str(if body.starts_with('=') {
            "true"
        } else {
            "value1"
        });
        rest = &rest[open + close + 2..];
    }
    out.push_str(rest);
    out
}

#[test]
fn every_expression_in_the_upstream_examples_parses() {
    let dir = examples_dir();
    if !dir.is_dir() {
        eprintln!(
            "skipping: upstream examples not found at {} (set ARGO_EXAMPLES)",
            dir.display()
        );
        return;
    }
    let mut files = Vec::new();
    yaml_files(&dir, &mut files);
    files.sort();
    let mut found = Found::default();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("example is readable");
        for document in serde_norway::Deserializer::from_str(&text) {
            match Value::deserialize(document) {
                Ok(value) => walk(&value, None, &mut found),
                Err(e) => panic!("{}: not YAML: {e}", file.display()),
            }
        }
    }
    let mut failures = Vec::new();
    for condition in &found.whens {
        let substituted = with_plausible_values(condition);
        let parsed = govaluate::parse(&substituted).and_then(|e| e.with_variables_as_strings());
        if let Err(e) = parsed {
            failures.push(format!("when {condition:?} -> {substituted:?}: {e}"));
        }
    }
    for expression in &found.depends {
        if let Err(e) = depends::parse(expression) {
            failures.push(format!("depends {expression:?}: {e}"));
        }
    }
    let mut expression_tags = 0;
    for text in &found.templated {
        match references(text) {
            Err(e) => failures.push(format!("template {text:?}: {e}")),
            Ok(tags) => {
                for tag in tags.iter().filter(|t| t.kind == TagKind::Expression) {
                    expression_tags += 1;
                    if let Err(e) = parse_expression(&tag.body) {
                        failures.push(format!("expression {:?}: {e}", tag.body));
                    }
                }
            }
        }
    }
    eprintln!(
        "checked {} files: {} when, {} depends, {} templated strings ({} expression tags)",
        files.len(),
        found.whens.len(),
        found.depends.len(),
        found.templated.len(),
        expression_tags
    );
    assert!(!found.whens.is_empty() && !found.depends.is_empty());
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
