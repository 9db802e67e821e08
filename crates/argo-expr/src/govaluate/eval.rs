//! Evaluating a planned govaluate tree.
//!
//! Role: walk the stage tree with govaluate's order (left first, then short-circuit checks,
//! then right), type checks and error messages, and Go's arithmetic (float64 everywhere,
//! bitwise operators through int64/uint64 conversions as on amd64).
//! Invariants: no parameters are ever bound (Argo evaluates with none), so a remaining variable
//! or accessor is an error, as in Argo. Never panics.
//! Must not: parse.

use std::sync::Arc;

use regex::Regex;

use super::planner::{Literal, Op, Plan};
use super::token::Symbol;
use crate::go_text::format_v_float;

/// A value govaluate computes with.
#[derive(Debug, Clone)]
pub enum GoValue {
    Nil,
    Bool(bool),
    Number(f64),
    String(String),
    Pattern(Arc<Regex>),
    Array(Vec<GoValue>),
}

impl std::fmt::Display for GoValue {
    /// Go's `%v`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GoValue::Nil => f.write_str("<nil>"),
            GoValue::Bool(b) => write!(f, "{b}"),
            GoValue::Number(n) => f.write_str(&format_v_float(*n)),
            GoValue::String(s) => f.write_str(s),
            GoValue::Pattern(p) => f.write_str(p.as_str()),
            GoValue::Array(items) => {
                f.write_str("[")?;
                for (n, item) in items.iter().enumerate() {
                    if n > 0 {
                        f.write_str(" ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
        }
    }
}

/// Go's `reflect.DeepEqual` over these values.
fn deep_equal(a: &GoValue, b: &GoValue) -> bool {
    match (a, b) {
        (GoValue::Nil, GoValue::Nil) => true,
        (GoValue::Bool(x), GoValue::Bool(y)) => x == y,
        (GoValue::Number(x), GoValue::Number(y)) => x == y,
        (GoValue::String(x), GoValue::String(y)) => x == y,
        (GoValue::Pattern(x), GoValue::Pattern(y)) => x.as_str() == y.as_str(),
        (GoValue::Array(x), GoValue::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| deep_equal(a, b))
        }
        _ => false,
    }
}

/// Go's `==` on interface values (as `in` uses it).
fn interface_equal(a: &GoValue, b: &GoValue) -> Result<bool, String> {
    match (a, b) {
        (GoValue::Array(_), GoValue::Array(_)) => {
            Err("runtime error: comparing uncomparable type []interface {}".to_owned())
        }
        (GoValue::Pattern(_), GoValue::Pattern(_)) => Ok(false),
        _ => Ok(deep_equal(a, b)),
    }
}

const TWO_POW_63: f64 = 9_223_372_036_854_775_808.0;

/// Go's float64 to int64 conversion on amd64 (out of range and NaN give the minimum).
fn go_i64(f: f64) -> i64 {
    if f.is_nan() || !(-TWO_POW_63..TWO_POW_63).contains(&f) {
        i64::MIN
    } else {
        f as i64
    }
}

/// Go's float64 to uint64 conversion on amd64.
fn go_u64(f: f64) -> u64 {
    if f < TWO_POW_63 {
        u64::from_ne_bytes(go_i64(f).to_ne_bytes())
    } else {
        u64::from_ne_bytes(go_i64(f - TWO_POW_63).to_ne_bytes()) ^ (1 << 63)
    }
}

fn error_format(symbol: Symbol) -> &'static str {
    use Symbol::*;
    match symbol {
        Negate | Invert | BitwiseNot => "cannot be used with the prefix '{}'",
        Gt | Lt | Gte | Lte | Req | Nreq | In | Eq | Neq => {
            "cannot be used with the comparator '{}', it is not a number"
        }
        And | Or => "cannot be used with the logical operator '{}', it is not a bool",
        TernaryTrue | TernaryFalse | Coalesce => {
            "cannot be used with the ternary operator '{}', it is not a bool"
        }
        _ => "cannot be used with the modifier '{}', it is not a number",
    }
}

fn type_error(value: &GoValue, symbol: Symbol) -> String {
    format!(
        "Value '{value}' {}",
        error_format(symbol).replace("{}", symbol.text())
    )
}

