//! DAG `depends` expressions (`a && (b.Failed || c.Skipped)`), and the equivalent expression
//! Argo derives from `dependencies` (each dependency must be Succeeded, Skipped or Daemoned,
//! or Failed/Errored when it continues on those).
//!
//! This is a narrow adapter kept in the engine until `argo-expr` exposes a `depends` module;
//! it parses and evaluates only what `depends` allows: task names, `.Result` suffixes, `!`,
//! `&&`, `||` and parentheses.
//! Must not: know about nodes; callers pass each task's results.

use std::collections::HashMap;

use crate::error::{Error, Result};

/// What a dependency's node looks like for `depends`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TaskResults {
    pub succeeded: bool,
    pub failed: bool,
    pub errored: bool,
    pub skipped: bool,
    pub omitted: bool,
    pub daemoned: bool,
    pub any_succeeded: bool,
    pub all_failed: bool,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Name(String),
    And,
    Or,
    Not,
    Open,
    Close,
}

fn tokenize(text: &str) -> Result<Vec<Token>> {
    let mut tokens = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            ' ' | '\t' | '\n' | '\r' => i += 1,
            '(' => {
                tokens.push(Token::Open);
                i += 1;
            }
            ')' => {
                tokens.push(Token::Close);
                i += 1;
            }
            '!' => {
                tokens.push(Token::Not);
                i += 1;
            }
            '&' if chars.get(i + 1) == Some(&'&') => {
                tokens.push(Token::And);
                i += 2;
            }
            '|' if chars.get(i + 1) == Some(&'|') => {
                tokens.push(Token::Or);
                i += 2;
            }
            c if c.is_alphanumeric() || c == '-' || c == '_' || c == '.' => {
                let start = i;
                while i < chars.len()
                    && (chars[i].is_alphanumeric() || matches!(chars[i], '-' | '_' | '.'))
                {
                    i += 1;
                }
                tokens.push(Token::Name(chars[start..i].iter().collect()));
            }
            other => {
                return Err(Error::msg(format!(
                    "unexpected character {other:?} in depends expression '{text}'"
                )));
            }
        }
    }
    Ok(tokens)
}

const RESULTS: [&str; 8] = [
    "Succeeded",
    "Failed",
    "Errored",
    "Skipped",
    "Omitted",
    "Daemoned",
    "AnySucceeded",
    "AllFailed",
];

/// Splits `task.Result` into its parts (`task` alone has no result).
fn split_atom(atom: &str) -> (&str, Option<&str>) {
    match atom.rsplit_once('.') {
        Some((task, result)) if RESULTS.contains(&result) => (task, Some(result)),
        _ => (atom, None),
    }
}

/// The task names an expression depends on, in order of first appearance.
pub fn task_names(expression: &str) -> Result<Vec<String>> {
    let mut names = Vec::new();
    for token in tokenize(expression)? {
        if let Token::Name(atom) = token {
            let (task, _) = split_atom(&atom);
            if !names.iter().any(|n| n == task) {
                names.push(task.to_owned());
            }
        }
    }
    Ok(names)
}

/// The expression a bare task name stands for: `(t.Succeeded || t.Skipped || t.Daemoned)`
/// plus `t.Errored`/`t.Failed` when the task continues on them.
pub fn expand_dependency(task: &str, continue_error: bool, continue_failed: bool) -> String {
    let mut parts = vec![
        format!("{task}.Succeeded"),
        format!("{task}.Skipped"),
        format!("{task}.Daemoned"),
    ];
    if continue_error {
        parts.push(format!("{task}.Errored"));
    }
    if continue_failed {
        parts.push(format!("{task}.Failed"));
    }
    format!("({})", parts.join(" || "))
}

/// Evaluates an expression whose bare names were already expanded.
pub fn evaluate(expression: &str, results: &HashMap<String, TaskResults>) -> Result<bool> {
    let tokens = tokenize(expression)?;
    let mut parser = Parser {
        tokens: &tokens,
        pos: 0,
        results,
        source: expression,
    };
    let value = parser.or()?;
    if parser.pos != tokens.len() {
        return Err(parser.error("unexpected token"));
    }
    Ok(value)
}

