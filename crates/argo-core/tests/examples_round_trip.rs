//! Conformance: every upstream example parses, Argo kinds typed and the rest kept as JSON, and
//! the typed value serialises back to its input (modulo Go's omitempty normalisation and
//! AnyString's number-to-string conversion).

use std::path::{Path, PathBuf};

use argo_core::unknown_fields::is_empty_value;
use argo_core::{Resource, parse_documents};
use serde_json::Value;

fn examples_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("ARGO_EXAMPLES") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/argo-examples"),
    };
    dir.is_dir().then_some(dir)
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "json")
        ) {
            out.push(path);
        }
    }
}

/// Drops empty values recursively, like Go's omitempty on both sides.
fn without_empty(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !is_empty_value(v))
                .map(|(k, v)| (k.clone(), without_empty(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_empty).collect()),
        other => other.clone(),
    }
}

/// Differences between input and output, allowing numbers and booleans to come back as strings.
fn differences(path: &str, input: &Value, output: &Value, out: &mut Vec<String>) {
    match (input, output) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                match b.get(key) {
                    Some(other) => differences(&format!("{path}.{key}"), value, other, out),
                    None => out.push(format!("{path}.{key}: missing in output")),
                }
            }
            for key in b.keys().filter(|k| !a.contains_key(*k)) {
                // k8s-openapi writes the type fields of embedded PersistentVolumeClaims.
                let type_field = key == "apiVersion" || key == "kind";
                if !(type_field && path.contains(".volumeClaimTemplates[")) {
                    out.push(format!("{path}.{key}: added in output"));
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (index, (x, y)) in a.iter().zip(b).enumerate() {
                differences(&format!("{path}[{index}]"), x, y, out);
            }
        }
        (Value::Number(n), Value::String(s)) if n.to_string() == *s => {}
        // YAML 1.1 octal file modes (`mode: 0755`) arrive as text and are read as octal.
        (Value::String(s), Value::Number(n))
            if path.ends_with(".mode")
                && i64::from_str_radix(s.trim_start_matches("0o"), 8).ok() == n.as_i64() => {}
        (Value::Bool(b), Value::String(s)) if b.to_string() == *s => {}
        (a, b) if a == b => {}
        (a, b) => out.push(format!("{path}: {a} became {b}")),
    }
}

#[test]
fn every_example_round_trips_through_the_typed_model() {
    let Some(dir) = examples_dir() else {
        eprintln!(
            "skipping: argo examples not found (set ARGO_EXAMPLES or add ../shared/argo-examples)"
        );
        return;
    };
    let mut files = Vec::new();
    yaml_files(&dir, &mut files);
    files.sort();
    assert!(!files.is_empty(), "no example files in {}", dir.display());
    let mut failures = Vec::new();
    let mut typed = 0;
    let mut other = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).expect("example is readable");
        for document in parse_documents(&text) {
            let document = match document {
                Ok(document) => document,
                Err(err) => {
                    failures.push(format!("{}: {err}", file.display()));
                    continue;
                }
            };
            if let Resource::Other { .. } = document.resource {
                other += 1;
                continue;
            }
            typed += 1;
            let output = document
                .resource
                .to_value()
                .expect("typed value serialises");
            let mut diffs = Vec::new();
            differences(
                "",
                &without_empty(&document.raw),
                &without_empty(&output),
                &mut diffs,
            );
            for diff in diffs {
                failures.push(format!(
                    "{} (document {}): {diff}",
                    file.display(),
                    document.index + 1
                ));
            }
        }
    }
    eprintln!(
        "{} files: {typed} Argo documents typed, {other} kept as JSON",
        files.len()
    );
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(typed > 0);
}
