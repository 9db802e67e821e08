//! Artifact references: an argument or a steps/DAG output artifact that names another
//! artifact with `from` (`{{steps.a.outputs.artifacts.x}}`, `{{workflow.outputs.artifacts.g}}`)
//! or computes one with `fromExpression`, resolved against a scope in which every produced
//! artifact is bound as its JSON object, global ones from the workflow's outputs (Argo's
//! `resolveArtifact`). The resolved artifact
//! keeps the referring artifact's name, `subPath`, `optional` and `globalName`.
//!
//! Must not: move bytes or decide keys (the executor and `argo-artifact` do).

use argo_core::{Arguments, Artifact};
use argo_expr::{Binding, Scope, Unresolved};

use crate::error::{Error, Result};
use crate::operation::Operation;

impl Operation<'_> {
    /// Resolves one artifact reference; `Ok(None)` when the referenced artifact is not in
    /// scope (the caller decides whether that is an error: optional artifacts may be absent).
    pub(crate) fn resolve_artifact_reference(
        &self,
        artifact: &Artifact,
        scope: &Scope,
    ) -> Result<Option<Artifact>> {
        let value = if !artifact.from_expression.is_empty() {
            let full = self.merged_scope(scope);
            let value = argo_expr::evaluate(
                &artifact.from_expression,
                &full,
                &self.options(Unresolved::Reject),
            )
            .map_err(|err| {
                Error::msg(format!(
                    "unable to resolve artifact {:?} from expression {:?}: {err}",
                    artifact.name, artifact.from_expression
                ))
            })?;
            if value.is_null() {
                return Ok(None);
            }
            value
        } else {
            let key = reference_key(&artifact.from);
            if let Some(global) = key.strip_prefix("workflow.outputs.artifacts.") {
                // Global artifacts live in the workflow's outputs, not in the string scope.
                let found = self
                    .status
                    .outputs
                    .as_ref()
                    .and_then(|o| o.artifacts.iter().find(|a| a.name == global));
                match found {
                    Some(found) => {
                        serde_json::to_value(found).map_err(|e| Error::msg(e.to_string()))?
                    }
                    None => return Ok(None),
                }
            } else {
                match scope.get(key) {
                    Some(Binding::Value(value)) => value.clone(),
                    _ => return Ok(None),
                }
            }
        };
        let mut resolved: Artifact = serde_json::from_value(value).map_err(|err| {
            Error::msg(format!(
                "artifact {:?}: the referenced value is not an artifact: {err}",
                artifact.name
            ))
        })?;
        resolved.name = artifact.name.clone();
        resolved.global_name = artifact.global_name.clone();
        resolved.from.clear();
        resolved.from_expression.clear();
        if !artifact.sub_path.is_empty() {
            resolved.sub_path = self.substitute_text(&artifact.sub_path, scope)?;
        }
        resolved.optional = artifact.optional;
        if artifact.archive.is_some() {
            resolved.archive = artifact.archive.clone();
        }
        Ok(Some(resolved))
    }

    /// Replaces every argument artifact with `from` or `fromExpression` by the artifact it
    /// refers to. An optional artifact whose reference is not in scope is dropped; a required
    /// one is an error naming the reference.
    pub(crate) fn resolve_argument_artifacts(
        &self,
        arguments: &mut Arguments,
        scope: &Scope,
    ) -> Result<()> {
        let mut resolved = Vec::with_capacity(arguments.artifacts.len());
        for artifact in &arguments.artifacts {
            if artifact.from.is_empty() && artifact.from_expression.is_empty() {
                resolved.push(artifact.clone());
                continue;
            }
            match self.resolve_artifact_reference(artifact, scope)? {
                Some(found) => resolved.push(found),
                None if artifact.optional => {}
                None => {
                    let reference = if artifact.from.is_empty() {
                        &artifact.from_expression
                    } else {
                        &artifact.from
                    };
                    return Err(Error::msg(format!(
                        "unable to resolve references: Unable to resolve: {reference:?}"
                    )));
                }
            }
        }
        arguments.artifacts = resolved;
        Ok(())
    }
}

/// The scope key of a `from` reference: `{{steps.a.outputs.artifacts.x}}` -> the inside.
pub(crate) fn reference_key(reference: &str) -> &str {
    reference
        .trim()
        .strip_prefix("{{")
        .and_then(|r| r.strip_suffix("}}"))
        .unwrap_or(reference)
        .trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_keys_drop_braces_and_spaces() {
        assert_eq!(
            reference_key(" {{ steps.a.outputs.artifacts.x }} "),
            "steps.a.outputs.artifacts.x"
        );
        assert_eq!(
            reference_key("tasks.b.outputs.artifacts.y"),
            "tasks.b.outputs.artifacts.y"
        );
    }
}
