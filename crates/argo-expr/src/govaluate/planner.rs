//! govaluate's stage planner.
//!
//! Role: build the evaluation tree the way govaluate does: one right-recursive descent per
//! precedence level, then a pass that mirrors chains of same-precedence stages down the right
//! spine so that they evaluate left to right. Reproducing the mirror (rather than writing a
//! textbook parser) keeps govaluate's observable quirks, e.g. `!!true` and `- -1` fail, and
//! trailing tokens after a closing parenthesis are ignored.
//! Invariants: stages live in an arena and refer to each other by index; never panics.
//! Must not: evaluate (see `eval`) or lex.

use std::sync::Arc;

use regex::Regex;

use super::token::{Kind, Payload, Symbol, Token};

/// What a stage does; swapped as a whole when chains are mirrored.
#[derive(Debug, Clone)]
pub(crate) enum Op {
    Symbol(Symbol),
    Literal(Literal),
    Parameter(String),
    Accessor(Vec<String>),
}

impl Op {
    pub(crate) fn symbol(&self) -> Symbol {
        match self {
            Op::Symbol(symbol) => *symbol,
            Op::Literal(_) => Symbol::Literal,
            Op::Parameter(_) => Symbol::Value,
            Op::Accessor(_) => Symbol::Access,
        }
    }
}

/// A literal value in the tree.
#[derive(Debug, Clone)]
pub(crate) enum Literal {
    Number(f64),
    Bool(bool),
    Text(String),
    Pattern(Arc<Regex>),
}

#[derive(Debug, Clone)]
pub(crate) struct Stage {
    pub(crate) op: Op,
    pub(crate) left: Option<usize>,
    pub(crate) right: Option<usize>,
}

/// The planned tree.
#[derive(Debug, Clone, Default)]
pub(crate) struct Plan {
    pub(crate) stages: Vec<Stage>,
    pub(crate) root: Option<usize>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Level {
    Separator,
    Ternary,
    LogicalOr,
    LogicalAnd,
    Comparator,
    Bitwise,
    Shift,
    Additive,
    Multiplicative,
    Exponential,
    Prefix,
}

impl Level {
    fn next(self) -> Option<Level> {
        Some(match self {
            Level::Separator => Level::Ternary,
            Level::Ternary => Level::LogicalOr,
            Level::LogicalOr => Level::LogicalAnd,
            Level::LogicalAnd => Level::Comparator,
            Level::Comparator => Level::Bitwise,
            Level::Bitwise => Level::Shift,
            Level::Shift => Level::Additive,
            Level::Additive => Level::Multiplicative,
            Level::Multiplicative => Level::Exponential,
            Level::Exponential | Level::Prefix => return None,
        })
    }

    fn accepts(self, token: &Token) -> Option<Symbol> {
        let Payload::Symbol(symbol) = token.payload else {
            return (self == Level::Separator && token.kind == Kind::Separator)
                .then_some(Symbol::Separate);
        };
        use Symbol::*;
        let ok = match self {
            Level::Separator => false,
            Level::Ternary => token.kind == Kind::Ternary,
            Level::LogicalOr => token.kind == Kind::LogicalOp && symbol == Or,
            Level::LogicalAnd => token.kind == Kind::LogicalOp && symbol == And,
            Level::Comparator => token.kind == Kind::Comparator,
            Level::Bitwise => {
                token.kind == Kind::Modifier
                    && matches!(symbol, BitwiseAnd | BitwiseOr | BitwiseXor)
            }
            Level::Shift => {
                token.kind == Kind::Modifier && matches!(symbol, LeftShift | RightShift)
            }
            Level::Additive => token.kind == Kind::Modifier && matches!(symbol, Plus | Minus),
            Level::Multiplicative => {
                token.kind == Kind::Modifier && matches!(symbol, Multiply | Divide | Modulus)
            }
            Level::Exponential => token.kind == Kind::Modifier && symbol == Exponent,
            Level::Prefix => token.kind == Kind::Prefix,
        };
        ok.then_some(symbol)
    }
}

/// Deepest nesting of precedence levels planned before giving up (keeps the stack bounded).
const MAX_DEPTH: usize = 1500;

struct Planner<'a> {
    tokens: &'a [Token],
    index: usize,
    stages: Vec<Stage>,
    depth: usize,
}

