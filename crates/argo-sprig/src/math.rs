//! Integer and float arithmetic and number conversion (`add sub mul div mod max min`, the
//! `*f` float variants, `floor ceil round`, `seq until untilStep`, `atoi int int64 float64
//! toDecimal`). Integer functions convert their operands with `cast.ToInt64` and wrap on
//! overflow as Go's `int64` does; float functions go through `decimal` like sprig.
//! Must not: panic on division by zero or build unbounded lists; both are errors here.

use serde_json::Value;

use crate::Result;
use crate::arguments::Args;
use crate::conversion::{float_value, format_v, to_float64, to_int64};
use crate::decimal::Decimal;

fn int(i: i64) -> Result<Value> {
    Ok(Value::from(i))
}

pub(crate) fn atoi(args: &Args) -> Result<Value> {
    let s = args.str(0)?;
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    let valid = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    int(if valid { s.parse().unwrap_or(0) } else { 0 })
}

pub(crate) fn int64(args: &Args) -> Result<Value> {
    int(to_int64(args.value(0)))
}

pub(crate) fn float64(args: &Args) -> Result<Value> {
    Ok(float_value(to_float64(args.value(0))))
}

/// Reads `%v` of the value as an octal number (sprig's `toDecimal` for file modes).
pub(crate) fn to_decimal(args: &Args) -> Result<Value> {
    let text = format_v(args.value(0));
    let digits = text.strip_prefix(['+', '-']).unwrap_or(&text);
    if digits.is_empty() || !digits.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        return int(0);
    }
    int(i64::from_str_radix(&text, 8).unwrap_or(0))
}

pub(crate) fn add1(args: &Args) -> Result<Value> {
    int(to_int64(args.value(0)).wrapping_add(1))
}

pub(crate) fn add(args: &Args) -> Result<Value> {
    int(args.values.iter().map(to_int64).fold(0, i64::wrapping_add))
}

pub(crate) fn sub(args: &Args) -> Result<Value> {
    int(to_int64(args.value(0)).wrapping_sub(to_int64(args.value(1))))
}

pub(crate) fn mul(args: &Args) -> Result<Value> {
    int(args.values.iter().map(to_int64).fold(1, i64::wrapping_mul))
}

fn divisor(args: &Args) -> Result<i64> {
    match to_int64(args.value(1)) {
        0 => Err(args.invalid("integer divide by zero")),
        d => Ok(d),
    }
}

pub(crate) fn div(args: &Args) -> Result<Value> {
    int(to_int64(args.value(0)).wrapping_div(divisor(args)?))
}

pub(crate) fn modulo(args: &Args) -> Result<Value> {
    int(to_int64(args.value(0)).wrapping_rem(divisor(args)?))
}

pub(crate) fn max(args: &Args) -> Result<Value> {
    int(args.values.iter().map(to_int64).max().unwrap_or(0))
}

pub(crate) fn min(args: &Args) -> Result<Value> {
    int(args.values.iter().map(to_int64).min().unwrap_or(0))
}

/// Go's `math.Max`/`math.Min`: NaN wins.
fn go_extreme(values: &[Value], pick_larger: bool) -> f64 {
    let mut floats = values.iter().map(to_float64);
    let first = floats.next().unwrap_or(0.0);
    floats.fold(first, |acc, x| {
        if acc.is_nan() || x.is_nan() {
            f64::NAN
        } else if (x > acc) == pick_larger && x != acc {
            x
        } else {
            acc
        }
    })
}

pub(crate) fn maxf(args: &Args) -> Result<Value> {
    Ok(float_value(go_extreme(args.values, true)))
}

pub(crate) fn minf(args: &Args) -> Result<Value> {
    Ok(float_value(go_extreme(args.values, false)))
}

pub(crate) fn ceil(args: &Args) -> Result<Value> {
    Ok(float_value(to_float64(args.value(0)).ceil()))
}

pub(crate) fn floor(args: &Args) -> Result<Value> {
    Ok(float_value(to_float64(args.value(0)).floor()))
}

/// sprig's `round`: scales by 10^places and rounds up when the fraction reaches `round_on`
/// (0.5 unless given), which rounds negative halves down.
pub(crate) fn round(args: &Args) -> Result<Value> {
    let value = to_float64(args.value(0));
    let places = args.int(1)?;
    let round_on = if args.len() > 2 { args.float(2)? } else { 0.5 };
    let pow = 10f64.powf(places as f64);
    let digit = pow * value;
    let fraction = digit.fract();
    let rounded = if fraction >= round_on {
        digit.ceil()
    } else {
        digit.floor()
    };
    Ok(float_value(rounded / pow))
}

