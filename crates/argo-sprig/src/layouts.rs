//! Go's reference-time layouts (`2006-01-02T15:04:05Z07:00`, `Jan _2`, `.000`, `MST`…):
//! splitting a layout into elements, formatting a zoned time with it, and parsing text with it.
//! Must not: guess at layouts; text that does not match the layout is an error.

use jiff::Zoned;
use jiff::civil::DateTime;
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

/// What parsing has found so far; Go's defaults are year 0, January, day 1.
#[derive(Default)]
struct Fields {
    year: i32,
    month: Option<i64>,
    day: Option<i64>,
    year_day: Option<i64>,
    hour: i64,
    minute: i64,
    second: i64,
    nanos: i64,
    pm: Option<bool>,
    offset: Option<i32>,
}

/// Up to `max` leading digits (at least `min`) as a number, and the rest.
fn digits(value: &str, min: usize, max: usize) -> Result<(i64, &str), String> {
    let count = value
        .bytes()
        .take(max)
        .take_while(u8::is_ascii_digit)
        .count();
    if count < min {
        return Err(format!("cannot parse {value:?}"));
    }
    let number = value[..count]
        .parse()
        .map_err(|_| format!("cannot parse {value:?}"))?;
    Ok((number, &value[count..]))
}

fn in_range(value: i64, low: i64, high: i64, what: &str) -> Result<i64, String> {
    if (low..=high).contains(&value) {
        Ok(value)
    } else {
        Err(format!("{what} out of range"))
    }
}

/// The index of the name `value` starts with (ignoring case), and the rest.
fn lookup<'a>(value: &'a str, names: &[&str]) -> Result<(usize, &'a str), String> {
    for (i, name) in names.iter().enumerate() {
        if value.len() >= name.len()
            && value.is_char_boundary(name.len())
            && value[..name.len()].eq_ignore_ascii_case(name)
        {
            return Ok((i, &value[name.len()..]));
        }
    }
    Err(format!("cannot parse {value:?}"))
}

/// `.123` style fraction of `count` characters including the separator, as nanoseconds.
fn fraction(value: &str, count: usize) -> Result<(i64, &str), String> {
    let digits = value
        .get(1..count)
        .ok_or_else(|| format!("cannot parse {value:?}"))?;
    let mut nanos: i64 = 0;
    for (i, b) in digits.bytes().enumerate() {
        if !b.is_ascii_digit() {
            return Err(format!("cannot parse {value:?}"));
        }
        if i < 9 {
            nanos = nanos * 10 + i64::from(b - b'0');
        }
    }
    for _ in digits.len()..9 {
        nanos *= 10;
    }
    Ok((nanos, value.get(count..).unwrap_or("")))
}

fn skip_literal<'a>(mut value: &'a str, mut literal: &str) -> Result<&'a str, String> {
    while let Some(c) = literal.chars().next() {
        if c == ' ' {
            if value.starts_with(|v: char| v != ' ') {
                return Err(format!("cannot parse {value:?}"));
            }
            literal = literal.trim_start_matches(' ');
            value = value.trim_start_matches(' ');
            continue;
        }
        value = value
            .strip_prefix(c)
            .ok_or_else(|| format!("cannot parse {value:?}"))?;
        literal = &literal[c.len_utf8()..];
    }
    Ok(value)
}

fn parse_offset(value: &str, colons: bool, parts: u8) -> Result<(i32, &str), String> {
    let sign = match value.as_bytes().first() {
        Some(b'+') => 1,
        Some(b'-') => -1,
        _ => return Err(format!("cannot parse {value:?}")),
    };
    let mut rest = &value[1..];
    let mut seconds = 0i64;
    for (i, scale) in [3600, 60, 1].into_iter().take(parts as usize).enumerate() {
        if i > 0 && colons {
            rest = rest
                .strip_prefix(':')
                .ok_or_else(|| format!("cannot parse {value:?}"))?;
        }
        let (n, after) = digits(rest, 2, 2)?;
        seconds += n * scale;
        rest = after;
    }
    Ok((sign * seconds as i32, rest))
}

