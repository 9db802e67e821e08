//! Argo's duration strings (parsed by argo-core, errors worded like Go's) and Argo's
//! human-readable rendering for backoff messages.
//!
//! Must not: read clocks.

use jiff::SignedDuration;

use crate::error::{Error, Result};

/// Parses `"20"` (seconds) or a Go duration (`"1m30s"`, `"1.5h"`, `"250ms"`) with argo-core's
/// parser, reporting failures with Go's message.
pub fn parse_duration(text: &str) -> Result<SignedDuration> {
    let text = text.trim();
    argo_core::parse_duration_or_seconds(text)
        .map_err(|_| Error::msg(format!("time: invalid duration \"{text}\"")))
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
