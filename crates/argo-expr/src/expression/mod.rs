//! expr-lang expressions: `{{=...}}` tags and the engine's direct evaluations.
//!
//! Role: adapt the `expr-lang` crate to Argo's usage: the environment is the scope expanded into
//! nested maps plus Argo's helpers; `sprig.<fn>(...)` calls go to `argo-sprig`; a tag whose
//! expression needs a late-bound variable (`item`, `retries`, `lastRetry.*`, `workflow.status`,
//! `workflow.failures`) that is not in scope yet is left for a later pass, and failures are
//! tolerated or reported following Argo's rules for the [`Unresolved`](crate::Unresolved) mode.
//! Must not: read the clock or the environment; time comes in through [`Options`].

mod environment;
mod jsonpath;
mod source;
mod value;

use expr::Value as ExprValue;
use serde_json::Value;

pub(crate) use environment::LazyEnvironment;
use environment::{ENVIRONMENT, Evaluation, expand, has_path};

use crate::Options;
use crate::error::{Error, Result};
use crate::scope::Scope;
use crate::template::embeds_in_json;

/// Variables bound only late in a node's life; a tag needing one waits instead of failing.
pub const LATE_BOUND_VARIABLES: &[&str] = &[
    "item",
    "retries",
    "lastRetry.exitCode",
    "lastRetry.status",
    "lastRetry.duration",
    "lastRetry.message",
    "workflow.status",
    "workflow.failures",
];

/// Expressions larger than this are refused: expr-lang parses and evaluates recursively, and an
/// unbounded expression could exhaust any stack. Argo's expressions are far smaller.
const MAX_TOKENS: usize = 2_000;
const MAX_DEPTH: usize = 400;
/// Expressions up to this size run on the caller's stack (safe within 2 MiB even unoptimised);
/// larger ones run on a helper thread with [`BIG_STACK`].
const INLINE_TOKENS: usize = 96;
const INLINE_DEPTH: usize = 24;
const BIG_STACK: usize = 64 << 20;

/// Refuses oversized expressions.
fn check_size(src: &str, reading: &source::Reading) -> Result<()> {
    if reading.tokens > MAX_TOKENS || reading.depth > MAX_DEPTH {
        return Err(Error::Expression {
            expression: src.to_owned(),
            position: 0,
            message: format!(
                "expression is too large ({} tokens, nesting {}; limits {MAX_TOKENS} and {MAX_DEPTH})",
                reading.tokens, reading.depth
            ),
        });
    }
    Ok(())
}

/// Runs `work` on a stack big enough for `reading`'s expression.
fn on_enough_stack<T: Send>(
    src: &str,
    reading: &source::Reading,
    work: impl FnOnce() -> Result<T> + Send,
) -> Result<T> {
    if reading.tokens <= INLINE_TOKENS && reading.depth <= INLINE_DEPTH {
        return work();
    }
    let failure = |message: &str| Error::Expression {
        expression: src.to_owned(),
        position: 0,
        message: message.to_owned(),
    };
    std::thread::scope(|threads| {
        std::thread::Builder::new()
            .name("argo-expr-big-expression".to_owned())
            .stack_size(BIG_STACK)
            .spawn_scoped(threads, work)
            .map_err(|_| failure("could not start a thread to evaluate a large expression"))?
            .join()
            .map_err(|_| failure("the expression failed inside the evaluator"))?
    })
}

/// The byte offset a parse error message (` --> line:column`) points at in `src`.
fn error_offset(src: &str, message: &str) -> Option<usize> {
    let location = message.split("--> ").nth(1)?;
    let location: String = location
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ':')
        .collect();
    let (line, column) = location.split_once(':')?;
    let (line, column): (usize, usize) = (line.parse().ok()?, column.parse().ok()?);
    let line_start: usize = src
        .split_inclusive('\n')
        .take(line.checked_sub(1)?)
        .map(str::len)
        .sum();
    let line_text = src.get(line_start..)?.lines().next().unwrap_or("");
    let in_line: usize = line_text
        .chars()
        .take(column.checked_sub(1)?)
        .map(char::len_utf8)
        .sum();
    Some(line_start + in_line)
}

/// expr-lang's `compile`, with its internal panics (it has some on unusual literals) turned
/// into errors so that no input can bring the caller down.
fn compile(src: &str) -> std::result::Result<expr::Program, String> {
    std::panic::catch_unwind(|| expr::compile(src))
        .map_err(|_| "the expression could not be parsed".to_owned())?
        .map_err(|e| e.to_string())
}

