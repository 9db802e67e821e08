//! How CronWorkflows print: the `get`/`create`/`update` block and the `list` table, with
//! the next run worked out from the schedules.
//! Must not: call the server; it formats what it is given.

use serde_json::Value as Json;

use crate::commands::{Out, Session, objects_name, print_object};
use crate::output::humanize;
use crate::output::schedule::next_run;
use crate::output::table::TabWriter;

pub(super) fn schedules(cron: &Json) -> Vec<String> {
    let mut found: Vec<String> = cron
        .pointer("/spec/schedules")
        .and_then(Json::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Json::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    if let Some(single) = cron.pointer("/spec/schedule").and_then(Json::as_str)
        && !single.is_empty()
        && found.is_empty()
    {
        found.push(single.to_owned());
    }
    found
}

pub(super) fn text<'a>(value: &'a Json, pointer: &str) -> &'a str {
    value.pointer(pointer).and_then(Json::as_str).unwrap_or("")
}

fn next_time(cron: &Json, now: jiff::Timestamp) -> Option<jiff::Timestamp> {
    let zone = text(cron, "/spec/timezone");
    schedules(cron)
        .iter()
        .filter_map(|schedule| next_run(schedule, zone, now))
        .min()
}

/// The CronWorkflow block Argo prints for `get`, `create` and `update`.
pub fn describe(session: &Session, cron: &Json) -> String {
    let now = session.now();
    let zone = &session.zone;
    let mut out = String::new();
    let mut row = |label: &str, value: &str| out.push_str(&format!("{label:<30} {value}\n"));
    row("Name:", text(cron, "/metadata/name"));
    row("Namespace:", text(cron, "/metadata/namespace"));
    let stamp = |pointer: &str| {
        text(cron, pointer)
            .parse::<jiff::Timestamp>()
            .ok()
            .map(|t| humanize::timestamp(t, now, zone))
    };
    row(
        "Created:",
        &stamp("/metadata/creationTimestamp").unwrap_or_default(),
    );
    row("Schedules:", &schedules(cron).join(","));
    let suspended = cron
        .pointer("/spec/suspend")
        .and_then(Json::as_bool)
        .unwrap_or(false);
    row("Suspended:", &suspended.to_string());
    let timezone = text(cron, "/spec/timezone");
    if !timezone.is_empty() {
        row("Timezone:", timezone);
    }
    if let Some(deadline) = cron
        .pointer("/spec/startingDeadlineSeconds")
        .and_then(Json::as_i64)
    {
        row("StartingDeadlineSeconds:", &deadline.to_string());
    }
    let policy = text(cron, "/spec/concurrencyPolicy");
    if !policy.is_empty() {
        row("ConcurrencyPolicy:", policy);
    }
    if let Some(last) = stamp("/status/lastScheduledTime") {
        row("LastScheduledTime:", &last);
    }
    if let Some(next) = next_time(cron, now) {
        let text = humanize::timestamp(next, now, zone);
        row(
            "NextScheduledTime:",
            &format!("{text} (assumes workflow-controller is in UTC)"),
        );
    }
    let active: Vec<&str> = cron
        .pointer("/status/active")
        .and_then(Json::as_array)
        .map(|a| a.iter().map(|r| text(r, "/name")).collect())
        .unwrap_or_default();
    if !active.is_empty() {
        row("Active Workflows:", &active.join(", "));
    }
    if let Some(conditions) = cron.pointer("/status/conditions").and_then(Json::as_array)
        && !conditions.is_empty()
    {
        row("Conditions:", "");
        for condition in conditions {
            let kind = text(condition, "/type");
            let icon = if kind == "SubmissionError" { "✖" } else { "" };
            let message = match text(condition, "/message") {
                "" => text(condition, "/status"),
                message => message,
            };
            row(&format!("{icon} {kind}"), message);
        }
    }
    if let Some(parameters) = cron
        .pointer("/spec/workflowSpec/arguments/parameters")
        .and_then(Json::as_array)
        && !parameters.is_empty()
    {
        row("Workflow Parameters:", "");
        for parameter in parameters {
            if let Some(value) = parameter.get("value") {
                let value = value
                    .as_str()
                    .map_or_else(|| value.to_string(), str::to_owned);
                row(&format!("  {}:", text(parameter, "/name")), &value);
            }
        }
    }
    out
}

pub(super) fn print_cron(
    session: &Session,
    out: Out<'_>,
    cron: &Json,
    output: &str,
) -> anyhow::Result<()> {
    if !print_object(out, cron, output)? {
        out.write_all(describe(session, cron).as_bytes())?;
    }
    Ok(())
}

/// The `argo cron list` table.
pub fn list_table(crons: &[Json], all_namespaces: bool, now: jiff::Timestamp) -> String {
    let mut w = TabWriter::new(3);
    if all_namespaces {
        w.write("NAMESPACE\t");
    }
    w.write("NAME\tAGE\tLAST RUN\tNEXT RUN\tSCHEDULES\tTIMEZONE\tSUSPENDED\n");
    for cron in crons {
        if all_namespaces {
            w.write(&format!("{}\t", text(cron, "/metadata/namespace")));
        }
        let time = |pointer: &str| text(cron, pointer).parse::<jiff::Timestamp>().ok();
        let age = humanize::short_between(time("/metadata/creationTimestamp"), Some(now), now);
        let last = time("/status/lastScheduledTime").map_or_else(
            || "N/A".to_owned(),
            |t| humanize::short_between(Some(t), Some(now), now),
        );
        let next = next_time(cron, now).map_or_else(
            || "N/A".to_owned(),
            |t| humanize::short_between(Some(t), Some(now), now),
        );
        let suspended = cron
            .pointer("/spec/suspend")
            .and_then(Json::as_bool)
            .unwrap_or(false);
        w.write(&format!(
            "{}\t{age}\t{last}\t{next}\t{}\t{}\t{suspended}\n",
            objects_name(cron),
            schedules(cron).join(","),
            text(cron, "/spec/timezone"),
        ));
    }
    w.finish()
}
