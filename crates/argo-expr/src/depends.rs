//! DAG `depends` expressions.
//!
//! Role: parse `task`, `task.Result`, `!`, `&&`, `||` and parentheses; list the tasks referenced
//! (with whether a task's children matter, for `AnySucceeded`/`AllFailed`); evaluate against the
//! caller's view of each dependency. A bare `task` means `Succeeded || Skipped || Daemoned`, plus
//! `Errored`/`Failed` when the dependency has `continueOn.error`/`continueOn.failed`, as Argo
//! expands it. Task names are `[A-Za-z0-9][-A-Za-z0-9]*`; Argo evaluates them with dashes
//! turned into underscores, which is invisible here because `_` is not allowed in task names.
//! Legacy `dependencies: [a, b]` is [`Depends::from_dependencies`].
//! Invariants: never panics; nesting is bounded so evaluation cannot overflow the stack.
//! Must not: know about node phases beyond [`TaskState`].

use crate::error::{Error, Result};

/// The results a `task.<Result>` reference may test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TaskResult {
    Succeeded,
    Failed,
    Errored,
    Skipped,
    Omitted,
    Daemoned,
    AnySucceeded,
    AllFailed,
}

impl TaskResult {
    /// Parses the word after the dot.
    pub fn parse(word: &str) -> Option<Self> {
        Some(match word {
            "Succeeded" => Self::Succeeded,
            "Failed" => Self::Failed,
            "Errored" => Self::Errored,
            "Skipped" => Self::Skipped,
            "Omitted" => Self::Omitted,
            "Daemoned" => Self::Daemoned,
            "AnySucceeded" => Self::AnySucceeded,
            "AllFailed" => Self::AllFailed,
            _ => return None,
        })
    }

    /// Whether the result is about a task group's children (the task expands `withItems`).
    pub fn concerns_children(self) -> bool {
        matches!(self, Self::AnySucceeded | Self::AllFailed)
    }
}

/// What the engine knows about one finished dependency.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TaskState {
    pub succeeded: bool,
    pub failed: bool,
    pub errored: bool,
    pub skipped: bool,
    pub omitted: bool,
    /// Daemoned and past Pending.
    pub daemoned: bool,
    /// For a task group: some child succeeded.
    pub any_succeeded: bool,
    /// For a task group with children: every child failed.
    pub all_failed: bool,
    /// The dependency's `continueOn.failed`.
    pub continue_on_failed: bool,
    /// The dependency's `continueOn.error`.
    pub continue_on_error: bool,
}

impl TaskState {
    fn test(&self, result: Option<TaskResult>) -> bool {
        match result {
            None => {
                self.succeeded
                    || self.skipped
                    || self.daemoned
                    || (self.continue_on_error && self.errored)
                    || (self.continue_on_failed && self.failed)
            }
            Some(TaskResult::Succeeded) => self.succeeded,
            Some(TaskResult::Failed) => self.failed,
            Some(TaskResult::Errored) => self.errored,
            Some(TaskResult::Skipped) => self.skipped,
            Some(TaskResult::Omitted) => self.omitted,
            Some(TaskResult::Daemoned) => self.daemoned,
            Some(TaskResult::AnySucceeded) => self.any_succeeded,
            Some(TaskResult::AllFailed) => self.all_failed,
        }
    }
}

/// One `task` or `task.Result` in an expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub task: String,
    pub result: Option<TaskResult>,
    /// Byte offset in the expression.
    pub position: usize,
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Ref(usize),
    Not(Box<Node>),
    All(Vec<Node>),
    Any(Vec<Node>),
}

/// A parsed `depends` expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Depends {
    references: Vec<Reference>,
    root: Node,
}

/// Deepest nesting of parentheses and `!` accepted.
const MAX_NESTING: usize = 256;

/// Parses a `depends` expression.
pub fn parse(src: &str) -> Result<Depends> {
    let tokens = lex(src)?;
    let mut parser = Parser {
        src,
        tokens,
        index: 0,
        references: Vec::new(),
        nesting: 0,
    };
    let root = parser.any()?;
    if let Some((_, position)) = parser.tokens.get(parser.index) {
        return Err(parser.error(*position, "unexpected token"));
    }
    Ok(Depends {
        references: parser.references,
        root,
    })
}

impl Depends {
    /// The legacy `dependencies: [a, b]` form: every task, bare, joined with `&&`.
    pub fn from_dependencies<S: AsRef<str>>(tasks: &[S]) -> Self {
        let references: Vec<Reference> = tasks
            .iter()
            .map(|task| Reference {
                task: task.as_ref().to_owned(),
                result: None,
                position: 0,
            })
            .collect();
        let root = Node::All((0..references.len()).map(Node::Ref).collect());
        Self { references, root }
    }

    /// Task names referenced, each once, in order of first appearance.
    pub fn tasks(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for reference in &self.references {
            if !names.contains(&reference.task) {
                names.push(reference.task.clone());
            }
        }
        names
    }

    /// Every reference, in order.
    pub fn references(&self) -> &[Reference] {
        &self.references
    }

    /// Whether the task named `task` is referenced with `AnySucceeded` or `AllFailed` (Argo
    /// then waits for the whole task group).
    pub fn concerns_children(&self, task: &str) -> bool {
        self.references
            .iter()
            .any(|r| r.task == task && r.result.is_some_and(TaskResult::concerns_children))
    }