impl Planner<'_> {
    fn has_next(&self) -> bool {
        self.index < self.tokens.len()
    }

    fn next(&mut self) -> Option<&Token> {
        let token = self.tokens.get(self.index);
        self.index += 1;
        token
    }

    fn rewind(&mut self) {
        self.index = self.index.saturating_sub(1);
    }

    fn push(&mut self, op: Op, left: Option<usize>, right: Option<usize>) -> usize {
        self.stages.push(Stage { op, left, right });
        self.stages.len() - 1
    }

    fn plan_tokens(&mut self) -> Result<Option<usize>, String> {
        if !self.has_next() {
            return Ok(None);
        }
        self.plan_level(Level::Separator)
    }

    fn plan_level(&mut self, level: Level) -> Result<Option<usize>, String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err("expression is too deeply nested".to_owned());
        }
        let planned = self.plan_level_inner(level);
        self.depth -= 1;
        planned
    }

    fn plan_level_inner(&mut self, level: Level) -> Result<Option<usize>, String> {
        let left = match level.next() {
            Some(next) => self.plan_level(next)?,
            None if level == Level::Exponential => self.plan_accessor()?,
            None => None,
        };
        let tokens = self.tokens;
        if let Some(token) = tokens.get(self.index) {
            self.index += 1;
            if let Some(symbol) = level.accepts(token) {
                let right = match level {
                    Level::Prefix => self.plan_accessor()?,
                    _ => self.plan_level(level)?,
                };
                return Ok(Some(self.push(Op::Symbol(symbol), left, right)));
            }
        }
        // As in govaluate, this also steps back when the stream was already exhausted.
        self.rewind();
        Ok(left)
    }

    fn plan_accessor(&mut self) -> Result<Option<usize>, String> {
        let tokens = self.tokens;
        let Some(token) = tokens.get(self.index) else {
            self.index += 1;
            return Ok(None);
        };
        self.index += 1;
        let Payload::Path(path) = &token.payload else {
            self.rewind();
            return self.plan_value();
        };
        let mut arguments = None;
        if let Some(next) = self.next() {
            let is_call = next.kind == Kind::Clause;
            self.rewind();
            if is_call {
                arguments = self.plan_tokens()?;
            }
        }
        Ok(Some(self.push(Op::Accessor(path.clone()), None, arguments)))
    }

    fn plan_value(&mut self) -> Result<Option<usize>, String> {
        let tokens = self.tokens;
        let Some(token) = tokens.get(self.index) else {
            self.index += 1;
            return Ok(None);
        };
        self.index += 1;
        let op = match (token.kind, &token.payload) {
            (Kind::Clause, _) => {
                let inner = self.plan_tokens()?;
                self.next();
                return Ok(Some(self.push(Op::Symbol(Symbol::Noop), None, inner)));
            }
            (Kind::ClauseClose, _) => {
                self.rewind();
                return Ok(None);
            }
            (Kind::Prefix, _) => {
                self.rewind();
                return self.plan_level(Level::Prefix);
            }
            (Kind::Variable, Payload::Text(name)) => Op::Parameter(name.clone()),
            (Kind::Numeric | Kind::Time, Payload::Number(n)) => Op::Literal(Literal::Number(*n)),
            (Kind::String, Payload::Text(s)) => Op::Literal(Literal::Text(s.clone())),
            (Kind::Pattern, Payload::Pattern(p)) => Op::Literal(Literal::Pattern(p.clone())),
            (Kind::Boolean, Payload::Bool(b)) => Op::Literal(Literal::Bool(*b)),
            (kind, _) => {
                return Err(format!("Unable to plan token kind: '{}'", kind.name()));
            }
        };
        Ok(Some(self.push(op, None, None)))
    }
}

/// Plans `tokens` (already syntax-checked) into a tree.
pub(crate) fn plan(tokens: &[Token]) -> Result<Plan, String> {
    let mut planner = Planner {
        tokens,
        index: 0,
        stages: Vec::new(),
        depth: 0,
    };
    let root = planner.plan_tokens()?;
    let mut plan = Plan {
        stages: planner.stages,
        root,
    };
    if let Some(root) = root {
        reorder(&mut plan.stages, root, 0);
    }
    Ok(plan)
}

/// govaluate's `reorderStages`: mirror runs of equal precedence down the right spine.
fn reorder(stages: &mut [Stage], root: usize, depth: usize) {
    if depth > 10_000 {
        return;
    }
    let mut identical: Vec<usize> = Vec::new();
    let mut next = Some(root);
    let mut precedence = stages[root].op.symbol().precedence();
    while let Some(current) = next {
        next = stages[current].right;
        if let Some(left) = stages[current].left {
            reorder(stages, left, depth + 1);
        }
        let current_precedence = stages[current].op.symbol().precedence();
        if current_precedence == precedence {
            identical.push(current);
            continue;
        }
        if identical.len() > 1 {
            mirror(stages, &identical);
        }
        identical = vec![current];
        precedence = current_precedence;
    }
    if identical.len() > 1 {
        mirror(stages, &identical);
    }
}

fn mirror(stages: &mut [Stage], chain: &[usize]) {
    let n = chain.len();
    for &id in chain {
        let stage = &mut stages[id];
        std::mem::swap(&mut stage.left, &mut stage.right);
    }
    let (root, end) = (chain[0], chain[n - 1]);
    let carry = stages[end].left;
    stages[end].left = stages[root].right;
    stages[root].right = carry;
    for i in 0..((n - 2) / 2 + 1) {
        let (front, inverse) = (chain[i + 1], chain[n - i - 1]);
        let carry = stages[front].right;
        stages[front].right = stages[inverse].right;
        stages[inverse].right = carry;
    }
    for i in 0..n / 2 {
        let (front, inverse) = (chain[i], chain[n - i - 1]);
        let carry = stages[front].op.clone();
        stages[front].op = stages[inverse].op.clone();
        stages[inverse].op = carry;
    }
}
