//! Parsing of document streams: multi-document YAML or one JSON document into `Document`s, each
//! typed when it is an Argo kind, with unknown fields and type errors reported by field path and
//! line.
//!
//! Pipeline per document: text -> `serde_json::Value` (serde_norway, or serde_json for JSON) ->
//! nulls dropped (Go treats them as absent) -> numbers and booleans in string fields turned into
//! strings (`coercion`, as Argo's YAML reader does) -> typed with `serde_path_to_error` ->
//! serialised back and compared key by key (`unknown_fields`). Lines come from `positions`.
//!
//! Must not: panic on any input, or validate semantics (that is lint's job).

use std::fmt;

use serde::Deserialize;
use serde_json::Value;

use crate::coercion::coerce_scalars;
use crate::error::{Error, Result};
use crate::kinds::API_VERSION;
use crate::path::FieldPath;
use crate::positions::{self, Positions};
use crate::resource::{ARGO_KINDS, ArgoKind, Resource};
use crate::unknown_fields::{strip_nulls, unknown_fields};

/// One parsed document of a stream.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// 0-based position in the stream, counting empty documents.
    pub index: usize,
    /// 1-based line where the document's content starts (1 when unknown).
    pub line: usize,
    pub resource: Resource,
    /// The document as parsed, before any normalisation.
    pub raw: Value,
    pub positions: Positions,
}

/// Why one document could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct DocumentError {
    /// 0-based position in the stream.
    pub index: usize,
    pub path: FieldPath,
    /// 1-based line, when known.
    pub line: Option<usize>,
    pub message: String,
}

