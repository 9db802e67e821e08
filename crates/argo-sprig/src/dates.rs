//! Date functions (`now date dateInZone htmlDate toDate dateModify ago duration
//! durationRound unixEpoch`). Times travel as RFC 3339 strings with nanoseconds, which is what
//! Go's JSON encoding makes of a `time.Time`; integers are Unix seconds; anything else means
//! "now", as in sprig. "Now" is [`Context::now`](crate::Context) and the `Local` zone is UTC.
//! Must not: read the system clock or the host's time zone.

use std::sync::OnceLock;

use jiff::Zoned;
use jiff::tz::{TimeZone, TimeZoneDatabase};
use serde_json::Value;

use crate::arguments::Args;
use crate::durations::{format_go_duration, parse_go_duration};
use crate::layouts;
use crate::{Context, Result};

const RFC3339_NANO: &str = "2006-01-02T15:04:05.999999999Z07:00";

/// Go's zero `time.Time`, 0001-01-01 00:00:00 UTC.
pub(crate) fn zero_time() -> Zoned {
    jiff::civil::date(1, 1, 1)
        .at(0, 0, 0, 0)
        .to_zoned(TimeZone::UTC)
        .unwrap_or_default()
}

/// A time as JSON carries it: RFC 3339 with an offset (or `Z`).
pub(crate) fn parse_time(text: &str) -> Option<Zoned> {
    layouts::parse(RFC3339_NANO, text).ok()
}

fn time_value(time: &Zoned) -> Value {
    Value::String(layouts::format(time, RFC3339_NANO))
}

fn now_utc(context: &Context) -> Zoned {
    context.now.to_zoned(TimeZone::UTC)
}

/// sprig's date argument: a time, Unix seconds (Go `int`), or otherwise the current time.
fn time_or_now(value: &Value, context: &Context) -> Zoned {
    match value {
        Value::String(text) => parse_time(text).unwrap_or_else(|| now_utc(context)),
        Value::Number(n) if n.is_i64() => n
            .as_i64()
            .and_then(|seconds| jiff::Timestamp::from_second(seconds).ok())
            .map_or_else(|| now_utc(context), |ts| ts.to_zoned(TimeZone::UTC)),
        _ => now_utc(context),
    }
}

/// `time.LoadLocation`, falling back to UTC as sprig does for unknown names. Zones come from
/// the database compiled into the binary, never from the host's files.
fn zone(name: &str) -> TimeZone {
    static DATABASE: OnceLock<TimeZoneDatabase> = OnceLock::new();
    match name {
        "" | "UTC" | "Local" => TimeZone::UTC,
        other => DATABASE
            .get_or_init(TimeZoneDatabase::bundled)
            .get(other)
            .unwrap_or(TimeZone::UTC),
    }
}

fn formatted(layout: &str, date: &Value, zone_name: &str, context: &Context) -> Value {
    let time = time_or_now(date, context).with_time_zone(zone(zone_name));
    Value::String(layouts::format(&time, layout))
}

pub(crate) fn now(_args: &Args, context: &Context) -> Result<Value> {
    Ok(time_value(&now_utc(context)))
}

pub(crate) fn date(args: &Args, context: &Context) -> Result<Value> {
    Ok(formatted(args.str(0)?, args.value(1), "Local", context))
}

pub(crate) fn date_in_zone(args: &Args, context: &Context) -> Result<Value> {
    Ok(formatted(
        args.str(0)?,
        args.value(1),
        args.str(2)?,
        context,
    ))
}

pub(crate) fn html_date(args: &Args, context: &Context) -> Result<Value> {
    Ok(formatted("2006-01-02", args.value(0), "Local", context))
}

pub(crate) fn html_date_in_zone(args: &Args, context: &Context) -> Result<Value> {
    Ok(formatted(
        "2006-01-02",
        args.value(0),
        args.str(1)?,
        context,
    ))
}

