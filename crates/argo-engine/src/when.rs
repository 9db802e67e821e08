//! `when` conditions and reference resolution shared by steps and DAG tasks: substitute the
//! condition (requeue while a `steps.`/`tasks.` reference is not available yet), evaluate it
//! with govaluate rules, and substitute a step's or task's body against the local scope.
//!
//! Must not: create nodes.

use argo_core::Arguments;
use argo_expr::{ABSENT_ARGUMENT_SENTINEL, Scope, Unresolved};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{Error, Result};
use crate::operation::Operation;

/// Evaluates a substituted `when` (empty means run).
pub(crate) fn should_execute(when: &str) -> Result<bool> {
    if when.is_empty() {
        return Ok(true);
    }
    argo_expr::when::evaluate(when).map_err(|err| {
        let text = err.to_string();
        if text.contains("Invalid token") {
            Error::msg(format!(
                "Invalid 'when' expression '{when}': {text} (hint: try wrapping the affected expression in quotes (\"))"
            ))
        } else {
            Error::msg(format!("Invalid 'when' expression '{when}': {text}"))
        }
    })
}

/// Whether an expression error means "a variable is not there yet".
fn is_missing_variable(err: &argo_expr::Error) -> bool {
    matches!(
        err,
        argo_expr::Error::UnresolvedTag { .. } | argo_expr::Error::MissingVariable { .. }
    )
}

impl Operation<'_> {
    /// Globals plus `local`.
    pub(crate) fn merged_scope(&self, local: &Scope) -> Scope {
        let mut scope = self.globals.clone();
        for (key, binding) in local.iter() {
            scope.bind(key.to_owned(), binding.clone());
        }
        scope
    }

    /// Substitutes a `when` against `scope`; `Err(Requeue)` when a reference is missing.
    pub(crate) fn resolve_when(&self, when: &str, scope: &Scope) -> Result<String> {
        let opts = self.options(Unresolved::RejectPrefixes(vec![
            "steps".into(),
            "tasks".into(),
        ]));
        argo_expr::substitute(when, scope, &opts).map_err(|err| {
            if is_missing_variable(&err) {
                Error::Requeue
            } else {
                Error::from(err)
            }
        })
    }

    /// Substitutes a whole step or task against `scope` (Argo's `ReplaceStrictAny` with
    /// `steps`/`tasks` strict), replacing pure references to absent optionals in arguments
    /// with the sentinel so the callee's input default applies.
    pub(crate) fn resolve_body<T: Serialize + DeserializeOwned>(
        &self,
        body: &T,
        arguments: impl Fn(&mut T) -> &mut Arguments,
        scope: &Scope,
    ) -> Result<T> {
        let mut body = serde_json::from_value::<T>(
            serde_json::to_value(body).map_err(|e| Error::msg(e.to_string()))?,
        )
        .map_err(|e| Error::msg(e.to_string()))?;
        // Artifact references resolve to artifacts (JSON objects), not strings.
        self.resolve_argument_artifacts(arguments(&mut body), scope)?;
        for param in &mut arguments(&mut body).parameters {
            if let Some(value) = &param.value
                && scope.is_absent_reference(value.as_str())
            {
                param.value = Some(ABSENT_ARGUMENT_SENTINEL.into());
            }
        }
        let opts = self.options(Unresolved::RejectPrefixes(vec![
            "steps".into(),
            "tasks".into(),
        ]));
        let json = serde_json::to_value(&body).map_err(|e| Error::msg(e.to_string()))?;
        let replaced = argo_expr::substitute_json(&json, scope, &opts).map_err(|err| {
            if is_missing_variable(&err) {
                Error::Requeue
            } else {
                Error::from(err)
            }
        })?;
        serde_json::from_value(replaced).map_err(|e| Error::msg(e.to_string()))
    }
}
