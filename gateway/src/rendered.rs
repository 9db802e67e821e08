//! The REST JSON of recent read answers, keyed by what fully determines it: the method's
//! output type, the `fields` parameter and the protobuf bytes the service answered.
//!
//! A REST GET otherwise decodes the service's answer into a `DynamicMessage`, walks it into
//! Kubernetes-style JSON, filters it and prints it, on every call. The JSON is a pure function
//! of the key, so a hit is exact (the whole key is compared, not only its hash) and needs no
//! invalidation: a changed object answers different bytes. Only reads go through here.
//!
//! Must not: grow past [`MAX_RENDERED_ENTRIES`] or [`RENDERED_BUDGET_BYTES`] (the least
//! recently used entries go first), or keep answers larger than [`MAX_RENDERED_BYTES`].

use std::hash::{BuildHasher as _, Hash as _, Hasher as _};
use std::sync::{Mutex, MutexGuard, PoisonError};

use argo_cache::{BoundedLru, Weighed};
use bytes::Bytes;
use futures::future::BoxFuture;
use prost_reflect::{DynamicMessage, MethodDescriptor};
use tonic::Status;

use crate::backend::GrpcBackend;
use crate::codec::RawReplyCodec;
use crate::fields::FieldFilter;
use crate::transcode::{grpc_path, ready_client};

/// Entries kept at most.
pub const MAX_RENDERED_ENTRIES: usize = 512;
/// Answers (protobuf plus JSON) larger than this are rendered every time.
pub const MAX_RENDERED_BYTES: usize = 4 * 1024 * 1024;
/// All entries together stay under this many bytes.
pub const RENDERED_BUDGET_BYTES: usize = 16 * 1024 * 1024;

#[derive(Debug)]
struct Entry {
    output: String,
    fields: String,
    proto: Bytes,
    json: Bytes,
}

impl Weighed for Entry {
    fn weight(&self) -> usize {
        self.output.len() + self.fields.len() + self.proto.len() + self.json.len()
    }
}

/// The cache; one per gateway. The least recently used entries go first when the entry or
/// byte budget is reached.
#[derive(Debug)]
pub struct RenderedAnswers {
    /// A fast seeded hash: the key holds whole answers, and a hit compares the key anyway.
    hasher: foldhash::fast::RandomState,
    entries: Mutex<BoundedLru<Entry>>,
}

impl Default for RenderedAnswers {
    fn default() -> Self {
        Self {
            hasher: Default::default(),
            entries: Mutex::new(BoundedLru::new(MAX_RENDERED_ENTRIES, RENDERED_BUDGET_BYTES)),
        }
    }
}

impl RenderedAnswers {
    fn hash(&self, output: &str, fields: &str, proto: &[u8]) -> u64 {
        let mut hasher = self.hasher.build_hasher();
        output.hash(&mut hasher);
        fields.hash(&mut hasher);
        proto.hash(&mut hasher);
        hasher.finish()
    }

    fn lock(&self) -> MutexGuard<'_, BoundedLru<Entry>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The JSON rendered before for exactly this output type, `fields` and answer.
    pub fn get(&self, output: &str, fields: &str, proto: &Bytes) -> Option<Bytes> {
        let hash = self.hash(output, fields, proto);
        let mut entries = self.lock();
        let entry = entries.get(hash)?;
        (entry.output == output && entry.fields == fields && entry.proto == *proto)
            .then(|| entry.json.clone())
    }

    /// Remembers a rendering, first dropping the least recently used entries it would not
    /// fit beside; too large answers are not kept.
    pub fn put(&self, output: &str, fields: &str, proto: Bytes, json: Bytes) {
        if proto.len() + json.len() > MAX_RENDERED_BYTES {
            return;
        }
        let hash = self.hash(output, fields, &proto);
        let entry = Entry {
            output: output.to_owned(),
            fields: fields.to_owned(),
            proto,
            json,
        };
        self.lock().insert(hash, entry);
    }

    /// How many answers are kept (for tests and metrics).
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bytes the kept answers take (for tests and metrics).
    pub fn bytes(&self) -> usize {
        self.lock().bytes()
    }
}