fn modified(args: &Args) -> Result<Option<Value>> {
    let (change, time) = (args.str(0)?, args.time(1)?);
    let Some(nanos) = parse_go_duration(change) else {
        return Ok(None);
    };
    let moved = time
        .checked_add(jiff::SignedDuration::from_nanos(nanos))
        .map_err(|e| args.invalid(e.to_string()))?;
    Ok(Some(time_value(&moved)))
}

/// `dateModify "-1.5h" t`; an unparsable change leaves the time as it was.
pub(crate) fn date_modify(args: &Args) -> Result<Value> {
    match modified(args)? {
        Some(value) => Ok(value),
        None => Ok(time_value(&args.time(1)?)),
    }
}

pub(crate) fn must_date_modify(args: &Args) -> Result<Value> {
    modified(args)?
        .ok_or_else(|| args.invalid(format!("time: invalid duration {:?}", args.value(0))))
}

fn nanos_between(earlier: &Zoned, later: &Zoned) -> i64 {
    let span = later.timestamp().as_nanosecond() - earlier.timestamp().as_nanosecond();
    span.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}

/// Time elapsed since the date, rounded to the second, as a Go duration.
pub(crate) fn ago(args: &Args, context: &Context) -> Result<Value> {
    let then = time_or_now(args.value(0), context);
    let nanos = nanos_between(&then, &now_utc(context));
    let second = 1_000_000_000i64;
    let rounded = {
        let remainder = nanos % second;
        let truncated = nanos - remainder;
        if remainder.abs() * 2 >= second {
            truncated.saturating_add(second * remainder.signum())
        } else {
            truncated
        }
    };
    Ok(Value::String(format_go_duration(rounded)))
}

/// Seconds as a Go duration. Go's sprig only understands strings and `int64`; expr integers
/// are `int`, so a number argument gives "0s" exactly as in Argo.
pub(crate) fn duration(args: &Args) -> Result<Value> {
    let seconds = match args.value(0) {
        Value::String(text) if !text.starts_with('+') => text.parse::<i64>().unwrap_or(0),
        _ => 0,
    };
    Ok(Value::String(format_go_duration(
        seconds.wrapping_mul(1_000_000_000),
    )))
}

/// A duration (Go text, or the time elapsed since a time) in its largest whole unit.
pub(crate) fn duration_round(args: &Args, context: &Context) -> Result<Value> {
    let nanos = match args.value(0) {
        Value::String(text) => parse_go_duration(text)
            .or_else(|| parse_time(text).map(|then| nanos_between(&then, &now_utc(context))))
            .unwrap_or(0),
        _ => 0,
    };
    let magnitude = nanos.unsigned_abs();
    let second = 1_000_000_000u64;
    let units: [(u64, &str); 6] = [
        (second * 3_600 * 24 * 365, "y"),
        (second * 3_600 * 24 * 30, "mo"),
        (second * 3_600 * 24, "d"),
        (second * 3_600, "h"),
        (second * 60, "m"),
        (second, "s"),
    ];
    let rounded = units
        .iter()
        .find(|(size, _)| magnitude > *size)
        .map_or_else(
            || "0s".to_string(),
            |(size, suffix)| format!("{}{suffix}", magnitude / size),
        );
    Ok(Value::String(rounded))
}

/// `toDate layout text`: the parsed time, or Go's zero time when it does not parse.
pub(crate) fn to_date(args: &Args) -> Result<Value> {
    let parsed = layouts::parse(args.str(0)?, args.str(1)?).unwrap_or_else(|_| zero_time());
    Ok(time_value(&parsed))
}

pub(crate) fn must_to_date(args: &Args) -> Result<Value> {
    let parsed = layouts::parse(args.str(0)?, args.str(1)?)
        .map_err(|e| args.invalid(format!("parsing time {:?}: {e}", args.value(1))))?;
    Ok(time_value(&parsed))
}

pub(crate) fn unix_epoch(args: &Args) -> Result<Value> {
    Ok(Value::String(
        args.time(0)?.timestamp().as_second().to_string(),
    ))
}
