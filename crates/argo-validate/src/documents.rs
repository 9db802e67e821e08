//! The raw JSON of each document of a lint input, index-aligned with
//! `argo_core::parse_documents`, so that documents the model rejects (unknown fields, wrong
//! types) can still be named in reports and, when lint is not strict, still be linted.
//!
//! Must not: type or validate documents; `argo_core` and the validator do that.

use serde::Deserialize;
use serde_json::Value;

/// Each document's JSON by stream position; `None` past a YAML syntax error.
pub fn raw_documents(text: &str) -> Vec<Option<Value>> {
    let text = text.trim_start_matches('\u{feff}');
    if text.trim_start().starts_with('{') {
        return vec![serde_json::from_str(text).ok()];
    }
    let mut out = Vec::new();
    for document in serde_norway::Deserializer::from_str(text) {
        match Value::deserialize(document) {
            Ok(value) => out.push(Some(value)),
            Err(_) => break,
        }
    }
    out
}

/// The `kind:` of the `index`-th YAML document, found by scanning lines (for documents that
/// do not parse at all).
pub fn sniff_kind(text: &str, index: usize) -> Option<String> {
    let mut current = 0;
    for line in text.lines() {
        if line.starts_with("---") {
            current += 1;
            continue;
        }
        if current == index
            && let Some(kind) = line.strip_prefix("kind:")
        {
            return Some(kind.trim().trim_matches('"').trim_matches('\'').to_owned());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_listed_by_stream_position() {
        let docs = raw_documents("kind: A\n---\nkind: B\n");
        assert_eq!(docs.len(), 2);
        assert_eq!(
            docs[1].as_ref().map(|d| d["kind"].clone()),
            Some(Value::from("B"))
        );
    }

    #[test]
    fn kinds_are_sniffed_from_broken_documents() {
        assert_eq!(
            sniff_kind("kind: A\n---\nkind: Workflow\nspec: [\n", 1).as_deref(),
            Some("Workflow")
        );
    }
}
