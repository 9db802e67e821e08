//! Read answers as protobuf bytes: [`EncodedAnswer`] (one message, or a `WorkflowList` whose
//! items are already encoded) and [`AnswerCache`], which keeps the encoded answer of each
//! recently read stored version so a GetWorkflow of an unchanged workflow is neither converted
//! nor encoded again, and a ListWorkflows joins its items' cached bytes.
//!
//! A repeated message field is, on the wire, each item's bytes behind its key and length, so
//! a list written from cached items is byte-for-byte what prost writes for the decoded list
//! (tested). A store revision names one content of one object (every write takes a new one),
//! so an entry keyed by (namespace, name, uid, resourceVersion, fields) never goes stale and
//! needs no invalidation: a new revision is a new key, and the old one ages out.
//!
//! Must not: grow past [`ANSWER_CACHE_ENTRIES`] entries or [`ANSWER_CACHE_BYTES`] bytes, keep
//! an answer larger than [`MAX_CACHED_ANSWER_BYTES`], or cache an object without a
//! resourceVersion (dry runs) or an archived one (the caller decides which go through here).

use std::hash::BuildHasher as _;
use std::sync::{Mutex, MutexGuard, PoisonError};

use argo_cache::{BoundedLru, Weighed};
use argo_proto::{k8s_meta, wf};
use argo_store::Object;
use bytes::{BufMut, Bytes};
use prost::Message as _;
use prost::encoding::{WireType, encode_key, encode_varint, encoded_len_varint, key_len};

use crate::Result;
use crate::conversion::convert_answer;

/// Entries kept at most (a page of 500 workflows still fits).
pub const ANSWER_CACHE_ENTRIES: usize = 1024;
/// All entries together stay under this many bytes of encoded answers.
pub const ANSWER_CACHE_BYTES: usize = 16 * 1024 * 1024;
/// Answers larger than this are encoded on every read instead of being kept.
pub const MAX_CACHED_ANSWER_BYTES: usize = 4 * 1024 * 1024;

/// `WorkflowList.metadata` and `WorkflowList.items`, as numbered in the schema.
const LIST_METADATA_FIELD: u32 = 1;
const LIST_ITEMS_FIELD: u32 = 2;

/// A read's answer, already encoded.
#[derive(Debug, Clone, PartialEq)]
pub enum EncodedAnswer {
    /// A whole message.
    Message(Bytes),
    /// A `WorkflowList`: its metadata and its items' encodings, framed when written.
    List {
        metadata: k8s_meta::ListMeta,
        items: Vec<Bytes>,
    },
}

impl EncodedAnswer {
    /// A message encoded now.
    pub fn of(message: &impl prost::Message) -> Self {
        Self::Message(Bytes::from(message.encode_to_vec()))
    }

    /// The length of the encoding.
    pub fn encoded_len(&self) -> usize {
        match self {
            Self::Message(bytes) => bytes.len(),
            Self::List { metadata, items } => {
                let metadata_len = metadata.encoded_len();
                let framed_metadata =
                    key_len(LIST_METADATA_FIELD) + encoded_len_varint(metadata_len as u64);
                items
                    .iter()
                    .fold(framed_metadata + metadata_len, |sum, item| {
                        sum + key_len(LIST_ITEMS_FIELD)
                            + encoded_len_varint(item.len() as u64)
                            + item.len()
                    })
            }
        }
    }

    /// Writes the encoding (as prost writes the decoded message: fields in number order).
    pub fn write_to(&self, buf: &mut impl BufMut) {
        match self {
            Self::Message(bytes) => buf.put_slice(bytes),
            Self::List { metadata, items } => {
                prost::encoding::message::encode(LIST_METADATA_FIELD, metadata, buf);
                for item in items {
                    encode_key(LIST_ITEMS_FIELD, WireType::LengthDelimited, buf);
                    encode_varint(item.len() as u64, buf);
                    buf.put_slice(item);
                }
            }
        }
    }

