//! Kubernetes-style JSON <-> protobuf, driven by the descriptor set.
//!
//! Argo's REST API does not speak the protobuf JSON mapping: its gateway decodes each gRPC
//! response into the Go structs and writes them with Go's `encoding/json`. This module
//! reproduces that JSON from a [`DynamicMessage`](prost_reflect::DynamicMessage) and reads it back:
//!
//! - keys are the proto field names (which are the Go json tags), or the field's explicit
//!   `json_name` where the Go tag differs;
//! - 64-bit integers are JSON numbers, bytes are base64, enums are numbers;
//! - a field is left out when Go's `omitempty` would leave it out, and written as `null`,
//!   `{}` or a zero where Go would write those; the schema records which is which in the
//!   `(argors.json.field)` option (see `protos/argors/json.proto`);
//! - embedded `json:",inline"` structs are flattened into their parent object;
//! - the Kubernetes and Argo types with their own JSON form (`Time`, `MicroTime`,
//!   `IntOrString`, `Quantity`, `FieldsV1`, `Amount`, `Item`, `Object`, `Plugin`,
//!   `ParallelSteps`, Argo Events' `Int64OrString` and `K8SResource`) go through
//!   the `special` module's hooks.
//!
//! Reading rejects a key no field claims ([`crate::Error::UnknownField`], naming the key and its
//! path) unless the caller asks for Go's default of dropping it ([`UnknownFields::Ignore`]):
//! what clients send is checked, what this project converts from its own domain model is not.
//! Nothing here panics on any input; malformed JSON for a field is an [`crate::Error::Json`]
//! naming the path.

mod field_rule;
mod special;
mod to_json;
mod to_message;
mod unknown_fields;

pub use to_json::message_to_json;
pub use unknown_fields::UnknownFields;

/// A base64 text as bytes (standard alphabet, as Go writes `[]byte`).
pub(crate) fn bytes_from_text(text: &str) -> Option<Vec<u8>> {
    special::bytes_from_json(text)
}
pub use to_message::{json_to_message, json_to_message_with};

use prost::{Message, Name};
use serde_json::Value as Json;

use crate::{Error, Result, descriptor_pool};

/// The REST JSON of a generated message (e.g. a `wf::Workflow` a service built).
///
/// # Errors
/// When the message type is not in this crate's schema or its bytes do not decode, which
/// only happens for messages generated from a different schema.
pub fn prost_to_json<M: Message + Name>(message: &M) -> Result<Json> {
    let descriptor = descriptor_for::<M>()?;
    let dynamic =
        prost_reflect::DynamicMessage::decode(descriptor, message.encode_to_vec().as_slice())
            .map_err(|error| Error::Json {
                path: "$".to_owned(),
                reason: error.to_string(),
            })?;
    Ok(message_to_json(&dynamic))
}

/// A generated message read from REST JSON (e.g. a `wf::Workflow` from an argo-core value
/// serialised with serde). Keys the schema lacks are dropped, as Go's decoder drops them: the
/// JSON comes from this project's own model, not from a client.
///
/// # Errors
/// [`Error::Json`] when the JSON does not fit the message, as for [`json_to_message`].
pub fn json_to_prost<M: Message + Name + Default>(json: &Json) -> Result<M> {
    let dynamic = json_to_message_with(&descriptor_for::<M>()?, json, UnknownFields::Ignore)?;
    M::decode(dynamic.encode_to_vec().as_slice()).map_err(|error| Error::Json {
        path: "$".to_owned(),
        reason: error.to_string(),
    })
}

fn descriptor_for<M: Name>() -> Result<prost_reflect::MessageDescriptor> {
    let name = M::full_name();
    descriptor_pool()?
        .get_message_by_name(&name)
        .ok_or(Error::MessageNotFound { name })
}