type DecimalOp = fn(Decimal, Decimal) -> Option<Decimal>;

/// Folds `rest` into `first` with a decimal operation, as sprig's `execDecimalOp`.
fn decimal_fold(
    args: &Args,
    first: &Value,
    rest: &[Value],
    op: DecimalOp,
    float_op: fn(f64, f64) -> f64,
) -> Result<Value> {
    let to_decimal = |v: &Value| {
        let f = to_float64(v);
        Decimal::from_f64(f)
            .ok_or_else(|| args.invalid(format!("cannot represent {f} as a decimal")))
    };
    let mut acc = to_decimal(first)?;
    let mut fallback: Option<f64> = None;
    for value in rest {
        let operand = to_decimal(value)?;
        if args.name == "divf" && operand.is_zero() {
            return Err(args.invalid("decimal division by 0"));
        }
        match fallback {
            Some(f) => fallback = Some(float_op(f, operand.to_f64())),
            None => match op(acc, operand) {
                Some(next) => acc = next,
                None => fallback = Some(float_op(acc.to_f64(), operand.to_f64())),
            },
        }
    }
    Ok(float_value(fallback.unwrap_or_else(|| acc.to_f64())))
}

pub(crate) fn add1f(args: &Args) -> Result<Value> {
    decimal_fold(
        args,
        args.value(0),
        &[Value::from(1)],
        Decimal::add,
        |a, b| a + b,
    )
}

pub(crate) fn addf(args: &Args) -> Result<Value> {
    decimal_fold(
        args,
        &Value::from(0.0),
        args.values,
        Decimal::add,
        |a, b| a + b,
    )
}

pub(crate) fn subf(args: &Args) -> Result<Value> {
    decimal_fold(args, args.value(0), args.rest(1), Decimal::sub, |a, b| {
        a - b
    })
}

pub(crate) fn mulf(args: &Args) -> Result<Value> {
    decimal_fold(args, args.value(0), args.rest(1), Decimal::mul, |a, b| {
        a * b
    })
}

pub(crate) fn divf(args: &Args) -> Result<Value> {
    decimal_fold(args, args.value(0), args.rest(1), Decimal::div, |a, b| {
        a / b
    })
}

/// sprig's `untilStep`: counts from `start` towards `stop` (exclusive) by `step`; a step
/// pointing away from `stop` gives nothing.
fn stepped(args: &Args, start: i64, stop: i64, step: i64) -> Result<Vec<i64>> {
    let (start, stop, step) = (i128::from(start), i128::from(stop), i128::from(step));
    let ascending = stop >= start;
    if (ascending && step <= 0) || (!ascending && step >= 0) {
        return Ok(Vec::new());
    }
    let span = (stop - start).abs();
    let count = (span + step.abs() - 1) / step.abs();
    args.check_size(count as u128)?;
    Ok((0..count).map(|i| (start + i * step) as i64).collect())
}

fn int_list(items: Vec<i64>) -> Value {
    Value::Array(items.into_iter().map(Value::from).collect())
}

pub(crate) fn until(args: &Args) -> Result<Value> {
    let count = args.int(0)?;
    let step = if count < 0 { -1 } else { 1 };
    Ok(int_list(stepped(args, 0, count, step)?))
}

pub(crate) fn until_step(args: &Args) -> Result<Value> {
    let (start, stop, step) = (args.int(0)?, args.int(1)?, args.int(2)?);
    Ok(int_list(stepped(args, start, stop, step)?))
}

/// `seq` like the Unix tool: `seq end`, `seq start end`, `seq start step end`, inclusive,
/// as a space-separated string.
pub(crate) fn seq(args: &Args) -> Result<Value> {
    let mut params = Vec::with_capacity(args.len());
    for i in 0..args.len() {
        params.push(args.int(i)?);
    }
    let numbers = match params[..] {
        [end] => {
            let step = if end < 1 { -1 } else { 1 };
            stepped(args, 1, end.wrapping_add(step), step)?
        }
        [start, end] => {
            let step = if end < start { -1 } else { 1 };
            stepped(args, start, end.wrapping_add(step), step)?
        }
        [start, step, end] => {
            let increment = if end < start { -1 } else { 1 };
            if end < start && step > 0 {
                Vec::new()
            } else {
                stepped(args, start, end.wrapping_add(increment), step)?
            }
        }
        _ => Vec::new(),
    };
    let rendered: Vec<String> = numbers.iter().map(i64::to_string).collect();
    Ok(Value::String(rendered.join(" ")))
}
