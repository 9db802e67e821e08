//! The crate's single error type.
//!
//! Role: say what failed, in which expression or template, and where (a byte offset into the
//! text that was given). Messages keep the wording Argo's controller uses where callers (and
//! users reading node messages) rely on it, e.g. `failed to resolve {{...}}`.
//! Must not: carry anything that is not plain data (no boxed foreign errors without a message).

/// Why parsing, substituting or evaluating failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// A `{{` without a later `}}` (Argo's fasttemplate refuses the whole template).
    #[error(
        "Cannot find end tag=\"}}}}\" in the template={template:?} starting from byte {position}"
    )]
    UnclosedTag { template: String, position: usize },

    /// A simple tag whose key is not in scope, under a mode that rejects it.
    #[error("failed to resolve {{{{{tag}}}}}")]
    UnresolvedTag { tag: String, position: usize },

    /// A simple tag whose key holds an absent optional (a skipped producer with no default).
    #[error(
        "unable to substitute {{{{{tag}}}}}: output is an absent optional (skipped/omitted node with no default)"
    )]
    AbsentValue { tag: String, position: usize },

    /// A nested tag whose inner key holds an absent optional.
    #[error("unable to substitute nested tag {{{{{tag}}}}}: {nested:?} is an absent optional")]
    AbsentNestedValue {
        tag: String,
        nested: String,
        position: usize,
    },

    /// A simple tag whose value is not a string.
    #[error("failed to resolve {{{{{tag}}}}} to string")]
    NotAString { tag: String, position: usize },

    /// The template could not be serialised, or the substituted text is not JSON any more.
    #[error("{message}")]
    InvalidJson { message: String },

    /// A substituted value cannot be embedded in JSON the way Argo escapes it (Go's
    /// `strconv.Quote` writes `\a`, `\v` and `\xNN` for some control characters).
    #[error(
        "cannot finish template replacement because the result was invalid JSON (tag {{{{{tag}}}}})"
    )]
    InvalidJsonResult { tag: String, position: usize },

    /// An expression tag references a variable under a strict prefix that is not in scope.
    #[error("failed to evaluate expression: {name} is missing")]
    MissingVariable {
        expression: String,
        name: String,
        position: usize,
    },

    /// An expr-lang expression failed to compile or run.
    #[error("failed to evaluate expression {expression:?}: {message}")]
    Expression {
        expression: String,
        /// Byte offset of the expression in the template, or of the problem in the expression.
        position: usize,
        message: String,
    },

    /// An expression that had to produce a boolean produced something else.
    #[error("unable to cast expression result '{value}' to bool (expression {expression:?})")]
    NotBoolean { expression: String, value: String },

    /// A `when` condition failed to lex, parse or evaluate (govaluate semantics).
    #[error("invalid 'when' expression '{condition}': {message} (at char {position})")]
    When {
        condition: String,
        position: usize,
        message: String,
    },

    /// A DAG `depends` expression failed to parse.
    #[error("invalid depends expression '{expression}': {message} (at byte {position})")]
    Depends {
        expression: String,
        position: usize,
        message: String,
    },
}

impl Error {
    /// Whether Argo would treat this as "a variable is not available yet" and requeue rather
    /// than fail the node (Argo's `IsMissingVariableErr`).
    pub fn is_missing_variable(&self) -> bool {
        matches!(
            self,
            Error::UnresolvedTag { .. } | Error::MissingVariable { .. }
        )
    }

    /// The byte (or, for `when`, character) offset the error points at.
    pub fn position(&self) -> Option<usize> {
        match self {
            Error::UnclosedTag { position, .. }
            | Error::UnresolvedTag { position, .. }
            | Error::AbsentValue { position, .. }
            | Error::AbsentNestedValue { position, .. }
            | Error::NotAString { position, .. }
            | Error::InvalidJsonResult { position, .. }
            | Error::MissingVariable { position, .. }
            | Error::Expression { position, .. }
            | Error::When { position, .. }
            | Error::Depends { position, .. } => Some(*position),
            Error::NotBoolean { .. } | Error::InvalidJson { .. } => None,
        }
    }
}

/// Result with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
