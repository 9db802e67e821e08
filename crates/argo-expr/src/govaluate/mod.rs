//! A reimplementation of govaluate (Knetic/govaluate, the 2025 archive Argo pins), the language
//! of `when` conditions.
//!
//! Role: lex, syntax-check (govaluate's token-transition table), optimise (regex literals after
//! `=~`/`!~` are compiled at parse time), plan and evaluate expressions without parameters.
//! Argo-specific handling (bare words become strings, the result must be a boolean) lives in
//! [`crate::when`].
//! Must not: bind parameters or call functions; Argo uses neither.

mod eval;
mod lexer;
mod planner;
mod time;
mod token;

pub use eval::GoValue;
pub use token::{Kind, Payload, Symbol, Token};

use std::sync::Arc;

use regex::Regex;

use crate::error::{Error, Result};

/// A parsed govaluate expression.
#[derive(Debug, Clone)]
pub struct Expression {
    source: String,
    tokens: Vec<Token>,
    plan: planner::Plan,
}

/// Parses `source` the way `govaluate.NewEvaluableExpression` does.
pub fn parse(source: &str) -> Result<Expression> {
    let tokens = lexer::tokenize(source).map_err(|(position, message)| Error::When {
        condition: source.to_owned(),
        position,
        message,
    })?;
    from_tokens(source, tokens)
}

/// Parses `source` with every variable token turned into a string literal, as Argo does for
/// `when`. Equivalent to `parse(source)?.with_variables_as_strings()` without planning twice
/// (planning cannot fail differently for variables and strings).
pub fn parse_with_variables_as_strings(source: &str) -> Result<Expression> {
    let mut tokens = lexer::tokenize(source).map_err(|(position, message)| Error::When {
        condition: source.to_owned(),
        position,
        message,
    })?;
    validate(source, &mut tokens)?;
    for token in &mut tokens {
        if token.kind == Kind::Variable {
            token.kind = Kind::String;
        }
    }
    from_tokens(source, tokens)
}

fn validate(source: &str, tokens: &mut [Token]) -> Result<()> {
    let fail = |position: usize, message: String| Error::When {
        condition: source.to_owned(),
        position,
        message,
    };
    check_balance(tokens).map_err(|m| fail(0, m))?;
    check_syntax(tokens).map_err(|(p, m)| fail(p, m))?;
    compile_patterns(tokens).map_err(|(p, m)| fail(p, m))
}

fn from_tokens(source: &str, mut tokens: Vec<Token>) -> Result<Expression> {
    validate(source, &mut tokens)?;
    let plan = planner::plan(&tokens).map_err(|message| Error::When {
        condition: source.to_owned(),
        position: 0,
        message,
    })?;
    Ok(Expression {
        source: source.to_owned(),
        tokens,
        plan,
    })
}

impl Expression {
    /// The tokens, after regex literals were compiled.
    pub fn tokens(&self) -> &[Token] {
        &self.tokens
    }

    /// The same expression with every variable token turned into a string literal, as Argo
    /// does for `when` so that `foo != bar` needs no quotes.
    pub fn with_variables_as_strings(&self) -> Result<Expression> {
        let tokens = self
            .tokens
            .iter()
            .cloned()
            .map(|mut token| {
                if token.kind == Kind::Variable {
                    token.kind = Kind::String;
                }
                token
            })
            .collect();
        from_tokens(&self.source, tokens)
    }

    /// Evaluates with no parameters.
    pub fn evaluate(&self) -> Result<GoValue> {
        eval::evaluate(&self.plan).map_err(|message| Error::When {
            condition: self.source.clone(),
            position: 0,
            message,
        })
    }
}

fn check_balance(tokens: &[Token]) -> Result<(), String> {
    let mut depth: i64 = 0;
    for token in tokens {
        match token.kind {
            Kind::Clause => depth += 1,
            Kind::ClauseClose => depth -= 1,
            _ => {}
        }
    }
    if depth != 0 {
        return Err("Unbalanced parenthesis".to_owned());
    }
    Ok(())
}

fn describe(token: &Token) -> String {
    let value = match &token.payload {
        Payload::None => match token.kind {
            Kind::Clause => "40".to_owned(),
            Kind::ClauseClose => "41".to_owned(),
            _ => String::new(),
        },
        Payload::Number(n) => crate::go_text::format_v_float(*n),
        Payload::Bool(b) => b.to_string(),
        Payload::Text(s) => s.clone(),
        Payload::Pattern(p) => p.as_str().to_owned(),
        Payload::Path(path) => format!("[{}]", path.join(" ")),
        Payload::Symbol(symbol) => symbol.text().to_owned(),
    };
    format!("{} [{value}]", token.kind.name())
}

