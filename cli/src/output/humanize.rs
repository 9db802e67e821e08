//! Human-readable times as Argo prints them (go-humanize magnitudes): short durations (`5s`,
//! `3m`, `2h`, `4d`) for tables and trees, long ones (`1 minute 5 seconds`) and timestamps
//! with a relative part (`Mon Nov 02 10:00:00 +0000 (5 minutes ago)`) for headers.
//! Must not: read the clock; `now` is always passed in.

use jiff::{SignedDuration, Timestamp, tz::TimeZone};

const SECOND: i64 = 1;
const MINUTE: i64 = 60;
const HOUR: i64 = 3600;
const DAY: i64 = 24 * HOUR;
const WEEK: i64 = 7 * DAY;
const MONTH: i64 = 30 * DAY;
const YEAR: i64 = 12 * MONTH;
const LONG_TIME: i64 = 37 * YEAR;

/// One row of a magnitude table: below `below` seconds, print `format` with the count divided
/// by `divide` (`None` when the format holds no count).
struct Magnitude {
    below: i64,
    format: &'static str,
    divide: Option<i64>,
}

const fn m(below: i64, format: &'static str, divide: Option<i64>) -> Magnitude {
    Magnitude {
        below,
        format,
        divide,
    }
}

const SHORT: [Magnitude; 9] = [
    m(SECOND, "0s", None),
    m(2 * SECOND, "1s", None),
    m(MINUTE, "{}s", Some(SECOND)),
    m(2 * MINUTE, "1m", None),
    m(HOUR, "{}m", Some(MINUTE)),
    m(2 * HOUR, "1h", None),
    m(DAY, "{}h", Some(HOUR)),
    m(2 * DAY, "1d", None),
    m(WEEK, "{}d", Some(DAY)),
];

const LONG: [Magnitude; 17] = [
    m(SECOND, "0 seconds", None),
    m(2 * SECOND, "1 second", None),
    m(MINUTE, "{} seconds", Some(SECOND)),
    m(2 * MINUTE, "1 minute", None),
    m(HOUR, "{} minutes", Some(MINUTE)),
    m(2 * HOUR, "1 hour", None),
    m(DAY, "{} hours", Some(HOUR)),
    m(2 * DAY, "1 day", None),
    m(WEEK, "{} days", Some(DAY)),
    m(2 * WEEK, "1 week", None),
    m(MONTH, "{} weeks", Some(WEEK)),
    m(2 * MONTH, "1 month", None),
    m(YEAR, "{} months", Some(MONTH)),
    m(18 * MONTH, "1 year", None),
    m(2 * YEAR, "2 years", None),
    m(LONG_TIME, "{} years", Some(YEAR)),
    m(i64::MAX, "a long while", None),
];

fn relative(seconds: i64, table: &[Magnitude]) -> String {
    let seconds = seconds.abs();
    let index = table
        .iter()
        .position(|row| row.below > seconds)
        .unwrap_or(table.len() - 1);
    let row = &table[index];
    match row.divide {
        Some(divide) => row.format.replace("{}", &(seconds / divide).to_string()),
        None => row.format.to_owned(),
    }
}

/// The short duration between two times; an unfinished span runs to `now`.
pub fn short_between(
    start: Option<Timestamp>,
    finish: Option<Timestamp>,
    now: Timestamp,
) -> String {
    relative(span_seconds(start, finish, now), &SHORT)
}

/// Argo's long duration: one unit below a minute, then two units (`2 minutes 5 seconds`).
pub fn long(seconds: i64) -> String {
    let truncated = relative(seconds, &LONG);
    let seconds = seconds.abs();
    if seconds < MINUTE {
        truncated
    } else if seconds < HOUR {
        format!("{truncated} {} seconds", seconds % 60)
    } else if seconds < DAY {
        format!("{truncated} {} minutes", (seconds / MINUTE) % 60)
    } else {
        format!("{truncated} {} hours", (seconds / HOUR) % 24)
    }
}

/// The long duration between two times; an unfinished span runs to `now`.
pub fn long_between(start: Option<Timestamp>, finish: Option<Timestamp>, now: Timestamp) -> String {
    long(span_seconds(start, finish, now))
}

fn span_seconds(start: Option<Timestamp>, finish: Option<Timestamp>, now: Timestamp) -> i64 {
    match (start, finish) {
        (Some(start), finish) => finish.unwrap_or(now).duration_since(start).as_secs(),
        // Go subtracts zero times: an unstarted node reads as 0s.
        (None, None) => 0,
        (None, Some(_)) => SignedDuration::MAX.as_secs(),
    }
}

/// `Mon Jan 02 15:04:05 -0700 (5 minutes ago)` in `zone`.
pub fn timestamp(time: Timestamp, now: Timestamp, zone: &TimeZone) -> String {
    let zoned = time.to_zoned(zone.clone());
    let text = zoned.strftime("%a %b %d %H:%M:%S %z");
    let seconds = now.duration_since(time).as_secs();
    let ago = if seconds < SECOND && seconds > -SECOND {
        "now".to_owned()
    } else if seconds >= 0 {
        format!("{} ago", relative(seconds, &LONG))
    } else {
        format!("{} from now", relative(seconds, &LONG))
    };
    format!("{text} ({ago})")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> Timestamp {
        Timestamp::from_second(1_700_000_000 + seconds).unwrap()
    }

    #[test]
    fn short_durations_use_one_unit() {
        let cases = [
            (0, "0s"),
            (1, "1s"),
            (59, "59s"),
            (60, "1m"),
            (119, "1m"),
            (120, "2m"),
            (3600, "1h"),
            (86_399, "23h"),
            (86_400, "1d"),
            (10 * 86_400, "10d"),
        ];
        for (seconds, text) in cases {
            assert_eq!(relative(seconds, &SHORT), text, "{seconds}");
        }
    }

    #[test]
    fn long_durations_use_two_units_past_a_minute() {
        assert_eq!(long(0), "0 seconds");
        assert_eq!(long(1), "1 second");
        assert_eq!(long(42), "42 seconds");
        assert_eq!(long(65), "1 minute 5 seconds");
        assert_eq!(long(3 * 3600 + 120), "3 hours 2 minutes");
        assert_eq!(long(2 * 86_400 + 3600), "2 days 1 hours");
    }

    #[test]
    fn an_unfinished_span_runs_to_now_and_an_unstarted_one_is_zero() {
        assert_eq!(short_between(Some(at(0)), None, at(30)), "30s");
        assert_eq!(short_between(Some(at(0)), Some(at(5)), at(500)), "5s");
        assert_eq!(short_between(None, None, at(5)), "0s");
    }

    #[test]
    fn timestamps_say_how_long_ago() {
        let text = timestamp(at(0), at(300), &TimeZone::UTC);
        assert_eq!(text, "Tue Nov 14 22:13:20 +0000 (5 minutes ago)");
        assert!(timestamp(at(0), at(0), &TimeZone::UTC).ends_with("(now)"));
    }
}