/// Go's `time.ParseInLocation(layout, value, Local)` with Local being UTC.
pub(crate) fn parse(layout: &str, value: &str) -> Result<Zoned, String> {
    use Element::*;
    let chunks = chunks(layout);
    let mut f = Fields::default();
    let mut rest = value;
    for (index, chunk) in chunks.iter().enumerate() {
        let element = match chunk {
            Chunk::Literal(text) => {
                rest = skip_literal(rest, text)?;
                continue;
            }
            Chunk::Element(element) => *element,
        };
        let (number, after) = match element {
            LongYear => digits(rest, 4, 4)?,
            Year => {
                let (y, after) = digits(rest, 2, 2)?;
                (y + if y >= 69 { 1900 } else { 2000 }, after)
            }
            LongMonth => lookup(rest, &MONTHS).map(|(i, a)| (i as i64 + 1, a))?,
            Month => {
                let short: Vec<&str> = MONTHS.iter().map(|m| &m[..3]).collect();
                lookup(rest, &short).map(|(i, a)| (i as i64 + 1, a))?
            }
            LongWeekDay => lookup(rest, &DAYS).map(|(i, a)| (i as i64, a))?,
            WeekDay => {
                let short: Vec<&str> = DAYS.iter().map(|d| &d[..3]).collect();
                lookup(rest, &short).map(|(i, a)| (i as i64, a))?
            }
            NumMonth | Day | Hour | Hour12 | Minute | Second => digits(rest, 1, 2)?,
            UnderDay => digits(rest.strip_prefix(' ').unwrap_or(rest), 1, 2)?,
            ZeroMonth | ZeroDay | ZeroHour12 | ZeroMinute | ZeroSecond => digits(rest, 2, 2)?,
            ZeroYearDay => digits(rest, 3, 3)?,
            UnderYearDay => digits(rest.trim_start_matches(' '), 1, 3)?,
            PmUpper | PmLower => {
                let (am, pm) = if element == PmUpper {
                    ("AM", "PM")
                } else {
                    ("am", "pm")
                };
                let is_pm = if rest.starts_with(pm) {
                    true
                } else if rest.starts_with(am) {
                    false
                } else {
                    return Err(format!("cannot parse {rest:?}"));
                };
                f.pm = Some(is_pm);
                (0, &rest[2..])
            }
            Offset { z, colons, parts } => {
                if z && rest.starts_with('Z') {
                    f.offset = Some(0);
                    (0, &rest[1..])
                } else {
                    let (seconds, after) = parse_offset(rest, colons, parts)?;
                    f.offset = Some(seconds);
                    (0, after)
                }
            }
            ZoneName => {
                let len = rest.bytes().take_while(u8::is_ascii_uppercase).count();
                if !(3..=5).contains(&len) {
                    return Err(format!("cannot parse {rest:?}"));
                }
                (0, &rest[len..])
            }
            Fraction {
                digits: count,
                trim,
                ..
            } => {
                let starts = rest.starts_with(['.', ',']);
                if trim {
                    let run = rest
                        .get(1..)
                        .map_or(0, |r| r.bytes().take_while(u8::is_ascii_digit).count());
                    if !starts || run == 0 {
                        (f.nanos, rest)
                    } else {
                        fraction(rest, 1 + run)?
                    }
                } else {
                    if !starts || rest.len() < count + 1 {
                        return Err(format!("cannot parse {rest:?}"));
                    }
                    fraction(rest, count + 1)?
                }
            }
        };
        match element {
            LongYear | Year => f.year = number as i32,
            LongMonth | Month | NumMonth | ZeroMonth => {
                f.month = Some(in_range(number, 1, 12, "month")?)
            }
            Day | UnderDay | ZeroDay => f.day = Some(in_range(number, 1, 31, "day")?),
            UnderYearDay | ZeroYearDay => {
                f.year_day = Some(in_range(number, 1, 366, "day-of-year")?)
            }
            Hour => f.hour = in_range(number, 0, 23, "hour")?,
            Hour12 | ZeroHour12 => f.hour = in_range(number, 0, 12, "hour")?,
            Minute | ZeroMinute => f.minute = in_range(number, 0, 59, "minute")?,
            Second | ZeroSecond => f.second = in_range(number, 0, 59, "second")?,
            Fraction { .. } => f.nanos = number,
            _ => {}
        }
        rest = after;
        // Go accepts a fraction after the seconds even when the layout has none.
        let fraction_next = matches!(chunks.get(index + 1), Some(Chunk::Element(Fraction { .. })));
        if matches!(element, Second | ZeroSecond) && !fraction_next && rest.starts_with(['.', ','])
        {
            let run = rest[1..].bytes().take_while(u8::is_ascii_digit).count();
            if run > 0 {
                (f.nanos, rest) = fraction(rest, 1 + run)?;
            }
        }
    }
    if !rest.is_empty() {
        return Err(format!("extra text: {rest:?}"));
    }
    build(&f)
}

fn build(f: &Fields) -> Result<Zoned, String> {
    let mut hour = f.hour;
    match f.pm {
        Some(true) if hour < 12 => hour += 12,
        Some(false) if hour == 12 => hour = 0,
        _ => {}
    }
    let year = i16::try_from(f.year).map_err(|_| "year out of range".to_string())?;
    let (mut month, mut day) = (f.month.unwrap_or(1), f.day.unwrap_or(1));
    if let Some(year_day) = f.year_day {
        let start = jiff::civil::Date::new(year, 1, 1).map_err(|e| e.to_string())?;
        let date = start
            .checked_add(jiff::Span::new().days(year_day - 1))
            .map_err(|e| e.to_string())?;
        if date.year() != year
            || f.month.is_some_and(|m| m != i64::from(date.month()))
            || f.day.is_some_and(|d| d != i64::from(date.day()))
        {
            return Err("day-of-year does not match month or day".into());
        }
        (month, day) = (i64::from(date.month()), i64::from(date.day()));
    }
    let datetime = DateTime::new(
        year,
        month as i8,
        day as i8,
        hour as i8,
        f.minute as i8,
        f.second as i8,
        f.nanos as i32,
    )
    .map_err(|_| "day out of range".to_string())?;
    let tz = match f.offset {
        Some(0) | None => TimeZone::UTC,
        Some(seconds) => {
            TimeZone::fixed(jiff::tz::Offset::from_seconds(seconds).map_err(|e| e.to_string())?)
        }
    };
    datetime.to_zoned(tz).map_err(|e| e.to_string())
}
