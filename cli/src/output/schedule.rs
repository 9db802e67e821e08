//! The next time a cron schedule fires, for the NEXT RUN and NextScheduledTime columns of
//! `argo cron list/get`: standard five-field expressions (names, ranges, steps, lists, `?`),
//! the `@hourly`-style descriptors, `@every`, and `CRON_TZ=`/`TZ=` prefixes or a timezone.
//! Must not: schedule anything; it is display only, and an unparsable schedule gives `None`.

use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan as _};

const MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];
const DAYS: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/// One parsed field: which values match, and whether it was written as `*`/`?`.
struct Field {
    bits: u64,
    star: bool,
}

fn parse_field(text: &str, low: u32, high: u32, names: &[&str]) -> Option<Field> {
    let mut bits = 0u64;
    let star = text.starts_with('*') || text.starts_with('?');
    for part in text.split(',') {
        let (range, step) = match part.split_once('/') {
            Some((range, step)) => (range, step.parse::<u32>().ok().filter(|s| *s > 0)?),
            None => (part, 1),
        };
        let value = |t: &str| -> Option<u32> {
            let upper = t.to_ascii_uppercase();
            if let Some(i) = names.iter().position(|n| *n == upper) {
                return Some(low + u32::try_from(i).ok()?);
            }
            t.parse().ok()
        };
        let (start, end) = if range == "*" || range == "?" {
            (low, high)
        } else if let Some((a, b)) = range.split_once('-') {
            (value(a)?, value(b)?)
        } else {
            let v = value(range)?;
            (v, if part.contains('/') { high } else { v })
        };
        if start < low || end > high || start > end {
            return None;
        }
        let mut v = start;
        while v <= end {
            bits |= 1 << v;
            v += step;
        }
    }
    Some(Field { bits, star })
}

struct Schedule {
    minute: Field,
    hour: Field,
    dom: Field,
    month: Field,
    dow: Field,
}

impl Schedule {
    fn parse(text: &str) -> Option<Schedule> {
        let expanded = match text {
            "@yearly" | "@annually" => "0 0 1 1 *",
            "@monthly" => "0 0 1 * *",
            "@weekly" => "0 0 * * 0",
            "@daily" | "@midnight" => "0 0 * * *",
            "@hourly" => "0 * * * *",
            other => other,
        };
        let fields: Vec<&str> = expanded.split_whitespace().collect();
        let [minute, hour, dom, month, dow] = fields.as_slice() else {
            return None;
        };
        let mut dow = parse_field(dow, 0, 7, &DAYS)?;
        if dow.bits & (1 << 7) != 0 {
            dow.bits |= 1;
        }
        Some(Schedule {
            minute: parse_field(minute, 0, 59, &[])?,
            hour: parse_field(hour, 0, 23, &[])?,
            dom: parse_field(dom, 1, 31, &[])?,
            month: parse_field(month, 1, 12, &MONTHS)?,
            dow,
        })
    }

    fn day_matches(&self, at: DateTime) -> bool {
        let dom = self.dom.bits & (1 << at.day()) != 0;
        let weekday = at.weekday().to_sunday_zero_offset();
        let dow = self.dow.bits & (1 << weekday) != 0;
        let month = self.month.bits & (1 << at.month()) != 0;
        let day = if self.dom.star || self.dow.star {
            dom && dow
        } else {
            dom || dow
        };
        month && day
    }
}

/// The first firing strictly after `now`, in `zone` (IANA name; empty for UTC) unless the
/// schedule names its own with `CRON_TZ=`/`TZ=`.
pub fn next_run(schedule: &str, zone: &str, now: Timestamp) -> Option<Timestamp> {
    let zone = if zone.is_empty() {
        TimeZone::UTC
    } else {
        TimeZone::get(zone).ok()?
    };
    next_run_in(schedule, &zone, now)
}

/// As [`next_run`], with the default zone given as a `TimeZone` (a fixed offset included).
pub fn next_run_in(schedule: &str, zone: &TimeZone, now: Timestamp) -> Option<Timestamp> {
    let mut text = schedule.trim();
    let mut zone = zone.clone();
    for prefix in ["CRON_TZ=", "TZ="] {
        if let Some(rest) = text.strip_prefix(prefix) {
            let (name, rest) = rest.split_once(' ')?;
            zone = TimeZone::get(name).ok()?;
            text = rest.trim();
        }
    }
    if let Some(every) = text.strip_prefix("@every ") {
        let seconds = argo_core::parse_duration_or_seconds(every.trim())
            .ok()?
            .as_secs();
        return (seconds > 0).then(|| now + jiff::SignedDuration::from_secs(seconds));
    }
    next_in_zone(text, &zone, now)
}

/// The first firing of a plain expression (no `CRON_TZ=` prefix, no `@every`) strictly
/// after `now`, reading the expression on `zone`'s wall clock.
fn next_in_zone(text: &str, zone: &TimeZone, now: Timestamp) -> Option<Timestamp> {
    let parsed = Schedule::parse(text)?;
    let start = now.to_zoned(zone.clone()).datetime();
    let mut at = start
        .with()
        .second(0)
        .subsec_nanosecond(0)
        .build()
        .ok()?
        .checked_add(1.minute())
        .ok()?;
    // Five years covers every valid expression (29 February on a given weekday included).
    let limit = start.checked_add(5.years()).ok()?;
    while at < limit {
        if !parsed.day_matches(at) {
            at = at
                .date()
                .tomorrow()
                .ok()?
                .to_datetime(jiff::civil::time(0, 0, 0, 0));
            continue;
        }
        if parsed.hour.bits & (1 << at.hour()) == 0 {
            at = at
                .with()
                .minute(0)
                .build()
                .ok()?
                .checked_add(1.hour())
                .ok()?;
            continue;
        }
        if parsed.minute.bits & (1 << at.minute()) == 0 {
            at = at.checked_add(1.minute()).ok()?;
            continue;
        }
        return zone.to_timestamp(at).ok();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn standard_expressions_find_the_next_minute() {
        let now = at("2026-11-22T06:20:30Z");
        assert_eq!(
            next_run("* * * * *", "", now),
            Some(at("2026-11-22T06:21:00Z"))
        );
        assert_eq!(
            next_run("*/15 * * * *", "", now),
            Some(at("2026-11-22T06:30:00Z"))
        );
        assert_eq!(
            next_run("0 0 * * *", "", now),
            Some(at("2026-11-23T00:00:00Z"))
        );
        assert_eq!(
            next_run("@hourly", "", now),
            Some(at("2026-11-22T07:00:00Z"))
        );
        // 22 Nov 2026 is a Sunday; the next Monday at 09:00.
        assert_eq!(
            next_run("0 9 * * MON", "", now),
            Some(at("2026-11-23T09:00:00Z"))
        );
        assert_eq!(
            next_run("0 0 1 JAN *", "", now),
            Some(at("2027-01-01T00:00:00Z"))
        );
    }

    #[test]
    fn timezones_shift_the_wall_clock() {
        let now = at("2026-11-22T06:20:00Z");
        assert_eq!(
            next_run("CRON_TZ=America/New_York 0 2 * * *", "", now),
            Some(at("2026-11-22T07:00:00Z"))
        );
    }

    #[test]
    fn nonsense_gives_none() {
        let now = at("2026-11-22T06:20:00Z");
        assert_eq!(next_run("61 * * * *", "", now), None);
        assert_eq!(next_run("not a schedule", "", now), None);
        assert_eq!(next_run("0 0 31 2 *", "", now), None);
    }
}