/// `document 2, spec.templates[0].contaner (line 14): unknown field` (documents count from 1).
impl fmt::Display for DocumentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "document {}", self.index + 1)?;
        if !self.path.is_root() {
            write!(f, ", {}", self.path)?;
        }
        if let Some(line) = self.line {
            write!(f, " (line {line})")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Parses a multi-document YAML stream or a JSON document. Empty documents are skipped; every
/// other document yields a `Document` or a `DocumentError`. A YAML syntax error ends the stream.
pub fn parse_documents(text: &str) -> Vec<Result<Document, DocumentError>> {
    let scan = positions::scan_stream(text);
    if scan.nests_too_deeply() {
        let (message, line) = scan.error.unwrap_or_default();
        return vec![Err(DocumentError {
            index: scan.documents.len(),
            path: FieldPath::root(),
            line: Some(line),
            message: format!("invalid YAML: {message}"),
        })];
    }
    let positions = scan.documents;
    let values = if looks_like_json(text) {
        vec![parse_json(text)]
    } else {
        parse_yaml_stream(text)
    };
    values
        .into_iter()
        .enumerate()
        .filter_map(|(index, value)| {
            let document_positions = positions.get(index).cloned().unwrap_or_default();
            match value {
                Ok(Value::Null) => None,
                Ok(raw) => Some(type_document(index, raw, document_positions)),
                Err((message, line)) => Some(Err(DocumentError {
                    index,
                    path: FieldPath::root(),
                    line,
                    message,
                })),
            }
        })
        .collect()
}

/// Parses text holding exactly one (non-empty) document.
pub fn parse_resource(text: &str) -> Result<Document> {
    let mut documents = parse_documents(text);
    if documents.len() != 1 {
        return Err(Error::NotOneDocument {
            found: documents.len(),
        });
    }
    let Some(document) = documents.pop() else {
        return Err(Error::NotOneDocument { found: 0 });
    };
    Ok(document?)
}

/// Parses text holding exactly one document of kind `K`.
pub fn parse_one<K: ArgoKind>(text: &str) -> Result<K> {
    let document = parse_resource(text)?;
    K::from_resource(document.resource).map_err(|other| Error::UnexpectedKind {
        expected: <K as k8s_openapi::Resource>::KIND,
        found: other.kind().to_owned(),
    })
}

fn looks_like_json(text: &str) -> bool {
    text.trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{')
}

type RawDocument = Result<Value, (String, Option<usize>)>;

fn parse_json(text: &str) -> RawDocument {
    serde_json::from_str(text.trim_start_matches('\u{feff}'))
        .map_err(|err| (format!("invalid JSON: {err}"), Some(err.line())))
}

fn parse_yaml_stream(text: &str) -> Vec<RawDocument> {
    let mut documents = Vec::new();
    for document in serde_norway::Deserializer::from_str(text) {
        match Value::deserialize(document) {
            Ok(mut value) => {
                apply_merge_keys(&mut value);
                documents.push(Ok(value));
            }
            Err(err) => {
                let line = err.location().map(|location| location.line());
                documents.push(Err((format!("invalid YAML: {err}"), line)));
                break;
            }
        }
    }
    documents
}

/// Applies YAML `<<` merge keys as Go's YAML reader does: keys written in the mapping win, then
/// the merged mappings in order. (Merging on the JSON value, rather than with serde_norway's
/// own merge, keeps Go's tolerance of duplicate keys: the last one wins.)
fn apply_merge_keys(value: &mut Value) {
    let mut pending = vec![value];
    while let Some(current) = pending.pop() {
        match current {
            Value::Object(map) => {
                let merged = match map.get("<<") {
                    Some(Value::Object(single)) => Some(vec![single.clone()]),
                    Some(Value::Array(items)) if items.iter().all(Value::is_object) => Some(
                        items
                            .iter()
                            .filter_map(|item| item.as_object().cloned())
                            .collect(),
                    ),
                    _ => None,
                };
                if let Some(sources) = merged {
                    map.remove("<<");
                    for source in sources {
                        for (key, entry) in source {
                            map.entry(key).or_insert(entry);
                        }
                    }
                }
                pending.extend(map.values_mut());
            }
            Value::Array(items) => pending.extend(items.iter_mut()),
            _ => {}
        }
    }
}

fn error_at(
    index: usize,
    positions: &Positions,
    path: FieldPath,
    message: String,
) -> DocumentError {
    DocumentError {
        index,
        line: positions.nearest_line(&path),
        path,
        message,
    }
}

fn type_document(
    index: usize,
    raw: Value,
    positions: Positions,
) -> Result<Document, DocumentError> {
    let line = positions.line(&FieldPath::root()).unwrap_or(1);
    let Some(object) = raw.as_object() else {
        let message = "a document must be a mapping".to_owned();
        return Err(error_at(index, &positions, FieldPath::root(), message));
    };
    let kind = object
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let api_version = object
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if kind.is_empty() {
        let message = "missing `kind`".to_owned();
        return Err(error_at(
            index,
            &positions,
            FieldPath::root().key("kind"),
            message,
        ));
    }
    let is_argo_kind = ARGO_KINDS.contains(&kind);
    let claims_argo_group = api_version.starts_with("argoproj.io/") || api_version.is_empty();
    if !is_argo_kind || !claims_argo_group {
        let resource = Resource::Other {
            api_version: api_version.to_owned(),
            kind: kind.to_owned(),
            value: raw.clone(),
        };
        return Ok(Document {
            index,
            line,
            resource,
            raw,
            positions,
        });
    }
    if api_version != API_VERSION {
        let message = if api_version.is_empty() {
            format!("missing `apiVersion` (expected {API_VERSION})")
        } else {
            format!("unsupported apiVersion {api_version:?} for {kind} (expected {API_VERSION})")
        };
        let path = FieldPath::root().key("apiVersion");
        return Err(error_at(index, &positions, path, message));
    }
    let resource = type_argo_resource(index, kind, &raw, &positions)?;
    Ok(Document {
        index,
        line,
        resource,
        raw,
        positions,
    })
}

fn type_argo_resource(
    index: usize,
    kind: &str,
    raw: &Value,
    positions: &Positions,
) -> Result<Resource, DocumentError> {
    let mut input = raw.clone();
    strip_nulls(&mut input);
    coerce_scalars(kind, &mut input);
    let typed = match Resource::typed_from_value(kind, &input) {
        Some(Ok(resource)) => resource,
        Some(Err(err)) => {
            let path = FieldPath::from(err.path());
            let message = err.into_inner().to_string();
            return Err(error_at(index, positions, path, message));
        }
        None => {
            let message = format!("{kind} is not an Argo kind");
            return Err(error_at(index, positions, FieldPath::root(), message));
        }
    };
    let round_tripped = typed.to_value().map_err(|err| {
        let message = format!("cannot serialise the typed resource: {err}");
        error_at(index, positions, FieldPath::root(), message)
    })?;
    let unknown = unknown_fields(&input, &round_tripped);
    let first_in_source = unknown
        .iter()
        .min_by_key(|path| positions.nearest_line(path).unwrap_or(usize::MAX));
    if let Some(first) = first_in_source {
        let message = match unknown.len() {
            1 => "unknown field".to_owned(),
            n => format!(
                "unknown field ({} more unknown fields in this document)",
                n - 1
            ),
        };
        return Err(error_at(index, positions, first.clone(), message));
    }
    Ok(typed)
}
