//! Go's `time.Duration` text: `ParseDuration` (`1h30m`, `-1.5h`, `300ms`, `2us`) and
//! `Duration.String` (`1h30m0s`, `1.5s`, `300ms`, `0s`). Durations are nanoseconds in an i64.
//! Must not: accept units Go does not (days, weeks) or lose the sign.

const NANOS_PER_SECOND: u128 = 1_000_000_000;

fn unit_nanos(unit: &str) -> Option<u128> {
    Some(match unit {
        "ns" => 1,
        "us" | "µs" | "μs" => 1_000,
        "ms" => 1_000_000,
        "s" => NANOS_PER_SECOND,
        "m" => 60 * NANOS_PER_SECOND,
        "h" => 3_600 * NANOS_PER_SECOND,
        _ => return None,
    })
}

/// Go's `time.ParseDuration`; `None` where Go returns an error (including overflow).
pub(crate) fn parse_go_duration(text: &str) -> Option<i64> {
    let (negative, mut rest) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if rest == "0" {
        return Some(0);
    }
    if rest.is_empty() {
        return None;
    }
    let mut total: u128 = 0;
    while !rest.is_empty() {
        let int_end = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        let (int_part, after) = rest.split_at(int_end);
        let (frac_part, after) = match after.strip_prefix('.') {
            Some(frac) => {
                let frac_end = frac
                    .find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(frac.len());
                frac.split_at(frac_end)
            }
            None => ("", after),
        };
        if int_part.is_empty() && frac_part.is_empty() {
            return None;
        }
        let unit_end = after
            .find(|c: char| c == '.' || c.is_ascii_digit())
            .unwrap_or(after.len());
        let (unit, after) = after.split_at(unit_end);
        let scale = unit_nanos(unit)?;
        let whole: u128 = if int_part.is_empty() {
            0
        } else {
            int_part.parse().ok()?
        };
        let mut value = whole.checked_mul(scale)?;
        let mut divisor = 1u128;
        let mut fraction = 0u128;
        for digit in frac_part.bytes().take(30) {
            fraction = fraction * 10 + u128::from(digit - b'0');
            divisor *= 10;
        }
        value += fraction * scale / divisor;
        total = total.checked_add(value)?;
        if total > i64::MAX as u128 + u128::from(negative) {
            return None;
        }
        rest = after;
    }
    if negative {
        Some((total as i128).wrapping_neg() as i64)
    } else {
        i64::try_from(total).ok()
    }
}

/// The digits of `value / 10^places` with the fraction's trailing zeros dropped.
fn with_fraction(value: u128, places: u32) -> String {
    let scale = 10u128.pow(places);
    let (whole, fraction) = (value / scale, value % scale);
    if fraction == 0 {
        return whole.to_string();
    }
    let digits = format!("{fraction:0width$}", width = places as usize);
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

/// Go's `Duration.String`.
pub(crate) fn format_go_duration(nanos: i64) -> String {
    if nanos == 0 {
        return "0s".to_string();
    }
    let sign = if nanos < 0 { "-" } else { "" };
    let magnitude = u128::from(nanos.unsigned_abs());
    if magnitude < NANOS_PER_SECOND {
        let body = if magnitude < 1_000 {
            format!("{magnitude}ns")
        } else if magnitude < 1_000_000 {
            format!("{}µs", with_fraction(magnitude, 3))
        } else {
            format!("{}ms", with_fraction(magnitude, 6))
        };
        return format!("{sign}{body}");
    }
    let seconds_total = magnitude / NANOS_PER_SECOND;
    let seconds = with_fraction(magnitude % (60 * NANOS_PER_SECOND), 9);
    let minutes = (seconds_total / 60) % 60;
    let hours = seconds_total / 3_600;
    if hours > 0 {
        format!("{sign}{hours}h{minutes}m{seconds}s")
    } else if minutes > 0 {
        format!("{sign}{minutes}m{seconds}s")
    } else {
        format!("{sign}{seconds}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_like_go() {
        assert_eq!(parse_go_duration("1h30m"), Some(5_400 * 1_000_000_000));
        assert_eq!(parse_go_duration("-1.5h"), Some(-5_400 * 1_000_000_000));
        assert_eq!(parse_go_duration("300ms"), Some(300_000_000));
        assert_eq!(parse_go_duration("1d"), None);
        assert_eq!(parse_go_duration(""), None);
        assert_eq!(parse_go_duration("0"), Some(0));
        assert_eq!(parse_go_duration("3"), None);
    }

    #[test]
    fn durations_print_like_go() {
        assert_eq!(format_go_duration(5_400 * 1_000_000_000), "1h30m0s");
        assert_eq!(format_go_duration(1_500_000_000), "1.5s");
        assert_eq!(format_go_duration(300_000_000), "300ms");
        assert_eq!(format_go_duration(1_500), "1.5µs");
        assert_eq!(format_go_duration(-61 * 1_000_000_000), "-1m1s");
        assert_eq!(format_go_duration(i64::MIN), "-2562047h47m16.854775808s");
    }
}
