//! Splitting lint input into manifests: multi-document YAML split on `---` lines the way Argo
//! splits it, or a single JSON document. Each manifest keeps its index and first line.
//!
//! Must not: validate; a document that does not parse is returned as an error for the caller
//! to report.

use serde_json::Value;

/// One parsed manifest of a lint input.
#[derive(Debug, Clone)]
pub struct Manifest {
    /// Position among the input's non-empty documents, from 0.
    pub index: usize,
    /// 1-based line where the document starts.
    pub line: usize,
    /// The manifest as JSON.
    pub raw: Value,
}

/// A document that could not be read.
#[derive(Debug, Clone)]
pub struct Unreadable {
    /// Position among the input's non-empty documents, from 0.
    pub index: usize,
    /// 1-based line where the document starts.
    pub line: usize,
    /// The `kind` field if it could be seen.
    pub kind: Option<String>,
    /// Why it could not be read.
    pub reason: String,
}

/// The manifests of a lint input, in order.
pub fn manifests(text: &str) -> Vec<Result<Manifest, Unreadable>> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        let line = 1 + text.len().saturating_sub(trimmed.len()).min(text.len());
        let line = text[..line.saturating_sub(1)].matches('\n').count() + 1;
        return vec![
            serde_json::from_str::<Value>(text)
                .map(|raw| Manifest {
                    index: 0,
                    line,
                    raw,
                })
                .map_err(|err| Unreadable {
                    index: 0,
                    line,
                    kind: None,
                    reason: err.to_string(),
                }),
        ];
    }
    let mut out = Vec::new();
    for (line, chunk) in yaml_chunks(text) {
        if chunk.trim().is_empty() || is_only_comments(chunk) {
            continue;
        }
        let index = out.len();
        let parsed = serde_norway::from_str::<Value>(chunk);
        out.push(match parsed {
            Ok(raw) => Ok(Manifest { index, line, raw }),
            Err(err) => Err(Unreadable {
                index,
                line,
                kind: sniff_kind(chunk),
                reason: err.to_string(),
            }),
        });
    }
    out
}

/// Splits YAML text at lines starting with `---`, returning each chunk with its first line.
fn yaml_chunks(text: &str) -> Vec<(usize, &str)> {
    let mut chunks = Vec::new();
    let mut start = 0;
    let mut start_line = 1;
    let mut offset = 0;
    for (number, line) in text.split_inclusive('\n').enumerate() {
        if line.starts_with("---") && number > 0 {
            chunks.push((start_line, &text[start..offset]));
            start = offset;
            start_line = number + 1;
        }
        offset += line.len();
    }
    chunks.push((start_line, &text[start..]));
    chunks
}

fn is_only_comments(chunk: &str) -> bool {
    chunk
        .lines()
        .map(str::trim)
        .all(|line| line.is_empty() || line.starts_with('#') || line.starts_with("---"))
}

fn sniff_kind(chunk: &str) -> Option<String> {
    chunk.lines().find_map(|line| {
        line.strip_prefix("kind:")
            .map(|kind| kind.trim().trim_matches('"').to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_split_on_separator_lines_with_their_lines() {
        let text = "kind: A\n---\nkind: B\n---\n# only a comment\n";
        let docs = manifests(text);
        assert_eq!(docs.len(), 2);
        let second = docs[1].as_ref().expect("parses");
        assert_eq!(second.line, 2);
        assert_eq!(second.raw["kind"], "B");
    }

    #[test]
    fn broken_yaml_is_reported_not_panicked() {
        let docs = manifests("kind: Workflow\nspec: [unclosed\n");
        assert!(docs[0].is_err());
    }
}
