//! Go reference-time layouts (`Mon, 02 Jan 2006 15:04:05 MST`), as `argo cron backfill
//! --format` takes them: reading `--start`/`--end` with a layout, and printing times the way
//! Go's `time.Time.String` and `time.RFC1123` do.
//! Must not: guess a layout; a time that does not fit the layout is an error naming both.

use jiff::fmt::strtime::BrokenDownTime;
use jiff::tz::TimeZone;
use jiff::{Timestamp, Zoned};

/// Go's `time.RFC1123`, the default `--format`.
pub const RFC1123: &str = "Mon, 02 Jan 2006 15:04:05 MST";

const RFC3339: &str = "2006-01-02T15:04:05Z07:00";
const RFC3339_NANO: &str = "2006-01-02T15:04:05.999999999Z07:00";

/// Go layout elements and the strftime directive each becomes, longest first where one is
/// a prefix of another.
const ELEMENTS: [(&str, &str); 28] = [
    ("January", "%B"),
    ("Jan", "%b"),
    ("Monday", "%A"),
    ("Mon", "%a"),
    ("MST", "%Q"),
    ("2006", "%Y"),
    ("-07:00", "%:z"),
    ("-0700", "%z"),
    ("Z07:00", "%:z"),
    ("Z0700", "%z"),
    ("01", "%m"),
    ("02", "%d"),
    ("_2", "%e"),
    ("06", "%y"),
    ("15", "%H"),
    ("03", "%I"),
    ("04", "%M"),
    ("05", "%S"),
    ("PM", "%p"),
    ("pm", "%P"),
    (".000000000", "%.f"),
    (".999999999", "%.f"),
    (".000", "%.f"),
    ("1", "%-m"),
    ("2", "%-d"),
    ("3", "%-I"),
    ("4", "%-M"),
    ("5", "%-S"),
];

/// The strftime format that reads what a Go layout describes.
fn strtime_format(layout: &str) -> String {
    let mut format = String::new();
    let mut rest = layout;
    'scan: while let Some(c) = rest.chars().next() {
        for (element, directive) in ELEMENTS {
            if let Some(after) = rest.strip_prefix(element) {
                format.push_str(directive);
                rest = after;
                continue 'scan;
            }
        }
        if c == '%' {
            format.push_str("%%");
        } else {
            format.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    format
}

/// Reads `text` with a Go layout. A zone abbreviation that is no known zone gets a zero
/// offset (as Go does); a time without any zone is UTC.
pub fn parse(text: &str, layout: &str) -> Result<Zoned, String> {
    let fail = |reason: String| format!("parsing time {text:?} as {layout:?}: {reason}");
    if layout == RFC3339 || layout == RFC3339_NANO {
        let at: Timestamp = text.parse().map_err(|e| fail(format!("{e}")))?;
        return Ok(at.to_zoned(TimeZone::UTC));
    }
    let broken =
        BrokenDownTime::parse(strtime_format(layout), text).map_err(|e| fail(format!("{e}")))?;
    let zone = if let Some(offset) = broken.offset() {
        TimeZone::fixed(offset)
    } else if let Some(name) = broken.iana_time_zone() {
        TimeZone::get(name).unwrap_or(TimeZone::UTC)
    } else {
        TimeZone::UTC
    };
    let civil = broken.to_datetime().map_err(|e| fail(format!("{e}")))?;
    civil.to_zoned(zone).map_err(|e| fail(format!("{e}")))
}

/// A time as Go's `time.Time.String` prints it (`2024-01-02 03:00:00 +0000 UTC`).
pub fn go_string(at: &Zoned) -> String {
    at.strftime("%Y-%m-%d %H:%M:%S%.f %z %Z").to_string()
}

/// A time in Go's `time.RFC1123` layout (`Tue, 02 Jan 2024 03:00:00 UTC`).
pub fn rfc1123(at: &Zoned) -> String {
    at.strftime("%a, %d %b %Y %H:%M:%S %Z").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_layouts_become_strftime_formats() {
        assert_eq!(strtime_format(RFC1123), "%a, %d %b %Y %H:%M:%S %Q");
        assert_eq!(strtime_format("2006-01-02 15:04"), "%Y-%m-%d %H:%M");
        assert_eq!(
            strtime_format("1/2/06 3:04PM 100%"),
            "%-m/%-d/%y %-I:%M%p %-m00%%"
        );
    }

    #[test]
    fn rfc1123_times_read_with_their_zone() {
        let at = parse("Mon, 01 Jan 2024 00:00:00 UTC", RFC1123).unwrap();
        assert_eq!(at.timestamp(), "2024-01-01T00:00:00Z".parse().unwrap());
        assert_eq!(go_string(&at), "2024-01-01 00:00:00 +0000 UTC");
        assert_eq!(rfc1123(&at), "Mon, 01 Jan 2024 00:00:00 UTC");
        let offset = parse("2024-01-01 10:00 +0200", "2006-01-02 15:04 -0700").unwrap();
        assert_eq!(offset.timestamp(), "2024-01-01T08:00:00Z".parse().unwrap());
        let rfc3339 = parse("2024-01-01T10:00:00+02:00", RFC3339).unwrap();
        assert_eq!(rfc3339.timestamp(), offset.timestamp());
    }

    #[test]
    fn a_time_that_does_not_fit_names_the_text_and_layout() {
        let error = parse("yesterday", RFC1123).unwrap_err();
        assert!(
            error.starts_with("parsing time \"yesterday\" as \"Mon, 02 Jan 2006 15:04:05 MST\": "),
            "{error}"
        );
        assert!(parse("2024-13-01", "2006-01-02").is_err());
    }
}