fn is_number(v: &GoValue) -> bool {
    matches!(v, GoValue::Number(_))
}
fn is_string(v: &GoValue) -> bool {
    matches!(v, GoValue::String(_))
}
fn is_bool(v: &GoValue) -> bool {
    matches!(v, GoValue::Bool(_))
}

/// Checks operands the way govaluate's `findTypeChecks` does.
fn check_types(symbol: Symbol, left: &GoValue, right: &GoValue) -> Result<(), String> {
    use Symbol::*;
    let left_ok = |ok: bool| {
        if ok {
            Ok(())
        } else {
            Err(type_error(left, symbol))
        }
    };
    let right_ok = |ok: bool| {
        if ok {
            Ok(())
        } else {
            Err(type_error(right, symbol))
        }
    };
    match symbol {
        Gt | Lt | Gte | Lte => {
            left_ok((is_number(left) && is_number(right)) || (is_string(left) && is_string(right)))
        }
        Plus => {
            left_ok((is_number(left) && is_number(right)) || is_string(left) || is_string(right))
        }
        Req | Nreq => {
            left_ok(is_string(left))?;
            right_ok(matches!(right, GoValue::String(_) | GoValue::Pattern(_)))
        }
        And | Or => {
            left_ok(is_bool(left))?;
            right_ok(is_bool(right))
        }
        In => right_ok(matches!(right, GoValue::Array(_))),
        BitwiseAnd | BitwiseOr | BitwiseXor | LeftShift | RightShift | Minus | Multiply
        | Divide | Modulus | Exponent => {
            left_ok(is_number(left))?;
            right_ok(is_number(right))
        }
        Negate | BitwiseNot => right_ok(is_number(right)),
        Invert => right_ok(is_bool(right)),
        TernaryTrue => left_ok(is_bool(left)),
        _ => Ok(()),
    }
}

/// Evaluates `plan` with no parameters bound.
pub(crate) fn evaluate(plan: &Plan) -> Result<GoValue, String> {
    match plan.root {
        None => Ok(GoValue::Nil),
        Some(root) => evaluate_stage(plan, root),
    }
}

fn evaluate_stage(plan: &Plan, id: usize) -> Result<GoValue, String> {
    let stage = &plan.stages[id];
    let left = match stage.left {
        Some(left) => evaluate_stage(plan, left)?,
        None => GoValue::Nil,
    };
    let symbol = stage.op.symbol();
    let mut skip_right = false;
    match symbol {
        Symbol::And if matches!(left, GoValue::Bool(false)) => return Ok(GoValue::Bool(false)),
        Symbol::Or if matches!(left, GoValue::Bool(true)) => return Ok(GoValue::Bool(true)),
        Symbol::Coalesce if !matches!(left, GoValue::Nil) => return Ok(left),
        Symbol::TernaryTrue if matches!(left, GoValue::Bool(false)) => skip_right = true,
        Symbol::TernaryFalse if !matches!(left, GoValue::Nil) => skip_right = true,
        _ => {}
    }
    let right = match stage.right {
        Some(right) if !skip_right => evaluate_stage(plan, right)?,
        _ => GoValue::Nil,
    };
    if !skip_right {
        check_types(symbol, &left, &right)?;
    } else if symbol == Symbol::TernaryTrue && !is_bool(&left) {
        return Err(type_error(&left, symbol));
    }
    apply(&stage.op, left, right, skip_right)
}

fn number(v: &GoValue) -> f64 {
    match v {
        GoValue::Number(n) => *n,
        _ => f64::NAN,
    }
}

