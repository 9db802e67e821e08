//! The environment an expression runs in.
//!
//! Role: expand the flat scope into nested maps (Argo's `expand.Expand`: the more specific key
//! wins when `a` and `a.b` are both bound), answer whether a variable path exists (Argo's
//! `hasVarInEnv`), and register Argo's helper functions (`asInt`, `asFloat`, `jsonpath`,
//! `toJson`, and the `sprig` dispatcher) once for the process.
//! Must not: read the clock; the sprig context travels with each evaluation.

use std::sync::LazyLock;

use expr::{Context, ContextProvider, Environment, Value as ExprValue};
use indexmap::IndexMap;

use super::source::{MAP_CONSTRUCTOR, SPRIG_DISPATCH};
use super::value::{expr_to_json, go_marshal, json_to_expr};
use crate::scope::{Binding, Scope};

/// Names Argo adds to every expression environment besides the scope.
const HELPERS: &[&str] = &["asInt", "asFloat", "jsonpath", "toJson", "sprig"];

/// Context keys that cannot be identifiers, carrying the sprig clock and seed to functions.
const SPRIG_NOW_KEY: &str = "argo:sprig.now";
const SPRIG_SEED_KEY: &str = "argo:sprig.seed";

/// The scope expanded for expressions, built on first use and reused within one substitution.
#[derive(Debug, Default)]
pub(crate) struct LazyEnvironment {
    context: Option<Context>,
}

impl LazyEnvironment {
    pub(crate) fn get(&mut self, scope: &Scope) -> &Context {
        self.context.get_or_insert_with(|| expand(scope))
    }
}

/// Argo's expansion of dotted keys into nested maps.
pub(crate) fn expand(scope: &Scope) -> Context {
    let mut keys: Vec<(&str, &Binding)> = scope.iter().collect();
    keys.sort_by(|a, b| a.0.cmp(b.0));
    let mut root: IndexMap<String, ExprValue> = IndexMap::new();
    for (n, (key, binding)) in keys.iter().enumerate() {
        let has_child = keys[n + 1..]
            .iter()
            .take_while(|(other, _)| other.starts_with(key))
            .any(|(other, _)| other.as_bytes().get(key.len()) == Some(&b'.'));
        if has_child {
            continue;
        }
        let value = match binding {
            Binding::Value(v) => json_to_expr(v),
            Binding::Time(instant) => time_value(*instant),
            Binding::Absent => ExprValue::Nil,
        };
        insert_path(&mut root, key, value);
    }
    let mut context = Context::default();
    for (key, value) in root {
        context.insert(key, value);
    }
    context
}

fn insert_path(root: &mut IndexMap<String, ExprValue>, key: &str, value: ExprValue) {
    let mut segments = key.split('.').peekable();
    let mut map = root;
    while let Some(segment) = segments.next() {
        if segments.peek().is_none() {
            map.insert(segment.to_owned(), value);
            return;
        }
        let entry = map
            .entry(segment.to_owned())
            .or_insert_with(|| ExprValue::Map(IndexMap::new()));
        if !matches!(entry, ExprValue::Map(_)) {
            *entry = ExprValue::Map(IndexMap::new());
        }
        let ExprValue::Map(inner) = entry else {
            return;
        };
        map = inner;
    }
}

/// Whether `path` (dot-separated) resolves in `context`; a nil leaf counts as present.
pub(crate) fn has_path(context: &Context, path: &str) -> bool {
    let mut segments = path.split('.');
    let Some(first) = segments.next() else {
        return false;
    };
    if HELPERS.contains(&first) {
        return true;
    }
    let Some(mut current) = context.get(first) else {
        return false;
    };
    for segment in segments {
        let ExprValue::Map(map) = current else {
            return false;
        };
        let Some(next) = map.get(segment) else {
            return false;
        };
        current = next;
    }
    true
}

/// The scope plus the sprig context, as expr-lang sees it.
pub(crate) struct Evaluation<'a> {
    pub(crate) context: &'a Context,
    pub(crate) now: ExprValue,
    pub(crate) seed: ExprValue,
}

impl<'a> Evaluation<'a> {
    pub(crate) fn new(context: &'a Context, sprig: &argo_sprig::Context) -> Self {
        Self {
            context,
            now: ExprValue::String(sprig.now.to_string()),
            seed: ExprValue::Integer(i64::from_ne_bytes(sprig.seed.to_ne_bytes())),
        }
    }
}

