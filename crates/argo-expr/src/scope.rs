//! The variables a template or expression can see.
//!
//! Role: a flat map of dotted keys (`inputs.parameters.x`, `tasks.a.outputs.result`) to
//! [`Binding`]s, exactly the shape of Argo's replace map. Simple tags look keys up verbatim;
//! expressions see the same keys expanded into nested maps (see `expression::environment`).
//! Invariants: a key is either a value or absent, never both; [`Scope::has_placeholder`] is kept
//! up to date on every insert so the expression path need not rescan.
//! Must not: interpret values (no JSON parsing of parameter strings) or know about workflows.

use std::collections::HashMap;

use serde_json::Value;

/// Prefix of the placeholder values Argo's validator substitutes for values unknown until run
/// time; an expression over such values is allowed to fail without failing validation.
pub const PLACEHOLDER_PREFIX: &str = "__argo__internal__placeholder-";

/// The value an argument gets when it is a pure reference to an absent optional, so that the
/// consuming template's input default applies (Argo's `AbsentOptionalArgumentValue`).
pub const ABSENT_ARGUMENT_SENTINEL: &str = "__argo-internal.absent-optional-output__";

/// What a key is bound to.
#[derive(Debug, Clone, PartialEq)]
pub enum Binding {
    /// A value; Argo's scope holds strings almost everywhere.
    Value(Value),
    /// An instant (CronWorkflow's `cronworkflow.lastScheduledTime`): a time value inside
    /// expressions, not usable in a simple tag (it is not a string).
    Time(jiff::Timestamp),
    /// The output of a skipped or omitted producer that declared no default: `nil` inside
    /// expressions, a terminal error in a simple tag, a dropped argument when it is the whole
    /// argument value.
    Absent,
}

/// A flat map of dotted keys to bindings.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    bindings: HashMap<String, Binding>,
    placeholder_values: usize,
}

impl Scope {
    /// An empty scope.
    pub fn new() -> Self {
        Self::default()
    }

    /// Binds `key` to `value` (replacing any earlier binding).
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<Value>) {
        self.bind(key.into(), Binding::Value(value.into()));
    }

    /// Binds `key` to an instant.
    pub fn insert_time(&mut self, key: impl Into<String>, instant: jiff::Timestamp) {
        self.bind(key.into(), Binding::Time(instant));
    }

    /// Marks `key` as an absent optional (skipped/omitted producer without a default).
    pub fn insert_absent(&mut self, key: impl Into<String>) {
        self.bind(key.into(), Binding::Absent);
    }

    /// Binds `key` to `binding`.
    pub fn bind(&mut self, key: String, binding: Binding) {
        if is_placeholder(&binding) {
            self.placeholder_values += 1;
        }
        if let Some(old) = self.bindings.insert(key, binding)
            && is_placeholder(&old)
        {
            self.placeholder_values -= 1;
        }
    }

    /// Removes `key`, returning what it was bound to.
    pub fn remove(&mut self, key: &str) -> Option<Binding> {
        let old = self.bindings.remove(key);
        if old.as_ref().is_some_and(is_placeholder) {
            self.placeholder_values -= 1;
        }
        old
    }

    /// The binding of `key`, if any.
    pub fn get(&self, key: &str) -> Option<&Binding> {
        self.bindings.get(key)
    }

    /// Whether `key` is bound (to a value or as absent).
    pub fn contains(&self, key: &str) -> bool {
        self.bindings.contains_key(key)
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.bindings.len()
    }

    /// Whether the scope has no keys.
    pub fn is_empty(&self) -> bool {
        self.bindings.is_empty()
    }

    /// Every key and its binding, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Binding)> {
        self.bindings.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Whether some value is one of Argo's validation placeholders (then expression failures
    /// leave the tag in place instead of failing, as Argo's `shouldAllowFailure` does).
    pub fn has_placeholder(&self) -> bool {
        self.placeholder_values > 0
    }

    /// Whether `argument` is a single pure reference (`{{key}}`, whitespace allowed inside the
    /// braces, no nested tag) to a key bound as [`Binding::Absent`]. The engine replaces such
    /// arguments with [`ABSENT_ARGUMENT_SENTINEL`] before substitution so that the consumer's
    /// input default applies; composite values still fail substitution.
    pub fn is_absent_reference(&self, argument: &str) -> bool {
        let Some(inner) = argument
            .strip_prefix("{{")
            .and_then(|rest| rest.strip_suffix("}}"))
        else {
            return false;
        };
        let key = inner.trim();
        if key.contains("{{") || key.contains("}}") {
            return false;
        }
        matches!(self.bindings.get(key), Some(Binding::Absent))
    }
}

impl<K: Into<String>, V: Into<Value>> FromIterator<(K, V)> for Scope {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut scope = Scope::new();
        for (key, value) in iter {
            scope.insert(key, value);
        }
        scope
    }
}

fn is_placeholder(binding: &Binding) -> bool {
    matches!(binding, Binding::Value(Value::String(s)) if s.starts_with(PLACEHOLDER_PREFIX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pure_reference_to_an_absent_key_is_recognised() {
        let mut scope = Scope::new();
        scope.insert_absent("tasks.a.outputs.parameters.p");
        scope.insert("tasks.b.outputs.parameters.p", "x");
        assert!(scope.is_absent_reference("{{tasks.a.outputs.parameters.p}}"));
        assert!(scope.is_absent_reference("{{ tasks.a.outputs.parameters.p }}"));
        assert!(!scope.is_absent_reference("x-{{tasks.a.outputs.parameters.p}}"));
        assert!(!scope.is_absent_reference("tasks.a.outputs.parameters.p"));
        assert!(!scope.is_absent_reference("{{tasks.b.outputs.parameters.p}}"));
    }

    #[test]
    fn placeholder_count_follows_inserts_and_removals() {
        let mut scope = Scope::new();
        scope.insert("a", format!("{PLACEHOLDER_PREFIX}1"));
        assert!(scope.has_placeholder());
        scope.insert("a", "real");
        assert!(!scope.has_placeholder());
        scope.insert("b", format!("{PLACEHOLDER_PREFIX}2"));
        scope.remove("b");
        assert!(!scope.has_placeholder());
    }
}