fn apply(op: &Op, left: GoValue, right: GoValue, skipped: bool) -> Result<GoValue, String> {
    use GoValue::{Bool, Number};
    let symbol = match op {
        Op::Literal(Literal::Number(n)) => return Ok(Number(*n)),
        Op::Literal(Literal::Bool(b)) => return Ok(Bool(*b)),
        Op::Literal(Literal::Text(s)) => return Ok(GoValue::String(s.clone())),
        Op::Literal(Literal::Pattern(p)) => return Ok(GoValue::Pattern(p.clone())),
        Op::Parameter(name) => return Err(format!("No parameter '{name}' found.")),
        Op::Accessor(path) => {
            return Err(format!(
                "No parameter '{}' found.",
                path.first().map_or("", String::as_str)
            ));
        }
        Op::Symbol(symbol) => *symbol,
    };
    let (l, r) = (number(&left), number(&right));
    Ok(match symbol {
        Symbol::Noop => right,
        Symbol::Eq => Bool(deep_equal(&left, &right)),
        Symbol::Neq => Bool(!deep_equal(&left, &right)),
        Symbol::Gt | Symbol::Lt | Symbol::Gte | Symbol::Lte => {
            let ordering = match (&left, &right) {
                (GoValue::String(a), GoValue::String(b)) => a.partial_cmp(b),
                _ => l.partial_cmp(&r),
            };
            Bool(match (symbol, ordering) {
                (_, None) => false,
                (Symbol::Gt, Some(o)) => o.is_gt(),
                (Symbol::Lt, Some(o)) => o.is_lt(),
                (Symbol::Gte, Some(o)) => o.is_ge(),
                (_, Some(o)) => o.is_le(),
            })
        }
        Symbol::Req | Symbol::Nreq => {
            let matched = regex_match(&left, &right)?;
            Bool(matched == (symbol == Symbol::Req))
        }
        Symbol::In => {
            let GoValue::Array(items) = &right else {
                return Ok(Bool(false));
            };
            let mut found = false;
            for item in items {
                if interface_equal(&left, item)? {
                    found = true;
                    break;
                }
            }
            Bool(found)
        }
        Symbol::And => Bool(matches!((&left, &right), (Bool(true), Bool(true)))),
        Symbol::Or => Bool(matches!(left, Bool(true)) || matches!(right, Bool(true))),
        Symbol::Plus if is_string(&left) || is_string(&right) => {
            GoValue::String(format!("{left}{right}"))
        }
        Symbol::Plus => Number(l + r),
        Symbol::Minus => Number(l - r),
        Symbol::Multiply => Number(l * r),
        Symbol::Divide => Number(l / r),
        Symbol::Modulus => Number(l % r),
        Symbol::Exponent => Number(l.powf(r)),
        Symbol::BitwiseAnd => Number((go_i64(l) & go_i64(r)) as f64),
        Symbol::BitwiseOr => Number((go_i64(l) | go_i64(r)) as f64),
        Symbol::BitwiseXor => Number((go_i64(l) ^ go_i64(r)) as f64),
        Symbol::LeftShift => Number(shift(go_u64(l), go_u64(r), true) as f64),
        Symbol::RightShift => Number(shift(go_u64(l), go_u64(r), false) as f64),
        Symbol::Negate => Number(-r),
        Symbol::Invert => Bool(!matches!(right, Bool(true))),
        Symbol::BitwiseNot => Number((!go_i64(r)) as f64),
        Symbol::TernaryTrue => {
            if matches!(left, Bool(true)) && !skipped {
                right
            } else {
                GoValue::Nil
            }
        }
        Symbol::TernaryFalse | Symbol::Coalesce => {
            if matches!(left, GoValue::Nil) {
                right
            } else {
                left
            }
        }
        Symbol::Separate => match left {
            GoValue::Array(mut items) => {
                items.push(right);
                GoValue::Array(items)
            }
            other => GoValue::Array(vec![other, right]),
        },
        Symbol::Value | Symbol::Literal | Symbol::Access => right,
    })
}

fn shift(value: u64, amount: u64, left: bool) -> u64 {
    let Ok(amount) = u32::try_from(amount) else {
        return 0;
    };
    if left {
        value.checked_shl(amount).unwrap_or(0)
    } else {
        value.checked_shr(amount).unwrap_or(0)
    }
}

fn regex_match(left: &GoValue, right: &GoValue) -> Result<bool, String> {
    let GoValue::String(text) = left else {
        return Ok(false);
    };
    match right {
        GoValue::Pattern(p) => Ok(p.is_match(text)),
        GoValue::String(pattern) => super::cached_regex(pattern)
            .map(|p| p.is_match(text))
            .map_err(|e| format!("Unable to compile regexp pattern '{pattern}': {e}")),
        _ => Ok(false),
    }
}
