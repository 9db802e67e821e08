//! Token and operator vocabulary of govaluate.
//!
//! Role: the token kinds, operator symbols, their precedence classes and the lexer-state table
//! that says which token kind may follow which (govaluate checks syntax with this table, not
//! with the parser).
//! Must not: hold behaviour beyond these tables.

use std::sync::Arc;

use regex::Regex;

/// A token's kind, as govaluate names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Unknown,
    Prefix,
    Numeric,
    Boolean,
    String,
    Pattern,
    Time,
    Variable,
    Function,
    Separator,
    Accessor,
    Comparator,
    LogicalOp,
    Modifier,
    Clause,
    ClauseClose,
    Ternary,
}

/// A token's value.
#[derive(Debug, Clone)]
pub enum Payload {
    None,
    Number(f64),
    Bool(bool),
    Text(String),
    Pattern(Arc<Regex>),
    Path(Vec<String>),
    Symbol(Symbol),
}

/// One token with the character offset it starts at.
#[derive(Debug, Clone)]
pub struct Token {
    pub kind: Kind,
    pub payload: Payload,
    pub position: usize,
}

/// Operator symbols (govaluate's `OperatorSymbol`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Symbol {
    Value,
    Literal,
    Noop,
    Eq,
    Neq,
    Gt,
    Lt,
    Gte,
    Lte,
    Req,
    Nreq,
    In,
    And,
    Or,
    Plus,
    Minus,
    BitwiseAnd,
    BitwiseOr,
    BitwiseXor,
    LeftShift,
    RightShift,
    Multiply,
    Divide,
    Modulus,
    Exponent,
    Negate,
    Invert,
    BitwiseNot,
    TernaryTrue,
    TernaryFalse,
    Coalesce,
    Access,
    Separate,
}

impl Symbol {
    /// The text govaluate prints for the symbol in error messages.
    pub fn text(self) -> &'static str {
        match self {
            Symbol::Noop => "NOOP",
            Symbol::Value => "VALUE",
            Symbol::Eq => "=",
            Symbol::Neq => "!=",
            Symbol::Gt => ">",
            Symbol::Lt => "<",
            Symbol::Gte => ">=",
            Symbol::Lte => "<=",
            Symbol::Req => "=~",
            Symbol::Nreq => "!~",
            Symbol::And => "&&",
            Symbol::Or => "||",
            Symbol::In => "in",
            Symbol::BitwiseAnd => "&",
            Symbol::BitwiseOr => "|",
            Symbol::BitwiseXor => "^",
            Symbol::LeftShift => "<<",
            Symbol::RightShift => ">>",
            Symbol::Plus => "+",
            Symbol::Minus | Symbol::Negate => "-",
            Symbol::Multiply => "*",
            Symbol::Divide => "/",
            Symbol::Modulus => "%",
            Symbol::Exponent => "**",
            Symbol::Invert => "!",
            Symbol::BitwiseNot => "~",
            Symbol::TernaryTrue => "?",
            Symbol::TernaryFalse => ":",
            Symbol::Coalesce => "??",
            Symbol::Literal | Symbol::Access | Symbol::Separate => "",
        }
    }

    /// The precedence class used when re-ordering same-precedence chains.
    pub fn precedence(self) -> u8 {
        match self {
            Symbol::Noop => 0,
            Symbol::Value | Symbol::Literal => 1,
            Symbol::Access => 2,
            Symbol::Negate | Symbol::Invert | Symbol::BitwiseNot => 3,
            Symbol::Exponent => 4,
            Symbol::Plus | Symbol::Minus => 5,
            Symbol::BitwiseAnd | Symbol::BitwiseOr | Symbol::BitwiseXor => 6,
            Symbol::LeftShift | Symbol::RightShift => 7,
            Symbol::Multiply | Symbol::Divide | Symbol::Modulus => 8,
            Symbol::Eq
            | Symbol::Neq
            | Symbol::Gt
            | Symbol::Lt
            | Symbol::Gte
            | Symbol::Lte
            | Symbol::Req
            | Symbol::Nreq
            | Symbol::In => 9,
            Symbol::TernaryTrue | Symbol::TernaryFalse | Symbol::Coalesce => 10,
            Symbol::And => 11,
            Symbol::Or => 12,
            Symbol::Separate => 13,
        }
    }
}

pub(crate) fn prefix_symbol(text: &str) -> Option<Symbol> {
    Some(match text {
        "-" => Symbol::Negate,
        "!" => Symbol::Invert,
        "~" => Symbol::BitwiseNot,
        _ => return None,
    })
}

