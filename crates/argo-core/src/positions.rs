//! `Positions`: the source line of every key and list item in a document, found by walking
//! saphyr-parser's marked events with an explicit stack (no recursion, so deep input cannot
//! overflow the stack).
//!
//! Must not: decide what a document means; positions are best effort and an input the scanner
//! cannot read simply has none.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser};

use crate::path::FieldPath;

/// Line numbers (1-based) by field path within one document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Positions {
    lines: HashMap<FieldPath, usize>,
}

impl Positions {
    /// The line of exactly this path (the key's line for object entries).
    pub fn line(&self, path: &FieldPath) -> Option<usize> {
        self.lines.get(path).copied()
    }

    /// The line of this path, or of its closest ancestor that has one.
    pub fn nearest_line(&self, path: &FieldPath) -> Option<usize> {
        let mut current = Some(path.clone());
        while let Some(candidate) = current {
            if let Some(line) = self.line(&candidate) {
                return Some(line);
            }
            current = candidate.parent();
        }
        None
    }

    /// Number of recorded paths.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    fn record(&mut self, path: &FieldPath, line: usize) {
        self.lines.entry(path.clone()).or_insert(line);
    }
}

/// One open collection while walking events.
enum Frame {
    Mapping {
        path: FieldPath,
        /// The key whose value comes next; `None` while a key is expected.
        pending_key: Option<String>,
    },
    Sequence {
        path: FieldPath,
        next_index: usize,
    },
}

/// Positions of each document in a YAML (or JSON) stream, in stream order, including empty
/// documents. Stops at the first syntax error, keeping what was found before it.
pub fn scan(text: &str) -> Vec<Positions> {
    scan_stream(text).documents
}

/// The result of scanning a stream.
#[derive(Debug, Default)]
pub(crate) struct Scan {
    pub(crate) documents: Vec<Positions>,
    /// The scanner's syntax error, with its 1-based line.
    pub(crate) error: Option<(String, usize)>,
}

impl Scan {
    /// True when the scanner gave up because the input nests too deeply; the value parser
    /// would only take long to reach the same verdict.
    pub(crate) fn nests_too_deeply(&self) -> bool {
        self.error
            .as_ref()
            .is_some_and(|(message, _)| message.contains("recursion limit"))
    }
}

pub(crate) fn scan_stream(text: &str) -> Scan {
    std::panic::catch_unwind(|| scan_events(text)).unwrap_or_default()
}

fn scan_events(text: &str) -> Scan {
    let mut scan = Scan::default();
    let documents = &mut scan.documents;
    let mut current = Positions::default();
    let mut stack: Vec<Frame> = Vec::new();
    for next in Parser::new_from_str(text) {
        let (event, span) = match next {
            Ok(event) => event,
            Err(err) => {
                scan.error = Some((err.info().to_owned(), err.marker().line()));
                break;
            }
        };
        let line = span.start.line();
        match event {
            Event::DocumentStart(_) => {
                current = Positions::default();
                stack.clear();
            }
            Event::DocumentEnd => documents.push(std::mem::take(&mut current)),
            Event::Scalar(value, ..) => {
                let path = node_path(&mut stack, Some(value.as_ref()));
                current.record(&path, line);
            }
            Event::Alias(_) => {
                let path = node_path(&mut stack, None);
                current.record(&path, line);
            }
            Event::MappingStart(..) => {
                let path = node_path(&mut stack, None);
                current.record(&path, line);
                stack.push(Frame::Mapping {
                    path,
                    pending_key: None,
                });
            }
            Event::SequenceStart(..) => {
                let path = node_path(&mut stack, None);
                current.record(&path, line);
                stack.push(Frame::Sequence {
                    path,
                    next_index: 0,
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
            }
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
        }
    }
    scan
}

/// The path of the node that starts now. For a mapping key that is the entry's path (so the
/// entry gets the key's line); the key is remembered so that its value pairs up.
fn node_path(stack: &mut [Frame], scalar: Option<&str>) -> FieldPath {
    let Some(frame) = stack.last_mut() else {
        return FieldPath::root();
    };
    match frame {
        Frame::Sequence { path, next_index } => {
            let item = path.clone().index(*next_index);
            *next_index += 1;
            item
        }
        Frame::Mapping { path, pending_key } => match pending_key.take() {
            Some(key) => path.clone().key(key),
            None => {
                // A key: scalars name the entry; complex keys get a placeholder so that the
                // following value still pairs up.
                let key = scalar.unwrap_or("?").to_owned();
                let entry = path.clone().key(key.clone());
                *pending_key = Some(key);
                entry
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(segments: &[&str]) -> FieldPath {
        let mut out = FieldPath::root();
        for segment in segments {
            match segment.parse::<usize>() {
                Ok(index) => out.push_index(index),
                Err(_) => out.push_key(*segment),
            }
        }
        out
    }

    #[test]
    fn keys_and_items_get_their_lines() {
        let text = "a: 1\nb:\n  c: x\n  d:\n    - e: 1\n      f: 2\n    - g\n";
        let docs = scan(text);
        assert_eq!(docs.len(), 1);
        let p = &docs[0];
        assert_eq!(p.line(&path(&["a"])), Some(1));
        assert_eq!(p.line(&path(&["b", "c"])), Some(3));
        assert_eq!(p.line(&path(&["b", "d", "0"])), Some(5));
        assert_eq!(p.line(&path(&["b", "d", "0", "f"])), Some(6));
        assert_eq!(p.line(&path(&["b", "d", "1"])), Some(7));
        assert_eq!(p.nearest_line(&path(&["b", "d", "0", "zzz"])), Some(5));
    }

    #[test]
    fn each_document_has_its_own_positions() {
        let docs = scan("a: 1\n---\nb: 2\n---\n");
        assert_eq!(docs[1].line(&path(&["b"])), Some(3));
        assert_eq!(docs.len(), 3);
    }

    #[test]
    fn syntax_errors_keep_earlier_documents() {
        let docs = scan("a: 1\n---\nb: [\n");
        assert_eq!(docs.len(), 1);
    }
}
