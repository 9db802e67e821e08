//! Go's `time.ParseDuration` grammar (`1h30m`, `1.5s`, `-2ms`), with Go's error wording, for
//! the `@every` cron descriptor.
//!
//! Must not: round-trip or format durations; only parsing is needed here.

/// Parses a Go duration into nanoseconds.
pub fn parse_go_duration(text: &str) -> Result<i128, String> {
    let invalid = || format!("time: invalid duration {text:?}");
    let mut rest = text;
    let negative = rest.starts_with('-');
    if let Some(stripped) = rest.strip_prefix('-').or_else(|| rest.strip_prefix('+')) {
        rest = stripped;
    }
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number = &rest[..number_len];
        if number.is_empty() || number == "." || number.matches('.').count() > 1 {
            return Err(invalid());
        }
        rest = &rest[number_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        let scale: f64 = match unit {
            "" => return Err(format!("time: missing unit in duration {text:?}")),
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            other => return Err(format!("time: unknown unit {other:?} in duration {text:?}")),
        };
        let value: f64 = number.parse().map_err(|_| invalid())?;
        total += value * scale;
    }
    if total > i64::MAX as f64 {
        return Err(invalid());
    }
    let nanos = total as i128;
    Ok(if negative { -nanos } else { nanos })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations_parse() {
        assert_eq!(parse_go_duration("1h30m"), Ok(5_400_000_000_000));
        assert_eq!(parse_go_duration("1.5s"), Ok(1_500_000_000));
        assert_eq!(parse_go_duration("0"), Ok(0));
    }

    #[test]
    fn bad_durations_use_go_wording() {
        assert_eq!(
            parse_go_duration("5"),
            Err("time: missing unit in duration \"5\"".to_owned())
        );
        assert_eq!(
            parse_go_duration("5 minutes"),
            Err("time: unknown unit \" minutes\" in duration \"5 minutes\"".to_owned())
        );
        assert!(parse_go_duration("").is_err());
    }
}
