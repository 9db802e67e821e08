//! CronWorkflow rules: schedules in the standard five-field cron syntax as Argo's cron library
//! accepts them (names for months and weekdays, ranges, steps, `@hourly`-style descriptors,
//! `@every <duration>`, an optional `CRON_TZ=`/`TZ=` prefix), time zones from the tz database,
//! concurrency policies and the starting deadline.
//!
//! Must not: compute fire times; the scheduler owns that.

use serde_json::Value;

use crate::duration::parse_go_duration;
use crate::finding::{Checked, Finding};
use crate::location::Loc;
use crate::manifest::{array, field, str};

/// Inclusive bounds and names of one cron field.
struct Bounds {
    min: u32,
    max: u32,
    names: &'static [&'static str],
    first_name: u32,
}

const MINUTES: Bounds = Bounds {
    min: 0,
    max: 59,
    names: &[],
    first_name: 0,
};
const HOURS: Bounds = Bounds {
    min: 0,
    max: 23,
    names: &[],
    first_name: 0,
};
const DAYS_OF_MONTH: Bounds = Bounds {
    min: 1,
    max: 31,
    names: &[],
    first_name: 0,
};
const MONTHS: Bounds = Bounds {
    min: 1,
    max: 12,
    names: &[
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ],
    first_name: 1,
};
const DAYS_OF_WEEK: Bounds = Bounds {
    min: 0,
    max: 6,
    names: &["sun", "mon", "tue", "wed", "thu", "fri", "sat"],
    first_name: 0,
};

/// Whether a time zone name is known (Go's `time.LoadLocation`); the error uses Go's wording.
pub fn check_time_zone(name: &str) -> Result<(), String> {
    if name.is_empty() || name == "UTC" || name == "Local" {
        return Ok(());
    }
    if name.contains("..") || name.starts_with('/') || name.contains('\\') {
        return Err("time: invalid location name".to_owned());
    }
    jiff::tz::TimeZone::get(name)
        .map(|_| ())
        .map_err(|_| format!("unknown time zone {name}"))
}

/// Parses a schedule the way the standard cron parser does; the error uses its wording.
pub fn parse_schedule(spec: &str) -> Result<(), String> {
    if spec.is_empty() {
        return Err("empty spec string".to_owned());
    }
    let mut spec = spec;
    if spec.starts_with("TZ=") || spec.starts_with("CRON_TZ=") {
        let equals = spec.find('=').unwrap_or(0);
        let space = spec.find(' ').unwrap_or(spec.len());
        let zone = spec.get(equals + 1..space).unwrap_or("");
        check_time_zone(zone).map_err(|err| format!("provided bad location {zone}: {err}"))?;
        spec = spec[space..].trim();
    }
    if spec.starts_with('@') {
        return parse_descriptor(spec);
    }
    let fields: Vec<&str> = spec.split_whitespace().collect();
    if fields.len() != 5 {
        return Err(format!(
            "expected exactly 5 fields, found {}: [{}]",
            fields.len(),
            fields.join(" ")
        ));
    }
    for (text, bounds) in
        fields
            .iter()
            .zip([&MINUTES, &HOURS, &DAYS_OF_MONTH, &MONTHS, &DAYS_OF_WEEK])
    {
        for expression in text.split(',').filter(|e| !e.is_empty()) {
            parse_range(expression, bounds)?;
        }
    }
    Ok(())
}

fn parse_descriptor(spec: &str) -> Result<(), String> {
    match spec {
        "@yearly" | "@annually" | "@monthly" | "@weekly" | "@daily" | "@midnight" | "@hourly" => {
            Ok(())
        }
        _ => match spec.strip_prefix("@every ") {
            Some(duration) => parse_go_duration(duration)
                .map(|_| ())
                .map_err(|err| format!("failed to parse duration {spec}: {err}")),
            None => Err(format!("unrecognized descriptor: {spec}")),
        },
    }
}

fn parse_range(expression: &str, bounds: &Bounds) -> Result<(), String> {
    let range_and_step: Vec<&str> = expression.split('/').collect();
    let low_and_high: Vec<&str> = range_and_step[0].split('-').collect();
    let single = low_and_high.len() == 1;
    let (start, mut end) = if low_and_high[0] == "*" || low_and_high[0] == "?" {
        (bounds.min, bounds.max)
    } else {
        let start = parse_int_or_name(low_and_high[0], bounds)?;
        match low_and_high.len() {
            1 => (start, start),
            2 => (start, parse_int_or_name(low_and_high[1], bounds)?),
            _ => return Err(format!("too many hyphens: {expression}")),
        }
    };
    let step = match range_and_step.len() {
        1 => 1,
        2 => {
            let step = parse_int(range_and_step[1])?;
            if single {
                end = bounds.max;
            }
            step
        }
        _ => return Err(format!("too many slashes: {expression}")),
    };
    if start < bounds.min {
        return Err(format!(
            "beginning of range ({start}) below minimum ({}): {expression}",
            bounds.min
        ));
    }
    if end > bounds.max {
        return Err(format!(
            "end of range ({end}) above maximum ({}): {expression}",
            bounds.max
        ));
    }
    if start > end {
        return Err(format!(
            "beginning of range ({start}) beyond end of range ({end}): {expression}"
        ));
    }
    if step == 0 {
        return Err(format!(
            "step of range should be a positive number: {expression}"
        ));
    }
    Ok(())
}