/// expr-lang's `run` with internal panics turned into errors.
fn execute(
    program: &expr::Program,
    evaluation: &Evaluation<'_>,
) -> std::result::Result<ExprValue, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        ENVIRONMENT.run(program, evaluation)
    }))
    .map_err(|_| "the expression failed inside the evaluator".to_owned())?
    .map_err(|e| e.to_string())
}

/// The variable paths an expr-lang expression references, as Argo's identifier visitor reports
/// them: `a.b.c` gives `a`, `a.b` and `a.b.c`; members guarded by `??` or `?.` are left out.
/// For linters (which `tasks.x` does this hook expression need?) and the engine.
pub fn expression_variables(src: &str) -> Vec<String> {
    source::read(src).paths
}

/// Parses an expr-lang expression without evaluating it (for linters and fuzzing).
pub fn parse_expression(src: &str) -> Result<()> {
    let reading = source::read(src);
    check_size(src, &reading)?;
    on_enough_stack(src, &reading, || parse_read_expression(src, &reading))
}

fn parse_read_expression(src: &str, reading: &source::Reading) -> Result<()> {
    compile(reading.rewritten.as_deref().unwrap_or(src))
        .map(|_| ())
        .map_err(|message| Error::Expression {
            expression: src.to_owned(),
            position: match &reading.rewritten {
                None => error_offset(src, &message).unwrap_or(0),
                Some(_) => 0,
            },
            message,
        })
}

/// Evaluates `src` against `scope` (plus Argo's helpers) and returns the result as JSON, the way
/// Argo evaluates `valueFrom.expression`, `fromExpression`, hook and retry expressions. A name
/// that is not in scope at all is an error, as with Go's compile-time check.
pub fn evaluate(src: &str, scope: &Scope, opts: &Options) -> Result<Value> {
    let context = expand(scope);
    let value = run(src, &context, opts)?;
    Ok(value::expr_to_json(&value))
}

/// Like [`evaluate`], but the result must be a boolean.
pub fn evaluate_bool(src: &str, scope: &Scope, opts: &Options) -> Result<bool> {
    let context = expand(scope);
    match run(src, &context, opts)? {
        ExprValue::Bool(b) => Ok(b),
        other => Err(Error::NotBoolean {
            expression: src.to_owned(),
            value: other.to_string(),
        }),
    }
}

fn run(src: &str, context: &expr::Context, opts: &Options) -> Result<ExprValue> {
    let reading = source::read(src);
    check_size(src, &reading)?;
    on_enough_stack(src, &reading, || run_read(src, &reading, context, opts))
}

fn run_read(
    src: &str,
    reading: &source::Reading,
    context: &expr::Context,
    opts: &Options,
) -> Result<ExprValue> {
    let failure = |message: String| Error::Expression {
        expression: src.to_owned(),
        position: 0,
        message,
    };
    let program = compile(reading.rewritten.as_deref().unwrap_or(src)).map_err(|message| {
        let position = match &reading.rewritten {
            None => error_offset(src, &message).unwrap_or(0),
            Some(_) => 0,
        };
        Error::Expression {
            expression: src.to_owned(),
            position,
            message,
        }
    })?;
    if let Some(unknown) = reading.paths.iter().find(|path| {
        !path.contains('.') && !has_path(context, path) && !reading.locals.contains(path)
    }) {
        return Err(failure(format!("unknown name {unknown}")));
    }
    execute(&program, &Evaluation::new(context, &opts.sprig)).map_err(failure)
}

/// The replacement text of the expression tag `{{=src}}` at `position`, or `None` to leave the
/// tag in place for a later pass.
pub(crate) fn replace_tag(
    src: &str,
    position: usize,
    scope: &Scope,
    opts: &Options,
    env: &mut LazyEnvironment,
) -> Result<Option<String>> {
    let reading = source::read(src);
    check_size(src, &reading).map_err(|error| match error {
        Error::Expression {
            expression,
            message,
            ..
        } => Error::Expression {
            expression,
            position,
            message,
        },
        other => other,
    })?;
    let context = env.get(scope);
    on_enough_stack(src, &reading, || {
        replace_read_tag(src, &reading, position, scope, context, opts)
    })
}

