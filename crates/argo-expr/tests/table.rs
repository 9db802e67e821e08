//! Table-driven conformance suite: every row of `tests/fixtures/*.tsv` is one case derived from
//! Argo's documentation or observed behaviour (the last column says which).

use std::collections::HashMap;
use std::path::PathBuf;

use argo_expr::depends::{self, TaskState};
use argo_expr::{
    Options, Scope, Unresolved, evaluate, evaluate_bool, substitute, substitute_json, when,
};

struct Row {
    line: usize,
    columns: Vec<String>,
}

fn rows(file: &str, width: usize) -> Vec<Row> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(file);
    let text = std::fs::read_to_string(&path).expect("fixture file is readable");
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.starts_with('#') && !line.trim_end_matches('\r').is_empty())
        .map(|(n, line)| {
            let columns: Vec<String> = line.split('\t').map(str::to_owned).collect();
            assert_eq!(
                columns.len(),
                width,
                "{file}:{}: expected {width} columns",
                n + 1
            );
            Row {
                line: n + 1,
                columns,
            }
        })
        .collect()
}

fn unescape(text: &str) -> String {
    if text == "<empty>" {
        return String::new();
    }
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('\\') => out.push('\\'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

fn scope_from(json: &str) -> Scope {
    let value: serde_json::Value = serde_json::from_str(json).expect("scope column is JSON");
    let mut scope = Scope::new();
    for (key, value) in value.as_object().expect("scope column is an object") {
        if value.is_null() {
            scope.insert_absent(key.clone());
        } else {
            scope.insert(key.clone(), value.clone());
        }
    }
    scope
}

fn options(mode: &str) -> Options {
    let unresolved = match mode {
        "keep" => Unresolved::Keep,
        "reject" => Unresolved::Reject,
        other => Unresolved::RejectPrefixes(
            other
                .strip_prefix("strict:")
                .expect("mode is keep, reject or strict:...")
                .split(',')
                .map(str::to_owned)
                .collect(),
        ),
    };
    Options::new(
        unresolved,
        "2026-01-02T03:04:05Z".parse().expect("timestamp"),
    )
}

/// Compares an outcome with an `error[:substring]` or literal expectation.
fn judge(expected: &str, outcome: Result<String, String>) -> Option<String> {
    match (expected.strip_prefix("error"), outcome) {
        (Some(rest), Err(message)) => {
            let wanted = rest.strip_prefix(':').unwrap_or("");
            (!message.contains(wanted)).then(|| format!("error {message:?} lacks {wanted:?}"))
        }
        (Some(_), Ok(value)) => Some(format!("expected an error, got {value:?}")),
        (None, Ok(value)) => (value != expected).then(|| format!("got {value:?}")),
        (None, Err(message)) => Some(format!("unexpected error {message}")),
    }
}

fn report(file: &str, failures: &[String], total: usize) {
    assert!(
        failures.is_empty(),
        "{} of {total} rows of {file} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn when_conditions_follow_govaluate_as_argo_uses_it() {
    let rows = rows("when.tsv", 3);
    let mut failures = Vec::new();
    for row in &rows {
        let condition = unescape(&row.columns[0]);
        let outcome = when::evaluate(&condition)
            .map(|b| b.to_string())
            .map_err(|e| e.to_string());
        if let Some(problem) = judge(&row.columns[1], outcome) {
            failures.push(format!("line {} `{condition}`: {problem}", row.line));
        }
    }
    assert!(rows.len() >= 100, "when table has {} rows", rows.len());
    report("when.tsv", &failures, rows.len());
}

fn task_states(spec: &str) -> HashMap<String, TaskState> {
    let mut states = HashMap::new();
    for entry in spec.split(';').filter(|e| !e.is_empty()) {
        let (task, flags) = entry.split_once('=').expect("task=flags");
        let mut state = TaskState::default();
        for flag in flags.split('+') {
            match flag {
                "Succeeded" => state.succeeded = true,
                "Failed" => state.failed = true,
                "Errored" => state.errored = true,
                "Skipped" => state.skipped = true,
                "Omitted" => state.omitted = true,
                "Daemoned" => state.daemoned = true,
                "AnySucceeded" => state.any_succeeded = true,
                "AllFailed" => state.all_failed = true,
                "continueOnFailed" => state.continue_on_failed = true,
                "continueOnError" => state.continue_on_error = true,
                other => panic!("unknown flag {other}"),
            }
        }
        states.insert(task.to_owned(), state);
    }
    states
}

#[test]
fn depends_expressions_follow_argos_dag_rules() {
    let rows = rows("depends.tsv", 4);
    let mut failures = Vec::new();
    for row in &rows {
        let expression = unescape(&row.columns[0]);
        let states = task_states(&row.columns[1]);
        let expected = row.columns[2].as_str();
        let parsed = depends::parse(&expression);
        let outcome = match (expected.strip_prefix("tasks="), parsed) {
            (Some(_), Ok(d)) => Ok(format!("tasks={}", d.tasks().join(","))),
            (None, Ok(d)) => Ok(d
                .evaluate(&|task| states.get(task).copied().unwrap_or_default())
                .to_string()),
            (_, Err(e)) => Err(e.to_string()),
        };
        if let Some(problem) = judge(expected, outcome) {
            failures.push(format!("line {} `{expression}`: {problem}", row.line));
        }
    }
    assert!(rows.len() >= 40, "depends table has {} rows", rows.len());
    report("depends.tsv", &failures, rows.len());
}

#[test]
fn substitution_follows_argos_template_rules() {
    let rows = rows("substitute.tsv", 5);
    let mut failures = Vec::new();
    for row in &rows {
        let template = unescape(&row.columns[0]);
        let scope = scope_from(&row.columns[1]);
        let (mode, passes) = match row.columns[2].strip_suffix("*2") {
            Some(mode) => (mode, 2),
            None => (row.columns[2].as_str(), 1),
        };
        let opts = options(mode);
        let mut outcome = Ok(template.clone());
        for _ in 0..passes {
            outcome = outcome.and_then(|text| substitute(&text, &scope, &opts));
        }
        let outcome = outcome.map_err(|e| e.to_string());
        let expected = unescape(&row.columns[3]);
        if let Some(problem) = judge(&expected, outcome) {
            failures.push(format!("line {} `{template}`: {problem}", row.line));
        }
        // The same row through Argo's serialise-substitute-parse of a whole template.
        let mut document = Ok(serde_json::json!({ "value": template }));
        for _ in 0..passes {
            document = document.and_then(|d| substitute_json(&d, &scope, &opts));
        }
        let outcome = document
            .map(|d| d["value"].as_str().unwrap_or_default().to_owned())
            .map_err(|e| e.to_string());
        if let Some(problem) = judge(&expected, outcome) {
            failures.push(format!("line {} `{template}` as JSON: {problem}", row.line));
        }
    }
    assert!(rows.len() >= 80, "substitute table has {} rows", rows.len());
    report("substitute.tsv", &failures, rows.len());
}

#[test]
fn expressions_evaluate_like_argos_expr_environment() {
    let rows = rows("evaluate.tsv", 5);
    let opts = options("keep");
    let mut failures = Vec::new();
    for row in &rows {
        let expression = &row.columns[0];
        let scope = scope_from(&row.columns[1]);
        let outcome = match row.columns[2].as_str() {
            "bool" => evaluate_bool(expression, &scope, &opts).map(|b| b.to_string()),
            _ => evaluate(expression, &scope, &opts).map(|v| v.to_string()),
        }
        .map_err(|e| e.to_string());
        if let Some(problem) = judge(&row.columns[3], outcome) {
            failures.push(format!("line {} `{expression}`: {problem}", row.line));
        }
    }
    assert!(rows.len() >= 50, "evaluate table has {} rows", rows.len());
    report("evaluate.tsv", &failures, rows.len());
}
