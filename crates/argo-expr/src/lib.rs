//! Argo's template language: `{{...}}` substitution, `{{=...}}` expr-lang expressions,
//! govaluate-style `when` conditions and DAG `depends`, with upstream Argo v4.1's semantics.
//!
//! Entry points:
//! - [`substitute`] / [`substitute_json`]: replace tags in a string or in every string of a
//!   JSON value, with [`Unresolved`] choosing what happens to tags that cannot resolve yet.
//!   One call is one Argo pass: a nested tag becomes an outer tag for the next pass.
//! - Skipped producers: bind their outputs with [`Scope::insert_absent`]; replace arguments for
//!   which [`Scope::is_absent_reference`] holds with [`ABSENT_ARGUMENT_SENTINEL`] so that the
//!   consumer's input default applies; anywhere else an absent value is `nil` in expressions and
//!   a terminal error in simple tags ([`Error::is_missing_variable`] is false for it).
//! - [`evaluate`] / [`evaluate_bool`]: run an expr-lang expression over a [`Scope`] (retry
//!   `expression`, hooks, `valueFrom.expression`, `fromExpression`, `labelsFrom`).
//! - [`when::evaluate`]: a `when` condition after substitution (govaluate rules).
//! - [`depends::parse`]: a DAG `depends` expression, its task names and its evaluation.
//! - [`references`]: every tag in a template, and [`expression_variables`]: the variables an
//!   expression uses, for linters.
//!
//! Every parser is a `pub fn(&str)` that never panics: [`references`], [`parse_expression`],
//! [`govaluate::parse`], [`depends::parse`].
//!
//! Must not: perform I/O or read the clock; time comes in through [`Options::sprig`].

mod error;
mod expression;
mod go_text;
mod scope;
mod template;

pub mod depends;
pub mod govaluate;
pub mod when;

pub use error::{Error, Result};
pub use expression::{
    LATE_BOUND_VARIABLES, evaluate, evaluate_bool, expression_variables, parse_expression,
};
pub use scope::{ABSENT_ARGUMENT_SENTINEL, Binding, PLACEHOLDER_PREFIX, Scope};
pub use template::{Tag, TagKind, Unresolved, references, substitute, substitute_json};

/// How a substitution or evaluation behaves.
#[derive(Debug, Clone)]
pub struct Options {
    /// What happens to tags that cannot be resolved yet.
    pub unresolved: Unresolved,
    /// The clock and seed `sprig.*` functions see.
    pub sprig: argo_sprig::Context,
}

impl Options {
    /// Options with the given mode and the sprig clock at `now`.
    pub fn new(unresolved: Unresolved, now: jiff::Timestamp) -> Self {
        Self {
            unresolved,
            sprig: argo_sprig::Context::at(now),
        }
    }
}

impl Default for Options {
    /// Keep unresolved tags; the sprig clock stands at the Unix epoch.
    fn default() -> Self {
        Self::new(Unresolved::Keep, jiff::Timestamp::UNIX_EPOCH)
    }
}
