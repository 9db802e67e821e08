//! Parsing text with a Go layout, as `time.ParseInLocation(layout, text, Local)` with Local
//! being UTC: numeric fields, month and weekday names, AM/PM, offsets, zone abbreviations and
//! fractional seconds; Go's defaults (year 0, January 1) fill what the layout lacks.
//! Must not: accept trailing text or out-of-range fields.

use jiff::Zoned;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;

use super::{Chunk, DAYS, Element, MONTHS, chunks};

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
