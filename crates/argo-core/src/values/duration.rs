//! Duration strings as Argo writes them: Go's `time.ParseDuration` syntax (`"1h30m"`,
//! `"1.5s"`, `"-2m"`) and Argo's variant where a bare integer means seconds (`suspend.duration`,
//! `backoff.duration`, ...). Fields stay strings in the model because they may be templated.
//!
//! Must not: read clocks.

use jiff::SignedDuration;

use crate::error::{Error, Result};

const NANOS_PER_UNIT: &[(&str, i128)] = &[
    ("ns", 1),
    ("us", 1_000),
    ("\u{b5}s", 1_000),
    ("\u{3bc}s", 1_000),
    ("ms", 1_000_000),
    ("s", 1_000_000_000),
    ("m", 60_000_000_000),
    ("h", 3_600_000_000_000),
];

fn invalid(text: &str) -> Error {
    Error::InvalidDuration {
        text: text.to_owned(),
    }
}

/// Parses Go's duration syntax: an optional sign, then one or more `<decimal><unit>` parts
/// (units ns, us, µs, ms, s, m, h); `"0"` alone is zero.
pub fn parse_go_duration(text: &str) -> Result<SignedDuration> {
    let (negative, mut rest) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if rest == "0" {
        return Ok(SignedDuration::ZERO);
    }
    if rest.is_empty() {
        return Err(invalid(text));
    }
    let mut total: i128 = 0;
    while !rest.is_empty() {
        let digits_end = rest
            .find(|c: char| !c.is_ascii_digit() && c != '.')
            .ok_or_else(|| invalid(text))?;
        let (number, after) = rest.split_at(digits_end);
        let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
        if whole.is_empty() && fraction.is_empty() {
            return Err(invalid(text));
        }
        let unit_end = after
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(after.len());
        let (unit, next) = after.split_at(unit_end);
        let scale = NANOS_PER_UNIT
            .iter()
            .find(|(name, _)| *name == unit)
            .map(|(_, scale)| *scale)
            .ok_or_else(|| invalid(text))?;
        total = total
            .checked_add(part_nanos(whole, fraction, scale).ok_or_else(|| invalid(text))?)
            .ok_or_else(|| invalid(text))?;
        rest = next;
    }
    let signed = if negative { -total } else { total };
    let nanos = i64::try_from(signed).map_err(|_| invalid(text))?;
    Ok(SignedDuration::from_nanos(nanos))
}

fn part_nanos(whole: &str, fraction: &str, scale: i128) -> Option<i128> {
    let mut nanos: i128 = 0;
    for digit in whole.bytes() {
        nanos = nanos
            .checked_mul(10)?
            .checked_add(i128::from(digit - b'0'))?;
    }
    nanos = nanos.checked_mul(scale)?;
    let mut divisor: i128 = 1;
    let mut fraction_value: i128 = 0;
    for digit in fraction.bytes().take(30) {
        divisor *= 10;
        fraction_value = fraction_value * 10 + i128::from(digit - b'0');
    }
    nanos.checked_add(fraction_value.checked_mul(scale)? / divisor)
}

/// Argo's duration fields: a bare integer is seconds, anything else Go's syntax.
pub fn parse_duration_or_seconds(text: &str) -> Result<SignedDuration> {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    let is_integer = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    if !is_integer {
        return parse_go_duration(text);
    }
    let seconds: i64 = text.parse().map_err(|_| invalid(text))?;
    seconds
        .checked_mul(1_000_000_000)
        .map(SignedDuration::from_nanos)
        .ok_or_else(|| invalid(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(text: &str) -> f64 {
        parse_go_duration(text).expect(text).as_secs_f64()
    }

    #[test]
    fn go_duration_syntax_is_parsed() {
        assert_eq!(secs("1h30m"), 5400.0);
        assert_eq!(secs("1.5s"), 1.5);
        assert_eq!(secs("-2m"), -120.0);
        assert_eq!(secs("300ms"), 0.3);
        assert_eq!(secs("0"), 0.0);
        assert_eq!(parse_go_duration("2us").expect("us").as_nanos(), 2000);
        assert_eq!(
            parse_go_duration("2\u{b5}s").expect("micro").as_nanos(),
            2000
        );
    }

    #[test]
    fn malformed_durations_are_errors() {
        for text in [
            "",
            "5",
            "1x",
            "h",
            "1.h2",
            ".",
            "-",
            "9999999999999h",
            "1h-2m",
        ] {
            assert!(parse_go_duration(text).is_err(), "{text:?} should fail");
        }
    }

    #[test]
    fn bare_integers_are_seconds_in_argo_fields() {
        let twenty = parse_duration_or_seconds("20").expect("seconds");
        assert_eq!(twenty.as_secs(), 20);
        assert_eq!(parse_duration_or_seconds("2m").expect("go").as_secs(), 120);
        assert!(parse_duration_or_seconds("soon").is_err());
    }
}