fn replace_read_tag(
    src: &str,
    reading: &source::Reading,
    position: usize,
    scope: &Scope,
    context: &expr::Context,
    opts: &Options,
) -> Result<Option<String>> {
    let failure = |message: String| Error::Expression {
        expression: src.to_owned(),
        position,
        message,
    };
    let compiled = compile(reading.rewritten.as_deref().unwrap_or(src));
    let tolerate = scope.has_placeholder();

    let missing: Vec<&str> = if compiled.is_ok() {
        reading
            .paths
            .iter()
            .map(String::as_str)
            .filter(|path| !has_path(context, path))
            .collect()
    } else {
        Vec::new()
    };
    if let Some(name) = missing.iter().find(|name| opts.unresolved.is_strict(name)) {
        return Err(Error::MissingVariable {
            expression: src.to_owned(),
            name: (*name).to_owned(),
            position,
        });
    }
    let allow_unresolved =
        compiled.is_ok() && (!missing.is_empty() || opts.unresolved.tolerates_failures());
    let keep_on_failure = allow_unresolved || tolerate;

    if allow_unresolved && missing.iter().any(|m| LATE_BOUND_VARIABLES.contains(m)) {
        return Ok(None);
    }
    let program = match compiled {
        Ok(program) => program,
        Err(_) if keep_on_failure => return Ok(None),
        Err(message) => {
            let offset = match &reading.rewritten {
                None => error_offset(src, &message).unwrap_or(0),
                Some(_) => 0,
            };
            return Err(Error::Expression {
                expression: src.to_owned(),
                position: position + 3 + offset,
                message,
            });
        }
    };
    if let Some(unknown) = missing
        .iter()
        .find(|name| !name.contains('.') && !reading.locals.iter().any(|l| l == *name))
    {
        return if keep_on_failure {
            Ok(None)
        } else {
            Err(failure(format!("unknown name {unknown}")))
        };
    }
    let result = match execute(&program, &Evaluation::new(context, &opts.sprig)) {
        Ok(ExprValue::Nil) if keep_on_failure => return Ok(None),
        Ok(ExprValue::Nil) => return Err(failure("the result is nil".to_owned())),
        Ok(result) => result,
        Err(_) if keep_on_failure => return Ok(None),
        Err(e) => return Err(failure(e)),
    };
    let marshalled = match value::go_marshal(&result) {
        Ok(text) => text,
        Err(_) if allow_unresolved => return Ok(None),
        Err(e) => return Err(failure(e)),
    };
    if marshalled.len() > 1 && marshalled.starts_with('"') && marshalled.ends_with('"') {
        return serde_json::from_str::<String>(&marshalled)
            .map(Some)
            .map_err(|e| failure(e.to_string()));
    }
    if !embeds_in_json(&marshalled) {
        return Err(Error::InvalidJsonResult {
            tag: format!("={src}"),
            position,
        });
    }
    Ok(Some(marshalled))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_expressions_run_on_a_big_stack_and_huge_ones_are_refused() {
        let scope = Scope::new();
        let opts = Options::default();
        let sum = vec!["1"; 900].join(" + ");
        assert_eq!(evaluate(&sum, &scope, &opts), Ok(Value::from(900)));
        let nested = format!("{}1{}", "(".repeat(300), ")".repeat(300));
        assert_eq!(evaluate(&nested, &scope, &opts), Ok(Value::from(1)));
        let huge = vec!["1"; 5000].join(" + ");
        assert!(evaluate(&huge, &scope, &opts).is_err());
        let tag = format!("{{{{={huge}}}}}");
        assert!(crate::substitute(&tag, &scope, &opts).is_err());
    }

    #[test]
    fn the_cron_when_example_compares_times() {
        let condition = "{{= cronworkflow.lastScheduledTime == nil || (now() - cronworkflow.lastScheduledTime).Seconds() > 360 }}";
        let now: jiff::Timestamp = "2026-01-02T03:04:05Z".parse().expect("instant");
        let opts = Options::new(crate::Unresolved::Reject, now);
        let outcome = |scope: &Scope| {
            crate::substitute(condition, scope, &opts)
                .and_then(|when| crate::when::evaluate_cron(&when))
        };
        let mut scope = Scope::new();
        scope.insert("cronworkflow.name", "c");
        scope.insert_absent("cronworkflow.lastScheduledTime");
        assert_eq!(outcome(&scope), Ok(true));
        let ten_minutes = jiff::SignedDuration::from_secs(600);
        scope.insert_time("cronworkflow.lastScheduledTime", now - ten_minutes);
        assert_eq!(outcome(&scope), Ok(true));
        scope.insert_time("cronworkflow.lastScheduledTime", now - ten_minutes / 10);
        assert_eq!(outcome(&scope), Ok(false));
    }

    #[test]
    fn parse_errors_point_at_the_offending_byte() {
        let error = parse_expression("1 +\n 2 )").expect_err("trailing parenthesis");
        assert_eq!(error.position(), Some(7));
        let scope = Scope::new();
        let error = crate::substitute("ab {{=1 + )}}", &scope, &Options::default())
            .expect_err("syntax error");
        assert_eq!(error.position(), Some(10));
    }
}
