//! Go's reference-time layouts (`2006-01-02T15:04:05Z07:00`, `Jan _2`, `.000`, `MST`…):
//! splitting a layout into elements and formatting a zoned time with it; `parsing` reads text
//! with a layout.
//! Must not: guess at layouts; text that does not match the layout is an error.

mod parsing;

pub(crate) use parsing::parse;

use jiff::Zoned;
use jiff::tz::TimeZone;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Element {
    LongMonth,
    Month,
    NumMonth,
    ZeroMonth,
    LongWeekDay,
    WeekDay,
    Day,
    UnderDay,
    ZeroDay,
    UnderYearDay,
    ZeroYearDay,
    Hour,
    Hour12,
    ZeroHour12,
    Minute,
    ZeroMinute,
    Second,
    ZeroSecond,
    LongYear,
    Year,
    PmUpper,
    PmLower,
    ZoneName,
    /// An offset: `z` prints Z for UTC, `colons` between parts, `parts` 1 (hh), 2 or 3.
    Offset {
        z: bool,
        colons: bool,
        parts: u8,
    },
    /// Fractional seconds: `digits` places, `trim` for the 9-form, and its separator.
    Fraction {
        digits: usize,
        trim: bool,
        separator: char,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Chunk {
    Literal(String),
    Element(Element),
}

const OFFSETS: &[(&str, bool, bool, u8)] = &[
    ("Z070000", true, false, 3),
    ("Z07:00:00", true, true, 3),
    ("Z0700", true, false, 2),
    ("Z07:00", true, true, 2),
    ("Z07", true, false, 1),
    ("-070000", false, false, 3),
    ("-07:00:00", false, true, 3),
    ("-0700", false, false, 2),
    ("-07:00", false, true, 2),
    ("-07", false, false, 1),
];

fn starts_lower(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_lowercase())
}

/// The element starting at `rest`, with its length in bytes.
fn element_at(rest: &str) -> Option<(Element, usize)> {
    use Element::*;
    let words: &[(&str, Element)] = &[
        ("January", LongMonth),
        ("Monday", LongWeekDay),
        ("2006", LongYear),
        ("002", ZeroYearDay),
        ("__2", UnderYearDay),
        ("_2", UnderDay),
        ("01", ZeroMonth),
        ("02", ZeroDay),
        ("03", ZeroHour12),
        ("04", ZeroMinute),
        ("05", ZeroSecond),
        ("06", Year),
        ("15", Hour),
        ("MST", ZoneName),
        ("PM", PmUpper),
        ("pm", PmLower),
    ];
    for (word, element) in words {
        // "_2006" is a literal underscore before the year.
        if *word == "_2" && rest.starts_with("_2006") {
            continue;
        }
        if rest.starts_with(word) {
            return Some((*element, word.len()));
        }
    }
    if rest.starts_with("Jan") && !starts_lower(&rest[3..]) {
        return Some((Month, 3));
    }
    if rest.starts_with("Mon") && !starts_lower(&rest[3..]) {
        return Some((WeekDay, 3));
    }
    for (text, z, colons, parts) in OFFSETS {
        if rest.starts_with(text) {
            let offset = Offset {
                z: *z,
                colons: *colons,
                parts: *parts,
            };
            return Some((offset, text.len()));
        }
    }
    let mut chars = rest.chars();
    let first = chars.next()?;
    if (first == '.' || first == ',') && matches!(chars.next(), Some('0' | '9')) {
        let repeated = rest.as_bytes()[1];
        let run = rest[1..].bytes().take_while(|&b| b == repeated).count();
        let after = rest.as_bytes().get(1 + run);
        if !after.is_some_and(u8::is_ascii_digit) {
            let fraction = Fraction {
                digits: run,
                trim: repeated == b'9',
                separator: first,
            };
            return Some((fraction, 1 + run));
        }
    }
    let single = match first {
        '1' => NumMonth,
        '2' => Day,
        '3' => Hour12,
        '4' => Minute,
        '5' => Second,
        _ => return None,
    };
    Some((single, 1))
}

fn chunks(layout: &str) -> Vec<Chunk> {
    let mut out = Vec::new();
    let mut literal = String::new();
    let mut rest = layout;
    while let Some(c) = rest.chars().next() {
        if let Some((element, len)) = element_at(rest) {
            if !literal.is_empty() {
                out.push(Chunk::Literal(std::mem::take(&mut literal)));
            }
            out.push(Chunk::Element(element));
            rest = &rest[len..];
        } else {
            literal.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    if !literal.is_empty() {
        out.push(Chunk::Literal(literal));
    }
    out
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

fn offset_text(seconds: i32, z: bool, colons: bool, parts: u8) -> String {
    if z && seconds == 0 {
        return "Z".to_string();
    }
    let sign = if seconds < 0 { '-' } else { '+' };
    let magnitude = seconds.unsigned_abs();
    let (h, m, s) = (magnitude / 3600, magnitude / 60 % 60, magnitude % 60);
    let separator = if colons { ":" } else { "" };
    match parts {
        1 => format!("{sign}{h:02}"),
        2 => format!("{sign}{h:02}{separator}{m:02}"),
        _ => format!("{sign}{h:02}{separator}{m:02}{separator}{s:02}"),
    }
}

/// The zone abbreviation Go would print: `UTC`, the zone database's name, or for fixed
/// offsets `+hhmm`.
fn zone_name(time: &Zoned) -> String {
    let tz = time.time_zone();
    let seconds = time.offset().seconds();
    if tz.iana_name().is_none() {
        return if seconds == 0 && *tz == TimeZone::UTC {
            "UTC".to_string()
        } else {
            offset_text(seconds, false, false, 2)
        };
    }
    let info = tz.to_offset_info(time.timestamp());
    info.abbreviation().to_string()
}

/// Formats `time` with Go layout `layout`.
pub(crate) fn format(time: &Zoned, layout: &str) -> String {
    use Element::*;
    let mut out = String::new();
    let hour12 = |h: i8| if h % 12 == 0 { 12 } else { h % 12 };
    for chunk in chunks(layout) {
        let element = match chunk {
            Chunk::Literal(text) => {
                out.push_str(&text);
                continue;
            }
            Chunk::Element(element) => element,
        };
        let piece = match element {
            LongMonth => MONTHS[time.month() as usize - 1].to_string(),
            Month => MONTHS[time.month() as usize - 1][..3].to_string(),
            NumMonth => time.month().to_string(),
            ZeroMonth => format!("{:02}", time.month()),
            LongWeekDay => DAYS[time.weekday().to_sunday_zero_offset() as usize].to_string(),
            WeekDay => DAYS[time.weekday().to_sunday_zero_offset() as usize][..3].to_string(),
            Day => time.day().to_string(),
            UnderDay => format!("{:>2}", time.day()),
            ZeroDay => format!("{:02}", time.day()),
            UnderYearDay => format!("{:>3}", time.day_of_year()),
            ZeroYearDay => format!("{:03}", time.day_of_year()),
            Hour => format!("{:02}", time.hour()),
            Hour12 => hour12(time.hour()).to_string(),
            ZeroHour12 => format!("{:02}", hour12(time.hour())),
            Minute => time.minute().to_string(),
            ZeroMinute => format!("{:02}", time.minute()),
            Second => time.second().to_string(),
            ZeroSecond => format!("{:02}", time.second()),
            LongYear => format!("{:04}", time.year()),
            Year => format!("{:02}", i32::from(time.year()).rem_euclid(100)),
            PmUpper => if time.hour() >= 12 { "PM" } else { "AM" }.to_string(),
            PmLower => if time.hour() >= 12 { "pm" } else { "am" }.to_string(),
            ZoneName => zone_name(time),
            Offset { z, colons, parts } => offset_text(time.offset().seconds(), z, colons, parts),
            Fraction {
                digits,
                trim,
                separator,
            } => {
                let nanos = format!("{:09}", time.subsec_nanosecond());
                let shown = &nanos[..digits.min(9)];
                let shown = if trim {
                    shown.trim_end_matches('0')
                } else {
                    shown
                };
                if shown.is_empty() {
                    String::new()
                } else {
                    format!("{separator}{shown}")
                }
            }
        };
        out.push_str(&piece);
    }
    out
}