    /// Evaluates the expression; `state` is asked about each referenced task.
    pub fn evaluate(&self, state: &dyn Fn(&str) -> TaskState) -> bool {
        self.eval(&self.root, state)
    }

    fn eval(&self, node: &Node, state: &dyn Fn(&str) -> TaskState) -> bool {
        match node {
            Node::Ref(index) => self
                .references
                .get(*index)
                .is_some_and(|r| state(&r.task).test(r.result)),
            Node::Not(inner) => !self.eval(inner, state),
            Node::All(items) => items.iter().all(|item| self.eval(item, state)),
            Node::Any(items) => items.iter().any(|item| self.eval(item, state)),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Name(String, Option<TaskResult>),
    And,
    Or,
    Not,
    Open,
    Close,
}

fn lex(src: &str) -> Result<Vec<(Tok, usize)>> {
    let fail = |position: usize, message: String| Error::Depends {
        expression: src.to_owned(),
        position,
        message,
    };
    let bytes = src.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let token = match bytes[i] {
            b if b.is_ascii_whitespace() => {
                i += 1;
                continue;
            }
            b'&' if bytes.get(i + 1) == Some(&b'&') => Tok::And,
            b'|' if bytes.get(i + 1) == Some(&b'|') => Tok::Or,
            b'!' => Tok::Not,
            b'(' => Tok::Open,
            b')' => Tok::Close,
            b if b.is_ascii_alphanumeric() => {
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'-') {
                    i += 1;
                }
                let name = src[start..i].to_owned();
                let mut result = None;
                if bytes.get(i) == Some(&b'.') {
                    let word_start = i + 1;
                    i = word_start;
                    while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                        i += 1;
                    }
                    let word = &src[word_start..i];
                    result = Some(TaskResult::parse(word).ok_or_else(|| {
                        fail(
                            word_start,
                            format!("task result '{word}' for task '{name}' is invalid"),
                        )
                    })?);
                }
                tokens.push((Tok::Name(name, result), start));
                continue;
            }
            _ => {
                let c = src[i..].chars().next().unwrap_or('?');
                return Err(fail(i, format!("unexpected character {c:?}")));
            }
        };
        i += match token {
            Tok::And | Tok::Or => 2,
            _ => 1,
        };
        tokens.push((token, start));
    }
    Ok(tokens)
}

struct Parser<'a> {
    src: &'a str,
    tokens: Vec<(Tok, usize)>,
    index: usize,
    references: Vec<Reference>,
    nesting: usize,
}

impl Parser<'_> {
    fn error(&self, position: usize, message: &str) -> Error {
        Error::Depends {
            expression: self.src.to_owned(),
            position,
            message: message.to_owned(),
        }
    }

    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.index).map(|(t, _)| t)
    }

    fn position(&self) -> usize {
        self.tokens
            .get(self.index)
            .map_or(self.src.len(), |(_, p)| *p)
    }

    fn any(&mut self) -> Result<Node> {
        let mut items = vec![self.all()?];
        while self.peek() == Some(&Tok::Or) {
            self.index += 1;
            items.push(self.all()?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Node::Any(items)
        })
    }

    fn all(&mut self) -> Result<Node> {
        let mut items = vec![self.unary()?];
        while self.peek() == Some(&Tok::And) {
            self.index += 1;
            items.push(self.unary()?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Node::All(items)
        })
    }

    fn unary(&mut self) -> Result<Node> {
        self.nesting += 1;
        if self.nesting > MAX_NESTING {
            return Err(self.error(self.position(), "expression is too deeply nested"));
        }
        let node = self.unary_inner();
        self.nesting -= 1;
        node
    }

    fn unary_inner(&mut self) -> Result<Node> {
        let position = self.position();
        match self.tokens.get(self.index).cloned() {
            Some((Tok::Not, _)) => {
                self.index += 1;
                Ok(Node::Not(Box::new(self.unary()?)))
            }
            Some((Tok::Open, _)) => {
                self.index += 1;
                let inner = self.any()?;
                if self.peek() != Some(&Tok::Close) {
                    return Err(self.error(self.position(), "expected ')'"));
                }
                self.index += 1;
                Ok(inner)
            }
            Some((Tok::Name(task, result), _)) => {
                self.index += 1;
                self.references.push(Reference {
                    task,
                    result,
                    position,
                });
                Ok(Node::Ref(self.references.len() - 1))
            }
            Some(_) => Err(self.error(position, "expected a task name, '!' or '('")),
            None => Err(self.error(position, "unexpected end of expression")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tasks_are_listed_once_in_order() {
        let depends =
            parse("(a-1.Succeeded || b) && !a-1.Failed && c.AnySucceeded").expect("parses");
        assert_eq!(depends.tasks(), ["a-1", "b", "c"]);
        assert!(depends.concerns_children("c"));
        assert!(!depends.concerns_children("b"));
    }

    #[test]
    fn unknown_results_and_stray_characters_are_errors() {
        assert!(parse("a.Foo").is_err());
        assert!(parse("a.succeeded").is_err());
        assert!(parse("a_b").is_err());
        assert!(parse("a &&").is_err());
        assert!(parse("").is_err());
    }
}