pub(crate) fn modifier_symbol(text: &str) -> Option<Symbol> {
    Some(match text {
        "+" => Symbol::Plus,
        "-" => Symbol::Minus,
        "*" => Symbol::Multiply,
        "/" => Symbol::Divide,
        "%" => Symbol::Modulus,
        "**" => Symbol::Exponent,
        "&" => Symbol::BitwiseAnd,
        "|" => Symbol::BitwiseOr,
        "^" => Symbol::BitwiseXor,
        ">>" => Symbol::RightShift,
        "<<" => Symbol::LeftShift,
        _ => return None,
    })
}

pub(crate) fn logical_symbol(text: &str) -> Option<Symbol> {
    Some(match text {
        "&&" => Symbol::And,
        "||" => Symbol::Or,
        _ => return None,
    })
}

pub(crate) fn comparator_symbol(text: &str) -> Option<Symbol> {
    Some(match text {
        "==" => Symbol::Eq,
        "!=" => Symbol::Neq,
        ">" => Symbol::Gt,
        ">=" => Symbol::Gte,
        "<" => Symbol::Lt,
        "<=" => Symbol::Lte,
        "=~" => Symbol::Req,
        "!~" => Symbol::Nreq,
        "in" => Symbol::In,
        _ => return None,
    })
}

pub(crate) fn ternary_symbol(text: &str) -> Option<Symbol> {
    Some(match text {
        "?" => Symbol::TernaryTrue,
        ":" => Symbol::TernaryFalse,
        "??" => Symbol::Coalesce,
        _ => return None,
    })
}

/// Which kinds may follow a token of kind `after`, and whether an expression may end there.
pub(crate) fn may_follow(after: Kind, next: Kind) -> bool {
    use Kind::*;
    let allowed: &[Kind] = match after {
        Unknown => &[
            Prefix, Numeric, Boolean, Variable, Pattern, Function, Accessor, String, Time, Clause,
        ],
        Clause => &[
            Prefix,
            Numeric,
            Boolean,
            Variable,
            Pattern,
            Function,
            Accessor,
            String,
            Time,
            Clause,
            ClauseClose,
        ],
        ClauseClose => &[
            Comparator,
            Modifier,
            Numeric,
            Boolean,
            Variable,
            String,
            Pattern,
            Time,
            Clause,
            ClauseClose,
            LogicalOp,
            Ternary,
            Separator,
        ],
        Numeric | Boolean | String | Variable => &[
            Modifier,
            Comparator,
            LogicalOp,
            ClauseClose,
            Ternary,
            Separator,
        ],
        Time | Pattern => &[Modifier, Comparator, LogicalOp, ClauseClose, Separator],
        Modifier => &[
            Prefix,
            Numeric,
            Variable,
            Function,
            Accessor,
            String,
            Boolean,
            Clause,
            ClauseClose,
        ],
        Comparator => &[
            Prefix,
            Numeric,
            Boolean,
            Variable,
            Function,
            Accessor,
            String,
            Time,
            Clause,
            ClauseClose,
            Pattern,
        ],
        LogicalOp => &[
            Prefix,
            Numeric,
            Boolean,
            Variable,
            Function,
            Accessor,
            String,
            Time,
            Clause,
            ClauseClose,
        ],
        Prefix => &[
            Numeric,
            Boolean,
            Variable,
            Function,
            Accessor,
            Clause,
            ClauseClose,
        ],
        Ternary => &[
            Prefix, Numeric, Boolean, String, Time, Variable, Function, Accessor, Clause, Separator,
        ],
        Function => &[Clause],
        Accessor => &[
            Clause,
            Modifier,
            Comparator,
            LogicalOp,
            ClauseClose,
            Ternary,
            Separator,
        ],
        Separator => &[
            Prefix, Numeric, Boolean, String, Time, Variable, Function, Accessor, Clause,
        ],
    };
    allowed.contains(&next)
}

/// Whether an expression may end after a token of this kind.
pub(crate) fn may_end_after(kind: Kind) -> bool {
    use Kind::*;
    matches!(
        kind,
        ClauseClose | Numeric | Boolean | String | Time | Pattern | Variable | Accessor
    )
}

impl Kind {
    /// govaluate's name for the kind, used in error messages.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Unknown => "UNKNOWN",
            Kind::Prefix => "PREFIX",
            Kind::Numeric => "NUMERIC",
            Kind::Boolean => "BOOLEAN",
            Kind::String => "STRING",
            Kind::Pattern => "PATTERN",
            Kind::Time => "TIME",
            Kind::Variable => "VARIABLE",
            Kind::Function => "FUNCTION",
            Kind::Separator => "SEPARATOR",
            Kind::Accessor => "ACCESSOR",
            Kind::Comparator => "COMPARATOR",
            Kind::LogicalOp => "LOGICALOP",
            Kind::Modifier => "MODIFIER",
            Kind::Clause => "CLAUSE",
            Kind::ClauseClose => "CLAUSE_CLOSE",
            Kind::Ternary => "TERNARY",
        }
    }
}
