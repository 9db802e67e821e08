//! How an object's JSON is kept in the `object` column of its row and of its events: as text
//! when it is small, LZ4-compressed behind a marker when it is large. A workflow of thousands
//! of nodes is megabytes of JSON written twice per change (its row and its event), and it
//! shrinks several times over; small objects stay readable text, as before, and rows written
//! before compression existed read unchanged.
//!
//! Must not: touch the database (the tables module reads and writes the column), or look
//! inside the JSON beyond encoding and decoding whole objects.

use rusqlite::ToSql;
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSqlOutput, ValueRef};

use crate::{Error, Object, Result};

/// JSON at least this long is stored compressed.
const COMPRESS_FROM: usize = 16 * 1024;

/// What a compressed body starts with (a byte no JSON text starts with, then a name and a
/// format version), followed by the JSON's length and the LZ4 block.
const MARKER: &[u8; 4] = b"\x00lz1";

/// The largest JSON a compressed body may claim to hold: a damaged length must not become a
/// huge allocation.
const LARGEST: usize = 1 << 30;

/// An object's JSON as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    Text(String),
    Compressed(Vec<u8>),
}

impl Body {
    /// The stored form of `object`.
    pub fn encode(object: &Object) -> Result<Self> {
        serde_json::to_string(object)
            .map(Self::of)
            .map_err(Error::Serialization)
    }

    /// The stored form of `json`: compressed when it is large.
    fn of(json: String) -> Self {
        if json.len() < COMPRESS_FROM {
            return Self::Text(json);
        }
        let packed = lz4_flex::block::compress_prepend_size(json.as_bytes());
        let mut bytes = Vec::with_capacity(MARKER.len() + packed.len());
        bytes.extend_from_slice(MARKER);
        bytes.extend_from_slice(&packed);
        Self::Compressed(bytes)
    }

    /// The object this body holds.
    pub fn decode(&self) -> Result<Object> {
        match self {
            Self::Text(json) => serde_json::from_str(json).map_err(Error::Serialization),
            Self::Compressed(bytes) => {
                let json = unpack(bytes)?;
                serde_json::from_slice(&json).map_err(Error::Serialization)
            }
        }
    }
}

fn unpack(bytes: &[u8]) -> Result<Vec<u8>> {
    let damaged = |message: String| {
        Error::backend("decoding a stored object", std::io::Error::other(message))
    };
    let packed = bytes
        .strip_prefix(MARKER.as_slice())
        .ok_or_else(|| damaged("a binary object without the compression marker".to_owned()))?;
    let (length, _) = lz4_flex::block::uncompressed_size(packed)
        .map_err(|error| damaged(format!("a compressed object without its length: {error}")))?;
    if length > LARGEST {
        return Err(damaged(format!(
            "a compressed object claims {length} bytes, more than {LARGEST}"
        )));
    }
    lz4_flex::block::decompress_size_prepended(packed)
        .map_err(|error| damaged(format!("a damaged compressed object: {error}")))
}

impl ToSql for Body {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Self::Text(json) => ToSqlOutput::Borrowed(ValueRef::Text(json.as_bytes())),
            Self::Compressed(bytes) => ToSqlOutput::Borrowed(ValueRef::Blob(bytes)),
        })
    }
}

impl FromSql for Body {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        match value {
            ValueRef::Text(_) => String::column_result(value).map(Self::Text),
            ValueRef::Blob(bytes) => Ok(Self::Compressed(bytes.to_vec())),
            _ => Err(FromSqlError::InvalidType),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ResourceKind, Scope};
    use serde_json::json;

    fn object_with(nodes: usize) -> Object {
        let kind = ResourceKind::new("argoproj.io/v1alpha1", "Workflow", Scope::Namespaced);
        let nodes: serde_json::Map<_, _> = (0..nodes)
            .map(|i| {
                (
                    format!("node-{i}"),
                    json!({"phase": "Succeeded", "name": format!("t{i}")}),
                )
            })
            .collect();
        Object::new(&kind, Some("argo"), "wf").with_field("status", json!({"nodes": nodes}))
    }

    fn encoded(object: &Object) -> String {
        serde_json::to_string(object).expect("encodes")
    }

    #[test]
    fn small_objects_stay_text_and_large_ones_are_compressed() {
        let small = object_with(2);
        let body = Body::of(encoded(&small));
        assert!(matches!(body, Body::Text(_)));
        assert_eq!(body.decode().expect("decodes"), small);

        let large = object_with(2_000);
        let json = encoded(&large);
        let body = Body::of(json.clone());
        let Body::Compressed(bytes) = &body else {
            panic!("a large object is compressed");
        };
        assert!(
            bytes.len() * 4 < json.len(),
            "compression pays: {} of {}",
            bytes.len(),
            json.len()
        );
        assert_eq!(body.decode().expect("decodes"), large);
    }

    #[test]
    fn damaged_compressed_bodies_are_errors_not_panics() {
        let Body::Compressed(bytes) = Body::of(encoded(&object_with(2_000))) else {
            panic!("compressed");
        };
        let cases = [
            b"{\"not\": \"marked\"}".to_vec(),
            MARKER.to_vec(),
            [MARKER.as_slice(), &[0xff, 0xff, 0xff, 0x7f], &bytes[8..]].concat(),
            bytes[..bytes.len() / 2].to_vec(),
        ];
        for case in cases {
            let error = Body::Compressed(case).decode().expect_err("damaged");
            assert!(
                matches!(
                    error,
                    Error::Backend {
                        operation: "decoding a stored object",
                        ..
                    }
                ),
                "{error}"
            );
        }
    }
}
