//! Template-level Prometheus metrics: names and label keys in Prometheus' legacy character set
//! (without `:`), a help text, and a value for each metric kind.
//!
//! Must not: evaluate metric values.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

use crate::location::Loc;
use crate::manifest::{array, field, flag, object, str};

static METRIC_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new("^[a-zA-Z_][a-zA-Z0-9_]*$").expect("static regex"));

/// Checks the `metrics.prometheus` entries of a template; locations are relative to it.
pub fn check_metrics(template_name: &str, template: &Value) -> Result<(), (String, Loc)> {
    for (index, metric) in array(object(template, "metrics"), "prometheus")
        .iter()
        .enumerate()
    {
        let at = Loc::parse("metrics.prometheus").index(index);
        let name = str(metric, "name");
        if !METRIC_NAME.is_match(name) {
            return Err((
                format!(
                    "templates.{template_name} metric name '{name}' is invalid. Metric names must contain alphanumeric characters or '_'"
                ),
                at.key("name"),
            ));
        }
        for label in array(metric, "labels") {
            let key = str(label, "key");
            if !METRIC_NAME.is_match(key) {
                return Err((
                    format!(
                        "metric label '{key}' is invalid: keys may only contain alphanumeric characters or '_'"
                    ),
                    at.key("labels"),
                ));
            }
        }
        if str(metric, "help").is_empty() {
            return Err((
                format!(
                    "templates.{template_name} metric '{name}' must contain a help string under 'help: ' field"
                ),
                at,
            ));
        }
        if let Some(problem) = value_problem(metric) {
            return Err((
                format!("templates.{template_name} metric '{name}' error: {problem}"),
                at,
            ));
        }
    }
    Ok(())
}

fn value_problem(metric: &Value) -> Option<&'static str> {
    if let Some(gauge) = field(metric, "gauge") {
        let value = str(gauge, "value");
        if value.is_empty() {
            return Some("missing gauge.value");
        }
        if flag(gauge, "realtime") && value.contains("resourcesDuration.") {
            return Some("'resourcesDuration.*' metrics cannot be used in real-time");
        }
    }
    if field(metric, "counter").is_some_and(|c| str(c, "value").is_empty()) {
        return Some("missing counter.value");
    }
    if field(metric, "histogram").is_some_and(|h| str(h, "value").is_empty()) {
        return Some("missing histogram.value");
    }
    None
}