/// Calls a unary method and answers the reply's protobuf bytes undecoded (boxed for the same
/// reason as `transcode::call_unary`).
///
/// # Errors
/// The status the service answered, or `Unavailable` when the backend is not reachable.
pub fn call_unary_raw(
    backend: GrpcBackend,
    method: &MethodDescriptor,
    request: tonic::Request<DynamicMessage>,
) -> BoxFuture<'static, Result<Bytes, Status>> {
    let path = grpc_path(method);
    Box::pin(async move {
        let path = path?;
        let mut client = ready_client(backend).await?;
        let response = client.unary(request, path, RawReplyCodec).await?;
        Ok(response.into_inner())
    })
}

/// The REST JSON of a read's reply: rendered before for these exact bytes, or now.
///
/// # Errors
/// `Internal` when the bytes do not decode as the method's output type.
pub fn read_json(
    cache: &RenderedAnswers,
    method: &MethodDescriptor,
    proto: Bytes,
    filter: Option<&FieldFilter>,
    fields: &str,
) -> Result<Bytes, Status> {
    let output = method.output();
    if let Some(json) = cache.get(output.full_name(), fields, &proto) {
        return Ok(json);
    }
    let reply = DynamicMessage::decode(output.clone(), proto.clone())
        .map_err(|error| Status::internal(format!("decoding the response: {error}")))?;
    let json = render(&reply, filter);
    cache.put(output.full_name(), fields, proto, json.clone());
    Ok(json)
}

/// A reply as REST JSON with the `fields` filter applied.
pub fn render(reply: &DynamicMessage, filter: Option<&FieldFilter>) -> Bytes {
    let mut json = argo_proto::message_to_json(reply);
    if let Some(filter) = filter {
        json = filter.apply(json);
    }
    Bytes::from(json.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hit_needs_the_same_type_fields_and_bytes() {
        let cache = RenderedAnswers::default();
        let proto = Bytes::from_static(b"\x0a\x01a");
        cache.put("wf.Workflow", "", proto.clone(), Bytes::from_static(b"{}"));
        assert_eq!(
            cache.get("wf.Workflow", "", &proto),
            Some(Bytes::from_static(b"{}"))
        );
        assert_eq!(cache.get("wf.Workflow", "metadata", &proto), None);
        assert_eq!(cache.get("wf.Other", "", &proto), None);
        assert_eq!(
            cache.get("wf.Workflow", "", &Bytes::from_static(b"\x0a\x01b")),
            None
        );
    }

    #[test]
    fn entries_stay_within_their_count() {
        let cache = RenderedAnswers::default();
        for index in 0..(MAX_RENDERED_ENTRIES + 10) {
            let proto = Bytes::from(index.to_string());
            cache.put("t", "", proto, Bytes::from_static(b"{}"));
        }
        assert_eq!(cache.len(), MAX_RENDERED_ENTRIES);
    }

    #[test]
    fn the_least_recently_used_entry_goes_first() {
        let cache = RenderedAnswers::default();
        let proto = |index: usize| Bytes::from(format!("proto-{index}"));
        for index in 0..MAX_RENDERED_ENTRIES {
            cache.put("t", "", proto(index), Bytes::from_static(b"{}"));
        }
        assert!(cache.get("t", "", &proto(0)).is_some());
        cache.put(
            "t",
            "",
            proto(MAX_RENDERED_ENTRIES),
            Bytes::from_static(b"{}"),
        );
        assert!(
            cache.get("t", "", &proto(0)).is_some(),
            "recently read, kept"
        );
        assert_eq!(
            cache.get("t", "", &proto(1)),
            None,
            "least recently used, dropped"
        );
    }

    #[test]
    fn entries_stay_within_the_byte_budget() {
        let cache = RenderedAnswers::default();
        let json = Bytes::from(vec![b' '; 1024 * 1024]);
        for index in 0..(RENDERED_BUDGET_BYTES / json.len() + 4) {
            cache.put("t", "", Bytes::from(index.to_string()), json.clone());
            assert!(cache.bytes() <= RENDERED_BUDGET_BYTES);
        }
        assert!(cache.len() < RENDERED_BUDGET_BYTES / json.len());
        let last = (RENDERED_BUDGET_BYTES / json.len() + 3).to_string();
        assert_eq!(cache.get("t", "", &Bytes::from(last)), Some(json));
    }

    #[test]
    fn oversized_answers_are_not_kept() {
        let cache = RenderedAnswers::default();
        let big = Bytes::from(vec![0_u8; MAX_RENDERED_BYTES + 1]);
        cache.put("t", "", big.clone(), Bytes::new());
        assert!(cache.is_empty());
        assert_eq!(cache.get("t", "", &big), None);
    }
}
