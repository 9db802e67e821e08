//! The crate's one error type; it names what failed and must not carry presentation concerns.

/// Everything this crate can fail at.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The embedded descriptor set did not decode (a build defect, never user input).
    #[error("the embedded descriptor set is invalid")]
    DescriptorSet(#[source] prost_reflect::DescriptorError),
    /// A message name was asked for that the schema does not define.
    #[error("no message named {name} in the schema")]
    MessageNotFound { name: String },
    /// The schema lacks an extension this crate reads (e.g. `google.api.http`).
    #[error("no extension named {name} in the schema")]
    ExtensionNotFound { name: String },
    /// A method's `google.api.http` rule has no verb and path.
    #[error("the google.api.http rule of {method} names no verb")]
    HttpRuleWithoutVerb { method: String },
    /// JSON could not be mapped onto a message.
    #[error("at {path}: {reason}")]
    Json { path: String, reason: String },
    /// A JSON object had a key that no field of its message claims.
    #[error("unknown field {field:?} in {path}")]
    UnknownField { field: String, path: String },
}

/// Result with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