fn check_syntax(tokens: &[Token]) -> Result<(), (usize, String)> {
    let mut state = Kind::Unknown;
    let mut last: Option<&Token> = None;
    for token in tokens {
        if !token::may_follow(state, token.kind) {
            if let Some(previous) = last
                && previous.kind == Kind::Variable
                && token.kind == Kind::Clause
                && let Payload::Text(name) = &previous.payload
            {
                return Err((token.position, format!("Undefined function {name}")));
            }
            let from = last.map_or_else(|| "UNKNOWN [<nil>]".to_owned(), describe);
            return Err((
                token.position,
                format!(
                    "Cannot transition token types from {from} to {}",
                    describe(token)
                ),
            ));
        }
        state = token.kind;
        last = Some(token);
    }
    if !token::may_end_after(state) {
        let position = last.map_or(0, |t| t.position);
        return Err((position, "Unexpected end of expression".to_owned()));
    }
    Ok(())
}

/// govaluate's `optimizeTokens`: a string right after `=~` or `!~` becomes a compiled pattern.
fn compile_patterns(tokens: &mut [Token]) -> Result<(), (usize, String)> {
    for index in 0..tokens.len() {
        let is_regex_operator = tokens[index].kind == Kind::Comparator
            && matches!(
                tokens[index].payload,
                Payload::Symbol(Symbol::Req | Symbol::Nreq)
            );
        if !is_regex_operator {
            continue;
        }
        let Some(next) = tokens.get_mut(index + 1) else {
            continue;
        };
        if next.kind != Kind::String {
            continue;
        }
        if let Payload::Text(pattern) = &next.payload {
            let compiled = cached_regex(pattern).map_err(|e| (next.position, e))?;
            next.kind = Kind::Pattern;
            next.payload = Payload::Pattern(compiled);
        }
    }
    Ok(())
}

/// How many compiled patterns each thread keeps; `when` conditions repeat a lot (one per loop
/// item), and compiling a regex costs far more than evaluating the condition.
const REGEX_CACHE_SIZE: usize = 256;

thread_local! {
    static REGEX_CACHE: std::cell::RefCell<std::collections::HashMap<String, Arc<Regex>>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// Compiles `pattern`, reusing an earlier compilation on this thread.
pub(crate) fn cached_regex(pattern: &str) -> std::result::Result<Arc<Regex>, String> {
    if let Some(found) = REGEX_CACHE.with(|cache| cache.borrow().get(pattern).cloned()) {
        return Ok(found);
    }
    let compiled = Arc::new(Regex::new(pattern).map_err(|e| e.to_string())?);
    REGEX_CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        if cache.len() >= REGEX_CACHE_SIZE {
            cache.clear();
        }
        cache.insert(pattern.to_owned(), compiled.clone());
    });
    Ok(compiled)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(source: &str) -> std::result::Result<String, String> {
        parse(source)
            .and_then(|e| e.evaluate())
            .map(|v| v.to_string())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn arithmetic_is_left_associative_after_the_mirror() {
        assert_eq!(eval("10 - 4 - 3"), Ok("3".into()));
        assert_eq!(eval("2 * 3 - 4 * 5 - 6"), Ok("-20".into()));
        assert_eq!(eval("100 / 10 / 5"), Ok("2".into()));
        assert_eq!(eval("1 - 2 + 3 - 4 + 5"), Ok("3".into()));
    }

    #[test]
    fn double_prefixes_fail_as_in_govaluate() {
        assert!(eval("!!true").is_err());
        assert!(eval("- -1").is_err());
        assert_eq!(eval("!(!true)"), Ok("true".into()));
    }

    #[test]
    fn ternaries_and_coalescing_work() {
        assert_eq!(eval("true ? 1 : 2"), Ok("1".into()));
        assert_eq!(eval("false ? 1 : 2"), Ok("2".into()));
        assert_eq!(eval("(false ? 1) ?? 3"), Ok("3".into()));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = format!("{}1{}", "(".repeat(5000), ")".repeat(5000));
        assert!(parse(&deep).is_err());
    }
}
