//! `lint_text` returns a report for any input: arbitrary strings, YAML-ish noise, and upstream
//! examples with lines deleted, duplicated, swapped or characters replaced.

use std::fs;
use std::path::PathBuf;
use std::sync::LazyLock;

use argo_validate::{LintContext, lint_text};
use proptest::prelude::*;

static EXAMPLES: LazyLock<Vec<String>> = LazyLock::new(|| {
    let dir = std::env::var_os("ARGO_EXAMPLES").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/argo-examples"),
        PathBuf::from,
    );
    let mut texts: Vec<String> = fs::read_dir(&dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
                .filter_map(|p| fs::read_to_string(p).ok())
                .collect()
        })
        .unwrap_or_default();
    texts.sort();
    if texts.is_empty() {
        eprintln!("note: upstream examples absent; mutating a built-in workflow only");
        texts.push(include_str!("fixtures/invalid/dag-cycle.yaml").to_owned());
    }
    texts
});

/// One edit applied to a document's lines.
#[derive(Debug, Clone)]
enum Mutation {
    DeleteLine(usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    ReplaceChar(usize, char),
    Truncate(usize),
    IndentLine(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::DeleteLine),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        (
            any::<usize>(),
            prop::sample::select(vec![
                '{', '}', '[', ']', ':', '-', ' ', '"', '\'', '0', 'x', '\n', '|', '&', '*'
            ])
        )
            .prop_map(|(at, c)| Mutation::ReplaceChar(at, c)),
        any::<usize>().prop_map(Mutation::Truncate),
        any::<usize>().prop_map(Mutation::IndentLine),
    ]
}

fn apply(text: &str, mutation: &Mutation) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    if lines.is_empty() {
        return String::new();
    }
    let n = lines.len();
    match mutation {
        Mutation::DeleteLine(i) => {
            lines.remove(i % n);
        }
        Mutation::DuplicateLine(i) => {
            let line = lines[i % n].clone();
            lines.insert(i % n, line);
        }
        Mutation::SwapLines(a, b) => lines.swap(a % n, b % n),
        Mutation::ReplaceChar(at, c) => {
            let mut chars: Vec<char> = text.chars().collect();
            if !chars.is_empty() {
                let at = at % chars.len();
                chars[at] = *c;
            }
            return chars.into_iter().collect();
        }
        Mutation::Truncate(at) => {
            let chars: Vec<char> = text.chars().collect();
            return chars[..at % (chars.len() + 1)].iter().collect();
        }
        Mutation::IndentLine(i) => lines[i % n].insert_str(0, "  "),
    }
    lines.join("\n")
}

/// Replaces the `target`-th node (pre-order) of a JSON value with `replacement`.
fn replace_node(
    value: &mut serde_json::Value,
    target: &mut usize,
    replacement: &serde_json::Value,
) -> bool {
    if *target == 0 {
        *value = replacement.clone();
        return true;
    }
    *target -= 1;
    match value {
        serde_json::Value::Array(items) => items
            .iter_mut()
            .any(|item| replace_node(item, target, replacement)),
        serde_json::Value::Object(map) => map
            .values_mut()
            .any(|item| replace_node(item, target, replacement)),
        _ => false,
    }
}

fn odd_value() -> impl Strategy<Value = serde_json::Value> {
    prop::sample::select(vec![
        serde_json::Value::Null,
        serde_json::json!(-1),
        serde_json::json!(1.5),
        serde_json::json!(true),
        serde_json::json!("{{"),
        serde_json::json!("{{inputs.parameters.x}}"),
        serde_json::json!("{{tasks.a.outputs.result}}"),
        serde_json::json!([]),
        serde_json::json!([[]]),
        serde_json::json!({}),
        serde_json::json!({"name": ""}),
        serde_json::json!("a.AnySucceeded && b"),
    ])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn lint_never_panics_on_arbitrary_text(text in ".{0,400}") {
        let report = lint_text(&text, "arbitrary", &LintContext::default());
        prop_assert_eq!(report.origin, "arbitrary");
    }

    #[test]
    fn lint_never_panics_on_mutated_examples(
        pick in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let original = pick.get(&EXAMPLES);
        let mutated = mutations.iter().fold(original.clone(), |text, m| apply(&text, m));
        let report = lint_text(&mutated, "mutated", &LintContext::default());
        for diagnostic in &report.diagnostics {
            prop_assert!(!diagnostic.message.is_empty());
        }
    }

    #[test]
    fn lint_never_panics_when_example_fields_change_type(
        pick in any::<prop::sample::Index>(),
        edits in prop::collection::vec((any::<usize>(), odd_value()), 1..4),
    ) {
        let original = pick.get(&EXAMPLES);
        for document in original.split("\n---") {
            let Ok(mut value) = serde_norway::from_str::<serde_json::Value>(document) else { continue };
            for (target, replacement) in &edits {
                let mut target = *target % 200;
                replace_node(&mut value, &mut target, replacement);
            }
            let report = lint_text(&value.to_string(), "edited", &LintContext::default());
            prop_assert!(report.diagnostics.len() <= 1);
            // The validator itself, without the model's type checks in front of it.
            let direct = argo_validate::lint_manifest(&value, 0, &LintContext::default());
            prop_assert!(direct.len() <= 1);
        }
    }
}

#[test]
fn lint_manifest_tolerates_entries_of_the_wrong_shape() {
    let manifest = serde_json::json!({
        "kind": "Workflow",
        "metadata": {"name": "w"},
        "spec": {
            "entrypoint": "main",
            "arguments": {"parameters": ["x", 1, null], "artifacts": [[]]},
            "templates": [
                "not a template",
                {"name": "main", "inputs": {"parameters": ["p", {"name": "q"}], "artifacts": [7]},
                 "steps": [[{"name": "s", "template": "main", "arguments": {"artifacts": ["a"]}}], "x"]},
            ],
        }
    });
    let diagnostics = argo_validate::lint_manifest(&manifest, 0, &LintContext::default());
    assert_eq!(diagnostics.len(), 1);
}
