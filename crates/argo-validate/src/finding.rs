//! The validator's internal error: Argo's message plus the location it is about. Argo stops at
//! the first problem in a document and wraps it with the context it passed through, so a finding
//! travels up the call chain collecting message prefixes while keeping its innermost location.
//!
//! Must not: be exposed publicly; the public form is [`crate::Diagnostic`].

use crate::location::Loc;

/// A lint problem on its way up the validation call chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Argo's message, with the prefixes collected so far.
    pub message: String,
    /// Where in the linted document the problem is.
    pub loc: Loc,
}

impl Finding {
    /// A finding at a location.
    pub fn new(message: impl Into<String>, loc: Loc) -> Self {
        Self {
            message: message.into(),
            loc,
        }
    }

    /// The same finding with `prefix` and a space in front of the message, as Argo wraps errors.
    pub fn within(mut self, prefix: &str) -> Self {
        self.message = format!("{prefix} {}", self.message);
        self
    }

    /// The same finding with `prefix` glued in front of the message.
    pub fn prefixed(mut self, prefix: &str) -> Self {
        self.message = format!("{prefix}{}", self.message);
        self
    }
}

/// Result of one validation step.
pub type Checked<T = ()> = std::result::Result<T, Finding>;
