//! Go-like value conversion: the `%v` and `%q` renderings sprig produces with `fmt`, the
//! lenient number conversions of `spf13/cast` (`"12"` -> 12, `1.9` -> 1, `true` -> 1), Go's
//! type and kind names for JSON values, and sprig's notion of an empty value.
//! Must not: fail; every conversion here has a total Go answer (cast returns 0 on error).

use serde_json::{Number, Value};

/// The Go type Argo's expression engine would hold for `value`.
pub(crate) fn go_type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "<nil>",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float64",
        Value::Number(n) if n.as_i64().is_some() => "int",
        Value::Number(_) => "uint64",
        Value::String(_) => "string",
        Value::Array(_) => "[]interface {}",
        Value::Object(_) => "map[string]interface {}",
    }
}

/// The `reflect.Kind` name for `value`.
pub(crate) fn go_kind_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "invalid",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float64",
        Value::Number(n) if n.as_i64().is_some() => "int",
        Value::Number(_) => "uint64",
        Value::String(_) => "string",
        Value::Array(_) => "slice",
        Value::Object(_) => "map",
    }
}

/// A JSON number from a Go `float64`; non-finite results (which JSON cannot hold) are `null`.
pub(crate) fn float_value(f: f64) -> Value {
    Number::from_f64(f).map_or(Value::Null, Value::Number)
}

/// `cast.ToInt64`: numbers truncate, numeric strings parse (base prefixes honoured, as
/// `strconv.ParseInt(s, 0, 64)` does), booleans are 0/1, everything else is 0.
pub(crate) fn to_int64(value: &Value) -> i64 {
    match value {
        Value::Number(n) => match n.as_i64() {
            Some(i) => i,
            None => n
                .as_u64()
                .map_or_else(|| n.as_f64().map_or(0, float_to_int), |u| u as i64),
        },
        Value::String(s) => parse_go_int(trim_zero_decimal(s)).unwrap_or(0),
        Value::Bool(b) => i64::from(*b),
        _ => 0,
    }
}

/// Go's float-to-int conversion; out-of-range values saturate (Go leaves them unspecified).
pub(crate) fn float_to_int(f: f64) -> i64 {
    f as i64
}

/// `cast.ToFloat64`: numbers convert, strings parse with `strconv.ParseFloat`, booleans are
/// 0/1, everything else is 0.
pub(crate) fn to_float64(value: &Value) -> f64 {
    match value {
        Value::Number(n) => n.as_f64().unwrap_or(0.0),
        Value::String(s) => parse_go_float(s).unwrap_or(0.0),
        Value::Bool(b) => f64::from(u8::from(*b)),
        _ => 0.0,
    }
}

/// `strconv.ParseFloat(s, 64)` for the decimal forms (and `inf`/`nan`).
pub(crate) fn parse_go_float(s: &str) -> Option<f64> {
    let plain = s.trim_start_matches(['+', '-']);
    let ok_chars = plain
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'));
    let word = plain.to_ascii_lowercase();
    if !ok_chars && !matches!(word.as_str(), "inf" | "infinity" | "nan") {
        return None;
    }
    s.parse::<f64>().ok()
}

/// cast strips a trailing `.0…0` before parsing integers, so `"12.00"` is 12.
fn trim_zero_decimal(s: &str) -> &str {
    let Some(dot) = s.rfind('.') else { return s };
    let fraction = &s[dot + 1..];
    if !fraction.is_empty() && fraction.bytes().all(|b| b == b'0') {
        &s[..dot]
    } else {
        s
    }
}

/// `strconv.ParseInt(s, 0, 64)`: optional sign, `0x`/`0o`/`0b`/leading-`0` prefixes.
pub(crate) fn parse_go_int(s: &str) -> Option<i64> {
    let (negative, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let lower = body.to_ascii_lowercase();
    let (radix, digits, prefixed) = if let Some(rest) = lower.strip_prefix("0x") {
        (16, rest.to_string(), true)
    } else if let Some(rest) = lower.strip_prefix("0o") {
        (8, rest.to_string(), true)
    } else if let Some(rest) = lower.strip_prefix("0b") {
        (2, rest.to_string(), true)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, lower[1..].to_string(), true)
    } else {
        (10, lower.clone(), false)
    };
    let digits = if prefixed && digits.contains('_') {
        if digits.starts_with('_') || digits.ends_with('_') || digits.contains("__") {
            return None;
        }
        digits.replace('_', "")
    } else {
        digits
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = u64::from_str_radix(&digits, radix).ok()?;
    if negative {
        if magnitude <= i64::MAX as u64 + 1 {
            Some((magnitude as i128).wrapping_neg() as i64)
        } else {
            None
        }
    } else {
        i64::try_from(magnitude).ok()
    }
}

/// sprig's `empty`: nil, zero numbers, `false`, and empty strings, lists and maps.
pub(crate) fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
    }
}

