//! Kubernetes-style JSON <-> protobuf, driven by the descriptor set.
//!
//! Argo's REST API does not speak the protobuf JSON mapping: its gateway decodes each gRPC
//! response into the Go structs and writes them with Go's `encoding/json`. This module
//! reproduces that JSON from a [`DynamicMessage`] and reads it back:
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
//!   [`special`]'s hooks.
//!
//! Reading ignores unknown keys, as Go does. Nothing here panics on any input; malformed
//! JSON for a field is an [`Error::Json`](crate::Error::Json) naming the path.

mod field_rule;
mod special;
mod to_json;
mod to_message;

pub use to_json::message_to_json;
pub use to_message::json_to_message;
