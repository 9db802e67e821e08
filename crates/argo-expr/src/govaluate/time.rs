//! Date recognition in govaluate string literals.
//!
//! Role: govaluate turns a quoted string into a time (compared as Unix seconds) when it parses
//! with one of a fixed list of Go layouts. This module implements just those layouts with Go's
//! `time.Parse` rules that matter (fixed-width fields, optional fractional seconds after the
//! seconds, range checks). Times without a zone are read as UTC (the controller's local zone).
//! Must not: read the clock; a bare clock time (`3:04PM`) is on 0000-01-01 as in Go.

const LAYOUTS: &[&str] = &[
    "Mon Jan _2 15:04:05 2006",
    "Mon Jan _2 15:04:05 MST 2006",
    "Mon Jan 02 15:04:05 -0700 2006",
    "3:04PM",
    "2006-01-02T15:04:05Z07:00",
    "2006-01-02T15:04:05.999999999Z07:00",
    "2006-01-02",
    "2006-01-02 15:04",
    "2006-01-02 15:04:05",
    "2006-01-02 15:04:05-07:00",
    "2006-01-02T15Z0700",
    "2006-01-02T15:04Z0700",
    "2006-01-02T15:04:05Z0700",
    "2006-01-02T15:04:05.999999999Z0700",
];

const ELEMENTS: &[&str] = &[
    ".999999999",
    "Z07:00",
    "Z0700",
    "-07:00",
    "-0700",
    "2006",
    "MST",
    "Mon",
    "Jan",
    "PM",
    "01",
    "02",
    "_2",
    "15",
    "04",
    "05",
    "3",
];

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/// Unix seconds of `text` if it matches one of govaluate's layouts.
pub(crate) fn parse_time(text: &str) -> Option<f64> {
    LAYOUTS.iter().find_map(|layout| parse_layout(layout, text))
}

#[derive(Default)]
struct Fields {
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
    pm: Option<bool>,
    offset_seconds: i64,
}

fn parse_layout(layout: &str, text: &str) -> Option<f64> {
    let mut fields = Fields {
        month: 1,
        day: 1,
        ..Fields::default()
    };
    let mut layout = layout;
    let mut value = text;
    while !layout.is_empty() {
        let Some(element) = ELEMENTS.iter().find(|e| layout.starts_with(**e)) else {
            let c = layout.chars().next()?;
            value = value.strip_prefix(c)?;
            layout = &layout[c.len_utf8()..];
            continue;
        };
        layout = &layout[element.len()..];
        value = match *element {
            "2006" => take_fixed(value, 4, &mut fields.year)?,
            "01" => take_fixed(value, 2, &mut fields.month)?,
            "02" => take_fixed(value, 2, &mut fields.day)?,
            "_2" => take_number(value.strip_prefix(' ').unwrap_or(value), &mut fields.day)?,
            "15" | "3" => take_number(value, &mut fields.hour)?,
            "04" => take_fixed(value, 2, &mut fields.minute)?,
            "05" => {
                let rest = take_fixed(value, 2, &mut fields.second)?;
                skip_fraction(rest)
            }
            ".999999999" => skip_fraction(value),
            "PM" => {
                let (pm, rest) = match value.get(..2)? {
                    "PM" => (true, &value[2..]),
                    "AM" => (false, &value[2..]),
                    _ => return None,
                };
                fields.pm = Some(pm);
                rest
            }
            "Mon" => take_name(value, &DAYS)?.1,
            "Jan" => {
                let (index, rest) = take_name(value, &MONTHS)?;
                fields.month = i64::try_from(index).ok()? + 1;
                rest
            }
            "MST" => {
                let letters = value.bytes().take_while(u8::is_ascii_uppercase).count();
                if letters < 3 {
                    return None;
                }
                &value[letters..]
            }
            zone => take_zone(value, zone, &mut fields.offset_seconds)?,
        };
    }
    if !value.is_empty() {
        return None;
    }
    to_unix(&fields)
}

fn take_fixed<'a>(value: &'a str, width: usize, out: &mut i64) -> Option<&'a str> {
    let digits = value.get(..width)?;
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    *out = digits.parse().ok()?;
    Some(&value[width..])
}

fn take_number<'a>(value: &'a str, out: &mut i64) -> Option<&'a str> {
    let width = value.bytes().take(2).take_while(u8::is_ascii_digit).count();
    if width == 0 {
        return None;
    }
    *out = value[..width].parse().ok()?;
    Some(&value[width..])
}

fn skip_fraction(value: &str) -> &str {
    let bytes = value.as_bytes();
    if bytes.len() >= 2 && (bytes[0] == b'.' || bytes[0] == b',') && bytes[1].is_ascii_digit() {
        let digits = bytes[1..].iter().take_while(|b| b.is_ascii_digit()).count();
        return &value[1 + digits..];
    }
    value
}

fn take_name<'a>(value: &'a str, names: &[&str]) -> Option<(usize, &'a str)> {
    let head = value.get(..3)?;
    let index = names.iter().position(|n| n.eq_ignore_ascii_case(head))?;
    Some((index, &value[3..]))
}

fn take_zone<'a>(value: &'a str, zone: &str, offset: &mut i64) -> Option<&'a str> {
    if zone.starts_with('Z')
        && let Some(rest) = value.strip_prefix('Z')
    {
        *offset = 0;
        return Some(rest);
    }
    let sign = match value.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let (mut hours, mut minutes) = (0, 0);
    let rest = take_fixed(&value[1..], 2, &mut hours)?;
    let rest = match zone.contains(':') {
        true => take_fixed(rest.strip_prefix(':')?, 2, &mut minutes)?,
        false => take_fixed(rest, 2, &mut minutes)?,
    };
    *offset = sign * (hours * 3600 + minutes * 60);
    Some(rest)
}

fn to_unix(f: &Fields) -> Option<f64> {
    let mut hour = f.hour;
    match f.pm {
        Some(pm) => {
            if !(0..=12).contains(&hour) {
                return None;
            }
            if pm && hour < 12 {
                hour += 12;
            } else if !pm && hour == 12 {
                hour = 0;
            }
        }
        None if !(0..24).contains(&hour) => return None,
        None => {}
    }
    if !(1..=12).contains(&f.month) || !(0..60).contains(&f.minute) || !(0..60).contains(&f.second)
    {
        return None;
    }
    if f.day < 1 || f.day > days_in_month(f.year, f.month) {
        return None;
    }
    let days = days_from_civil(f.year, f.month, f.day);
    let seconds = days * 86_400 + hour * 3600 + f.minute * 60 + f.second - f.offset_seconds;
    Some(seconds as f64)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times_in_govaluate_layouts_parse() {
        assert_eq!(parse_time("1970-01-02"), Some(86_400.0));
        assert_eq!(parse_time("2024-02-29 00:00:00"), Some(1_709_164_800.0));
        assert_eq!(
            parse_time("2024-02-29T01:00:00+01:00"),
            Some(1_709_164_800.0)
        );
        assert_eq!(parse_time("2024-02-29T00:00:00.5Z"), Some(1_709_164_800.0));
        assert_eq!(
            parse_time("Thu Feb 29 00:00:00 2024"),
            Some(1_709_164_800.0)
        );
        assert!(parse_time("3:04PM").is_some());
    }

    #[test]
    fn malformed_dates_are_plain_strings() {
        assert_eq!(parse_time("2023-02-29"), None);
        assert_eq!(parse_time("2024-1-01"), None);
        assert_eq!(parse_time("heads"), None);
        assert_eq!(parse_time("2024-01-01 25:00"), None);
    }
}
