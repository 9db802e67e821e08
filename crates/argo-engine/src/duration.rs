//! Argo's duration strings: a bare integer is seconds, otherwise a Go duration such as
//! `1h30m`, `2m`, `500ms`; and Argo's human-readable rendering for backoff messages.
//!
//! Must not: read clocks.

use jiff::SignedDuration;

use crate::error::{Error, Result};

/// Parses `"20"` (seconds) or a Go duration (`"1m30s"`, `"1.5h"`, `"250ms"`).
pub fn parse_duration(text: &str) -> Result<SignedDuration> {
    let text = text.trim();
    if let Ok(seconds) = text.parse::<i64>() {
        return Ok(SignedDuration::from_secs(seconds));
    }
    parse_go_duration(text).ok_or_else(|| Error::msg(format!("time: invalid duration \"{text}\"")))
}

fn parse_go_duration(text: &str) -> Option<SignedDuration> {
    let (negative, mut rest) = match text.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    if rest == "0" {
        return Some(SignedDuration::ZERO);
    }
    if rest.is_empty() {
        return None;
    }
    let mut total_nanos: f64 = 0.0;
    while !rest.is_empty() {
        let number_len = rest.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
        if number_len == 0 {
            return None;
        }
        let number: f64 = rest[..number_len].parse().ok()?;
        rest = &rest[number_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        let scale = match unit {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        total_nanos += number * scale;
    }
    let nanos = if negative { -total_nanos } else { total_nanos };
    if !nanos.is_finite() || nanos.abs() > 9.2e18 {
        return None;
    }
    Some(SignedDuration::from_nanos(nanos as i64))
}

/// Renders a duration as Argo's humanize does for messages: `2 seconds`, `1 minute`,
/// `1 minute 30 seconds`.
pub fn humanize(duration: SignedDuration) -> String {
    let total = duration.as_secs().max(0);
    let (hours, minutes, seconds) = (total / 3600, (total % 3600) / 60, total % 60);
    let part = |n: i64, unit: &str| {
        if n == 1 {
            format!("1 {unit}")
        } else {
            format!("{n} {unit}s")
        }
    };
    let mut parts = Vec::new();
    if hours > 0 {
        parts.push(part(hours, "hour"));
    }
    if minutes > 0 {
        parts.push(part(minutes, "minute"));
    }
    if seconds > 0 || parts.is_empty() {
        parts.push(part(seconds, "second"));
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_integers_are_seconds_and_go_durations_parse() {
        assert_eq!(
            parse_duration("20").expect("int"),
            SignedDuration::from_secs(20)
        );
        assert_eq!(
            parse_duration("1m30s").expect("go"),
            SignedDuration::from_secs(90)
        );
        assert_eq!(
            parse_duration("1.5h").expect("frac"),
            SignedDuration::from_secs(5400)
        );
        assert_eq!(
            parse_duration("250ms").expect("ms"),
            SignedDuration::from_millis(250)
        );
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("").is_err());
    }

    #[test]
    fn humanized_durations_read_like_argo_messages() {
        assert_eq!(humanize(SignedDuration::from_secs(2)), "2 seconds");
        assert_eq!(humanize(SignedDuration::from_secs(60)), "1 minute");
        assert_eq!(
            humanize(SignedDuration::from_secs(91)),
            "1 minute 31 seconds"
        );
    }
}