struct Parser<'a> {
    tokens: &'a [Token],
    pos: usize,
    results: &'a HashMap<String, TaskResults>,
    source: &'a str,
}

impl Parser<'_> {
    fn error(&self, what: &str) -> Error {
        Error::msg(format!(
            "unable to evaluate expression '{}': {what}",
            self.source
        ))
    }

    fn or(&mut self) -> Result<bool> {
        let mut value = self.and()?;
        while self.tokens.get(self.pos) == Some(&Token::Or) {
            self.pos += 1;
            let rhs = self.and()?;
            value = value || rhs;
        }
        Ok(value)
    }

    fn and(&mut self) -> Result<bool> {
        let mut value = self.unary()?;
        while self.tokens.get(self.pos) == Some(&Token::And) {
            self.pos += 1;
            let rhs = self.unary()?;
            value = value && rhs;
        }
        Ok(value)
    }

    fn unary(&mut self) -> Result<bool> {
        match self.tokens.get(self.pos) {
            Some(Token::Not) => {
                self.pos += 1;
                Ok(!self.unary()?)
            }
            Some(Token::Open) => {
                self.pos += 1;
                let value = self.or()?;
                if self.tokens.get(self.pos) != Some(&Token::Close) {
                    return Err(self.error("missing ')'"));
                }
                self.pos += 1;
                Ok(value)
            }
            Some(Token::Name(atom)) => {
                self.pos += 1;
                let (task, result) = split_atom(atom);
                let Some(result) = result else {
                    return Err(self.error(&format!("'{atom}' has no task result")));
                };
                let Some(r) = self.results.get(task) else {
                    return Err(self.error(&format!("unknown task '{task}'")));
                };
                Ok(match result {
                    "Succeeded" => r.succeeded,
                    "Failed" => r.failed,
                    "Errored" => r.errored,
                    "Skipped" => r.skipped,
                    "Omitted" => r.omitted,
                    "Daemoned" => r.daemoned,
                    "AnySucceeded" => r.any_succeeded,
                    _ => r.all_failed,
                })
            }
            _ => Err(self.error("unexpected end")),
        }
    }
}

/// Replaces each bare task name in `expression` with its expansion.
pub fn expand_bare_names(expression: &str, expand: impl Fn(&str) -> String) -> Result<String> {
    let mut out = Vec::new();
    for token in tokenize(expression)? {
        out.push(match token {
            Token::Name(atom) => match split_atom(&atom) {
                (_, Some(_)) => atom,
                (task, None) => expand(task),
            },
            Token::And => "&&".to_owned(),
            Token::Or => "||".to_owned(),
            Token::Not => "!".to_owned(),
            Token::Open => "(".to_owned(),
            Token::Close => ")".to_owned(),
        });
    }
    Ok(out.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn results(pairs: &[(&str, TaskResults)]) -> HashMap<String, TaskResults> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect()
    }

    #[test]
    fn task_names_are_found_once_each() {
        assert_eq!(
            task_names("a && (b.Failed || a.Succeeded)").expect("names"),
            ["a", "b"]
        );
        assert_eq!(task_names("my-task.Succeeded").expect("names"), ["my-task"]);
    }

    #[test]
    fn expressions_evaluate_with_precedence_and_negation() {
        let ok = TaskResults {
            succeeded: true,
            ..TaskResults::default()
        };
        let failed = TaskResults {
            failed: true,
            ..TaskResults::default()
        };
        let r = results(&[("a", ok), ("b", failed)]);
        assert!(evaluate("a.Succeeded && b.Failed", &r).expect("eval"));
        assert!(!evaluate("a.Failed || b.Succeeded && a.Succeeded", &r).expect("eval"));
        assert!(evaluate("!(a.Failed)", &r).expect("eval"));
        assert!(evaluate("a.Succeeded && (", &r).is_err());
    }

    #[test]
    fn bare_names_expand_like_dependencies() {
        let expanded = expand_bare_names("a && b.Failed", |t| expand_dependency(t, false, true))
            .expect("expand");
        assert_eq!(
            expanded,
            "(a.Succeeded || a.Skipped || a.Daemoned || a.Failed) && b.Failed"
        );
    }
}
