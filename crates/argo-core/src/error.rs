//! The crate's error type.
//!
//! Must not: carry parser internals; document problems are `DocumentError`s with a path and line.

use crate::document::DocumentError;

/// Errors of this crate.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A document could not be parsed or typed.
    #[error(transparent)]
    Document(#[from] DocumentError),
    /// A single document was expected.
    #[error("expected exactly one document, found {found}")]
    NotOneDocument { found: usize },
    /// A duration string is neither Go syntax nor (where allowed) a number of seconds.
    #[error("invalid duration {text:?}")]
    InvalidDuration { text: String },
    /// The document is of another kind than requested.
    #[error("expected a {expected}, found a {found}")]
    UnexpectedKind {
        expected: &'static str,
        found: String,
    },
}

/// Results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