impl ContextProvider for Evaluation<'_> {
    fn get(&self, key: &str) -> Option<&ExprValue> {
        match key {
            SPRIG_NOW_KEY => Some(&self.now),
            SPRIG_SEED_KEY => Some(&self.seed),
            _ => self.context.get(key),
        }
    }

    fn to_context(&self) -> Context {
        self.context.clone()
    }
}

/// An instant as an expr-lang time (UTC).
fn time_value(instant: jiff::Timestamp) -> ExprValue {
    let nanos = instant.subsec_nanosecond().unsigned_abs();
    let utc = chrono::DateTime::from_timestamp(instant.as_second(), nanos).unwrap_or_default();
    ExprValue::DateTime(expr::DateTimeValue::fixed(utc.fixed_offset()))
}

/// The instant the caller injected through [`crate::Options::sprig`].
fn injected_now(ctx: &dyn ContextProvider) -> jiff::Timestamp {
    match ctx.get(SPRIG_NOW_KEY) {
        Some(ExprValue::String(text)) => text.parse().unwrap_or(jiff::Timestamp::UNIX_EPOCH),
        _ => jiff::Timestamp::UNIX_EPOCH,
    }
}

/// expr-lang's builtins plus Argo's helpers.
pub(crate) static ENVIRONMENT: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    env.add_function("asInt", |call| {
        call.env.eval_func(call.ctx, "int", call.args, None)
    });
    env.add_function("asFloat", |call| {
        call.env.eval_func(call.ctx, "float", call.args, None)
    });
    env.add_function("toJson", |call| match call.args.as_slice() {
        [value] => go_marshal(value)
            .map(ExprValue::String)
            .map_err(expr::Error::ExprError),
        args => Err(expr::Error::ExprError(format!(
            "toJson: expected 1 argument, got {}",
            args.len()
        ))),
    });
    env.add_function("jsonpath", |call| match call.args.as_slice() {
        [ExprValue::String(document), ExprValue::String(path)] => {
            super::jsonpath::query(document, path)
                .map(|v| json_to_expr(&v))
                .map_err(expr::Error::ExprError)
        }
        args => Err(expr::Error::ExprError(format!(
            "jsonpath: expected (string, string), got {} arguments",
            args.len()
        ))),
    });
    // expr's `now()` would read the system clock; it sees the injected instant instead.
    env.add_function("now", |call| {
        if !call.args.is_empty() {
            return Err(expr::Error::ExprError("now() takes no arguments".into()));
        }
        let now = injected_now(call.ctx);
        let instant = chrono::DateTime::from_timestamp(
            now.as_second(),
            now.subsec_nanosecond().unsigned_abs(),
        )
        .unwrap_or_default();
        Ok(ExprValue::DateTime(expr::DateTimeValue::fixed(
            instant.fixed_offset(),
        )))
    });
    env.add_function(MAP_CONSTRUCTOR, |call| {
        let mut map = IndexMap::new();
        let mut args = call.args.into_iter();
        while let Some(key) = args.next() {
            let ExprValue::String(key) = key else {
                return Err(expr::Error::ExprError("map keys must be strings".into()));
            };
            map.insert(key, args.next().unwrap_or(ExprValue::Nil));
        }
        Ok(ExprValue::Map(map))
    });
    env.add_function(SPRIG_DISPATCH, |call| {
        let Some((ExprValue::String(name), args)) = call.args.split_first() else {
            return Err(expr::Error::ExprError(
                "sprig: missing function name".into(),
            ));
        };
        let now = injected_now(call.ctx);
        let seed = match call.ctx.get(SPRIG_SEED_KEY) {
            Some(ExprValue::Integer(seed)) => u64::from_ne_bytes(seed.to_ne_bytes()),
            _ => 0,
        };
        let args: Vec<serde_json::Value> = args.iter().map(expr_to_json).collect();
        argo_sprig::call(name, &args, &argo_sprig::Context { now, seed })
            .map(|v| json_to_expr(&v))
            .map_err(|e| expr::Error::ExprError(e.to_string()))
    });
    env
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_more_specific_key_wins_when_expanding() {
        let mut scope = Scope::new();
        scope.insert("inputs.parameters", "[...]");
        scope.insert("inputs.parameters.x", "1");
        scope.insert("inputs.parameters-b", "2");
        scope.insert_absent("tasks.a.outputs.result");
        let context = expand(&scope);
        assert!(has_path(&context, "inputs.parameters.x"));
        assert!(has_path(&context, "inputs.parameters-b"));
        assert!(has_path(&context, "tasks.a.outputs.result"));
        assert!(!has_path(&context, "tasks.b"));
        assert!(has_path(&context, "sprig.upper"));
    }
}