fn parse_int_or_name(text: &str, bounds: &Bounds) -> Result<u32, String> {
    let lower = text.to_ascii_lowercase();
    if let Some(position) = bounds.names.iter().position(|name| *name == lower) {
        return Ok(bounds.first_name + position as u32);
    }
    parse_int(text)
}

fn parse_int(text: &str) -> Result<u32, String> {
    let number: i64 = text.parse().map_err(|_| {
        format!("failed to parse int from {text}: strconv.Atoi: parsing {text:?}: invalid syntax")
    })?;
    if number < 0 {
        return Err(format!("negative number ({number}) not allowed: {text}"));
    }
    u32::try_from(number).map_err(|_| format!("end of range ({number}) above maximum: {text}"))
}

/// The CronWorkflow-only checks, in Argo's order, before the workflow spec is checked.
pub fn check_cron_spec(name: &str, spec: &Value) -> Checked {
    let spec_at = Loc::root().key("spec");
    if name.len() > 52 {
        return Err(Finding::new(
            format!(
                "cron workflow name {name:?} must not be more than 52 characters long (currently {})",
                name.len()
            ),
            Loc::parse("metadata.name"),
        ));
    }
    let schedules = array(spec, "schedules");
    if schedules.is_empty() {
        return Err(Finding::new(
            "cron workflow must have at least one schedule",
            spec_at.key("schedules"),
        ));
    }
    for (index, schedule) in schedules.iter().enumerate() {
        let schedule = crate::manifest::scalar_text(schedule);
        if let Err(problem) = parse_schedule(&schedule) {
            return Err(Finding::new(
                format!("cron schedule {schedule} is malformed: {problem}"),
                spec_at.key("schedules").index(index),
            ));
        }
    }
    let timezone = str(spec, "timezone");
    if !timezone.is_empty()
        && let Err(problem) = check_time_zone(timezone)
    {
        return Err(Finding::new(
            format!("invalid timezone {timezone:?}: {problem}"),
            spec_at.key("timezone"),
        ));
    }
    let policy = str(spec, "concurrencyPolicy");
    if !matches!(policy, "" | "Allow" | "Forbid" | "Replace") {
        return Err(Finding::new(
            format!("'{policy}' is not a valid concurrencyPolicy"),
            spec_at.key("concurrencyPolicy"),
        ));
    }
    if field(spec, "startingDeadlineSeconds")
        .and_then(Value::as_f64)
        .is_some_and(|seconds| seconds < 0.0)
    {
        return Err(Finding::new(
            "startingDeadlineSeconds must be positive",
            spec_at.key("startingDeadlineSeconds"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_schedules_parse() {
        for spec in [
            "* * * * *",
            "*/5 1-3 1,15 jan-MAR mon-fri",
            "0 0 * * ?",
            "@hourly",
            "@every 1h30m",
            "CRON_TZ=America/New_York 0 9 * * *",
            "TZ=UTC 0 9 * * *",
        ] {
            assert_eq!(parse_schedule(spec), Ok(()), "{spec}");
        }
    }

    #[test]
    fn malformed_schedules_use_the_cron_library_wording() {
        assert_eq!(
            parse_schedule("61 * * * *"),
            Err("end of range (61) above maximum (59): 61".to_owned())
        );
        assert_eq!(
            parse_schedule("* * * * 7"),
            Err("end of range (7) above maximum (6): 7".to_owned())
        );
        assert_eq!(
            parse_schedule("5-1 * * * *"),
            Err("beginning of range (5) beyond end of range (1): 5-1".to_owned())
        );
        assert_eq!(
            parse_schedule("*/0 * * * *"),
            Err("step of range should be a positive number: */0".to_owned())
        );
        assert_eq!(
            parse_schedule("* * * *"),
            Err("expected exactly 5 fields, found 4: [* * * *]".to_owned())
        );
        assert!(parse_schedule("@fortnightly").is_err());
    }

    #[test]
    fn unknown_time_zones_are_rejected() {
        assert!(check_time_zone("Europe/Paris").is_ok());
        assert_eq!(
            check_time_zone("Mars/Olympus_Mons"),
            Err("unknown time zone Mars/Olympus_Mons".to_owned())
        );
    }
}
