//! How Go prints numbers, where Argo's output depends on it.
//!
//! Role: Go's `encoding/json` float format (used for `{{=...}}` results and `toJson`) and
//! `fmt`'s `%v` (used by govaluate for string concatenation and error messages).
//! Must not: round or change values; both formats print the shortest round-tripping digits.

/// The shortest round-tripping decimal digits of a finite non-zero `f` and the power of ten
/// of the first digit (`1234.5` gives `("12345", 3)`).
fn shortest_digits(f: f64) -> (String, i32) {
    let text = format!("{:e}", f.abs());
    let (mantissa, exponent) = text.split_once('e').unwrap_or((text.as_str(), "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    (digits, exponent.parse().unwrap_or(0))
}

fn fixed(digits: &str, exponent: i32) -> String {
    let mut out = String::new();
    if exponent < 0 {
        out.push_str("0.");
        for _ in 0..(-exponent - 1) {
            out.push('0');
        }
        out.push_str(digits);
        return out;
    }
    let integer_len = usize::try_from(exponent).unwrap_or(0) + 1;
    if digits.len() <= integer_len {
        out.push_str(digits);
        for _ in digits.len()..integer_len {
            out.push('0');
        }
    } else {
        out.push_str(&digits[..integer_len]);
        out.push('.');
        out.push_str(&digits[integer_len..]);
    }
    out
}

fn scientific(digits: &str, exponent: i32, min_exponent_digits: usize) -> String {
    let mut out = String::new();
    out.push_str(&digits[..1]);
    if digits.len() > 1 {
        out.push('.');
        out.push_str(&digits[1..]);
    }
    out.push('e');
    out.push(if exponent < 0 { '-' } else { '+' });
    let magnitude = exponent.unsigned_abs().to_string();
    for _ in magnitude.len()..min_exponent_digits {
        out.push('0');
    }
    out.push_str(&magnitude);
    out
}

/// Go's `json.Marshal` text for a float64, or `None` for NaN and infinities (which Go refuses).
pub(crate) fn json_float(f: f64) -> Option<String> {
    if !f.is_finite() {
        return None;
    }
    if f == 0.0 {
        return Some(if f.is_sign_negative() { "-0" } else { "0" }.to_owned());
    }
    let (digits, exponent) = shortest_digits(f);
    let abs = f.abs();
    let body = if !(1e-6..1e21).contains(&abs) {
        scientific(&digits, exponent, 1)
    } else {
        fixed(&digits, exponent)
    };
    Some(if f < 0.0 { format!("-{body}") } else { body })
}

/// Go's `fmt` `%v` text for a float64 (`%g` with the shortest digits).
pub(crate) fn format_v_float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".to_owned();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf" } else { "-Inf" }.to_owned();
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0" } else { "0" }.to_owned();
    }
    let (digits, exponent) = shortest_digits(f);
    let body = if !(-4..6).contains(&exponent) {
        scientific(&digits, exponent, 2)
    } else {
        fixed(&digits, exponent)
    };
    if f < 0.0 { format!("-{body}") } else { body }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_floats_print_like_go() {
        let cases = [
            (1.0, "1"),
            (1.5, "1.5"),
            (-2.25, "-2.25"),
            (1e20, "100000000000000000000"),
            (1e21, "1e+21"),
            (0.000001, "0.000001"),
            (1.5e-7, "1.5e-7"),
            (123456789.0, "123456789"),
        ];
        for (value, text) in cases {
            assert_eq!(json_float(value).as_deref(), Some(text), "{value}");
        }
        assert_eq!(json_float(f64::NAN), None);
    }

    #[test]
    fn percent_v_floats_print_like_go() {
        let cases = [
            (1.0, "1"),
            (100000.0, "100000"),
            (1000000.0, "1e+06"),
            (1234567.0, "1.234567e+06"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (-3.5, "-3.5"),
            (f64::INFINITY, "+Inf"),
        ];
        for (value, text) in cases {
            assert_eq!(format_v_float(value), text, "{value}");
        }
    }
}