/// sprig's `strval`, i.e. Go's `fmt.Sprintf("%v", v)` for the values expr produces.
pub(crate) fn strval(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => format_v(other),
    }
}

/// Go's `%v`.
pub(crate) fn format_v(value: &Value) -> String {
    match value {
        Value::Null => "<nil>".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => format_number_v(n),
        Value::String(s) => s.clone(),
        Value::Array(items) => {
            let inner: Vec<String> = items.iter().map(format_v).collect();
            format!("[{}]", inner.join(" "))
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let inner: Vec<String> = keys
                .iter()
                .map(|k| format!("{k}:{}", format_v(&map[k.as_str()])))
                .collect();
            format!("map[{}]", inner.join(" "))
        }
    }
}

fn format_number_v(n: &Number) -> String {
    if n.is_f64() {
        n.as_f64().map_or_else(String::new, format_float_g)
    } else {
        n.to_string()
    }
}

/// The shortest decimal digits of `f` (no sign) and the position of the decimal point:
/// `f == 0.d1d2…dn × 10^point`.
pub(crate) fn shortest_digits(f: f64) -> (String, i32) {
    let rendered = format!("{:e}", f.abs());
    let (mantissa, exponent) = rendered.split_once('e').unwrap_or((rendered.as_str(), "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let exponent: i32 = exponent.parse().unwrap_or(0);
    if digits.bytes().all(|b| b == b'0') {
        return ("0".to_string(), 1);
    }
    (digits, exponent + 1)
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 64)`, which `%v` uses for floats.
pub(crate) fn format_float_g(f: f64) -> String {
    if f.is_nan() {
        return "NaN".to_string();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf" } else { "-Inf" }.to_string();
    }
    let (digits, point) = shortest_digits(f);
    let sign = if f.is_sign_negative() && f != 0.0 {
        "-"
    } else {
        ""
    };
    let exponent = point - 1;
    // With the shortest representation Go switches to exponent form from 1e+06 on.
    if !(-4..6).contains(&exponent) {
        return format!("{sign}{}", exponent_form(&digits, exponent));
    }
    format!("{sign}{}", fixed_form(&digits, point))
}

/// `d.ddde±XX` with at least two exponent digits, as Go writes it.
pub(crate) fn exponent_form(digits: &str, exponent: i32) -> String {
    let (first, rest) = digits.split_at(1);
    let mantissa = if rest.is_empty() {
        first.to_string()
    } else {
        format!("{first}.{rest}")
    };
    let sign = if exponent < 0 { '-' } else { '+' };
    format!("{mantissa}e{sign}{:02}", exponent.abs())
}

/// Plain positional notation for `0.digits × 10^point`.
pub(crate) fn fixed_form(digits: &str, point: i32) -> String {
    if point <= 0 {
        return format!("0.{}{digits}", "0".repeat(point.unsigned_abs() as usize));
    }
    let point = point as usize;
    if digits.len() <= point {
        return format!("{digits}{}", "0".repeat(point - digits.len()));
    }
    format!("{}.{}", &digits[..point], &digits[point..])
}

/// Go's `strconv.Quote` (what `%q` does to a string).
pub(crate) fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if is_go_unprintable(c) => {
                if (c as u32) > 0xffff {
                    out.push_str(&format!("\\U{:08x}", c as u32));
                } else {
                    out.push_str(&format!("\\u{:04x}", c as u32));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// An approximation of `!unicode.IsPrint`: controls, separators other than the ASCII space,
/// and the formatting characters.
fn is_go_unprintable(c: char) -> bool {
    c.is_control()
        || (c.is_whitespace() && c != ' ')
        || matches!(c, '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{feff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_like_go_percent_v() {
        assert_eq!(format_float_g(1.5), "1.5");
        assert_eq!(format_float_g(1.0), "1");
        assert_eq!(format_float_g(123456.0), "123456");
        assert_eq!(format_float_g(1e6), "1e+06");
        assert_eq!(format_float_g(1234567.0), "1.234567e+06");
        assert_eq!(format_float_g(0.0001), "0.0001");
        assert_eq!(format_float_g(0.00001), "1e-05");
        assert_eq!(format_float_g(-2.5), "-2.5");
        assert_eq!(format_float_g(0.0), "0");
    }

    #[test]
    fn strings_convert_to_ints_like_cast() {
        assert_eq!(to_int64(&Value::from("12")), 12);
        assert_eq!(to_int64(&Value::from("12.00")), 12);
        assert_eq!(to_int64(&Value::from("12.5")), 0);
        assert_eq!(to_int64(&Value::from("0x1F")), 31);
        assert_eq!(to_int64(&Value::from("010")), 8);
        assert_eq!(to_int64(&Value::from(1.9)), 1);
        assert_eq!(to_int64(&Value::from(true)), 1);
        assert_eq!(to_int64(&Value::from("-9223372036854775808")), i64::MIN);
    }
}