    /// The encoding as one buffer.
    pub fn to_bytes(&self) -> Bytes {
        match self {
            Self::Message(bytes) => bytes.clone(),
            Self::List { .. } => {
                let mut buf = Vec::with_capacity(self.encoded_len());
                self.write_to(&mut buf);
                Bytes::from(buf)
            }
        }
    }

    /// The answer decoded as message `M`, for callers that want the value.
    ///
    /// # Errors
    /// `Internal` when the bytes are not an `M` (they were encoded from one).
    pub fn decode<M: prost::Message + Default>(&self) -> Result<M> {
        M::decode(self.to_bytes())
            .map_err(|error| crate::Error::internal(format!("decoding an encoded answer: {error}")))
    }
}

/// A workflow's answer encoded now, with the `fields` filter applied.
pub fn encode_answer(object: &Object, fields: &str) -> Result<Bytes> {
    let answer: wf::Workflow = convert_answer(object, fields)?;
    Ok(Bytes::from(answer.encode_to_vec()))
}

/// What one cached answer was encoded from: a stored version and the `fields` filter.
#[derive(Debug)]
struct AnswerSource {
    namespace: String,
    name: String,
    uid: String,
    resource_version: String,
    fields: String,
}

impl AnswerSource {
    fn is(&self, key: &[&str; 5]) -> bool {
        [
            &self.namespace,
            &self.name,
            &self.uid,
            &self.resource_version,
            &self.fields,
        ]
        .iter()
        .zip(key)
        .all(|(owned, borrowed)| owned.as_str() == *borrowed)
    }

    fn size(&self) -> usize {
        self.namespace.len()
            + self.name.len()
            + self.uid.len()
            + self.resource_version.len()
            + self.fields.len()
    }
}

#[derive(Debug)]
struct Entry {
    source: AnswerSource,
    encoded: Bytes,
}

impl Weighed for Entry {
    fn weight(&self) -> usize {
        self.source.size() + self.encoded.len()
    }
}

/// Recent workflow answers, encoded, by the stored version they were encoded from; the least
/// recently used go first when the entry or byte budget is reached.
#[derive(Debug)]
pub struct AnswerCache {
    hasher: std::collections::hash_map::RandomState,
    entries: Mutex<BoundedLru<Entry>>,
}

impl Default for AnswerCache {
    fn default() -> Self {
        Self {
            hasher: Default::default(),
            entries: Mutex::new(BoundedLru::new(ANSWER_CACHE_ENTRIES, ANSWER_CACHE_BYTES)),
        }
    }
}

impl AnswerCache {
    /// The encoded answer for a stored workflow, converted and encoded once per version and
    /// `fields`.
    pub fn answer(&self, object: &Object, fields: &str) -> Result<Bytes> {
        let version = object.metadata.resource_version.as_deref().unwrap_or("");
        if version.is_empty() {
            return encode_answer(object, fields);
        }
        let key = [
            object.namespace().unwrap_or(""),
            object.name(),
            object.metadata.uid.as_deref().unwrap_or(""),
            version,
            fields,
        ];
        let hash = self.hasher.hash_one(key);
        if let Some(entry) = self.lock().get(hash)
            && entry.source.is(&key)
        {
            return Ok(entry.encoded.clone());
        }
        let encoded = encode_answer(object, fields)?;
        if encoded.len() <= MAX_CACHED_ANSWER_BYTES {
            let source = AnswerSource {
                namespace: key[0].to_owned(),
                name: key[1].to_owned(),
                uid: key[2].to_owned(),
                resource_version: key[3].to_owned(),
                fields: key[4].to_owned(),
            };
            self.lock().insert(
                hash,
                Entry {
                    source,
                    encoded: encoded.clone(),
                },
            );
        }
        Ok(encoded)
    }

    fn lock(&self) -> MutexGuard<'_, BoundedLru<Entry>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// How many answers are kept.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether nothing is kept.
    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bytes the kept answers take.
    #[cfg(test)]
    pub fn bytes(&self) -> usize {
        self.lock().bytes()
    }
}

#[cfg(test)]
#[path = "answers_tests.rs"]
mod tests;
