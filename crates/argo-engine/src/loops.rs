//! Loops: `withItems`, `withParam` and `withSequence` expansion into one child per item,
//! named `name(index:description)` as Argo's `generateNodeName` does, with `{{item}}` and
//! `{{item.<key>}}` substituted into each copy.
//!
//! Must not: create nodes; callers decide what to do with each expanded child.

use argo_core::k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use argo_core::{Item, Sequence};
use argo_expr::{Scope, Unresolved};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::node_id::loop_node_name;

/// The items a loop iterates over, or None when the step or task does not loop.
pub(crate) fn loop_items(
    with_items: &[Item],
    with_param: &str,
    with_sequence: Option<&Sequence>,
    when: &str,
) -> Result<Option<Vec<Item>>> {
    if !with_items.is_empty() {
        return Ok(Some(with_items.to_vec()));
    }
    if !with_param.is_empty() {
        return match serde_json::from_str::<Vec<Item>>(with_param) {
            Ok(items) => Ok(Some(items)),
            Err(err) if must_execute(when) => Err(Error::msg(format!(
                "withParam value could not be parsed as a JSON list: {}: {err}",
                with_param.trim()
            ))),
            Err(_) => Ok(Some(Vec::new())),
        };
    }
    if let Some(sequence) = with_sequence {
        return match expand_sequence(sequence) {
            Ok(items) => Ok(Some(items)),
            Err(err) if must_execute(when) => Err(err),
            Err(_) => Ok(Some(Vec::new())),
        };
    }
    Ok(None)
}

fn must_execute(when: &str) -> bool {
    when.is_empty() || argo_expr::when::evaluate(when).unwrap_or(true)
}

fn sequence_bound(value: &IntOrString) -> Result<i64> {
    match value {
        IntOrString::Int(n) => Ok(i64::from(*n)),
        IntOrString::String(text) => text
            .trim()
            .parse()
            .map_err(|_| Error::msg(format!("strconv.Atoi: parsing {text:?}: invalid syntax"))),
    }
}

/// Argo's `expandSequence`: `count` items from `start`, or `start..=end` (descending when
/// `end < start`), each formatted with `format` (a printf pattern, `%d` by default).
pub(crate) fn expand_sequence(sequence: &Sequence) -> Result<Vec<Item>> {
    let start = sequence
        .start
        .as_ref()
        .map(sequence_bound)
        .transpose()?
        .unwrap_or(0);
    let end = match (&sequence.end, &sequence.count) {
        (Some(_), Some(_)) => {
            return Err(Error::msg(
                "withSequence: only one of count or end can be defined",
            ));
        }
        (Some(end), None) => sequence_bound(end)?,
        (None, Some(count)) => {
            let count = sequence_bound(count)?;
            if count == 0 {
                return Ok(Vec::new());
            }
            start + count - 1
        }
        (None, None) => {
            return Err(Error::msg(
                "neither end nor count was specified in withSequence",
            ));
        }
    };
    let format = if sequence.format.is_empty() {
        "%d"
    } else {
        sequence.format.as_str()
    };
    let render = |i: i64| Item(Value::String(printf_int(format, i)));
    Ok(if start <= end {
        (start..=end).map(render).collect()
    } else {
        (end..=start).rev().map(render).collect()
    })
}

/// Formats one integer with a printf pattern supporting `%d`, `%x`, `%o` with zero padding
/// and width (`%02d`, `%5d`), which is what sequence formats use in practice.
fn printf_int(format: &str, value: i64) -> String {
    let mut out = String::new();
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut spec = String::new();
        while let Some(&next) = chars.peek() {
            chars.next();
            if next.is_ascii_alphabetic() || next == '%' {
                spec.push(next);
                break;
            }
            spec.push(next);
        }
        let verb = spec.chars().last().unwrap_or('d');
        let flags = &spec[..spec.len().saturating_sub(1)];
        let zero = flags.starts_with('0');
        let width: usize = flags.trim_start_matches('0').parse().unwrap_or(0);
        let body = match verb {
            '%' => "%".to_owned(),
            'x' => format!("{value:x}"),
            'X' => format!("{value:X}"),
            'o' => format!("{value:o}"),
            _ => value.to_string(),
        };
        if zero && body.len() < width {
            let (sign, digits) = body
                .strip_prefix('-')
                .map_or(("", body.as_str()), |d| ("-", d));
            out.push_str(sign);
            out.push_str(&"0".repeat(width - body.len()));
            out.push_str(digits);
        } else {
            out.push_str(&format!("{body:>width$}"));
        }
    }
    out
}

/// Go's `%v` rendering of a JSON value inside an item description.
fn go_value(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(go_value).collect::<Vec<_>>().join(" ")
        ),
        Value::Object(map) => {
            let mut entries: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{k}:{}", go_value(v)))
                .collect();
            entries.sort();
            format!("map[{}]", entries.join(" "))
        }
        other => other.to_string(),
    }
}

/// The node name of the `index`th item of loop `name`.
pub(crate) fn item_node_name(name: &str, index: usize, item: &Item) -> Result<String> {
    let description = match &item.0 {
        Value::String(s) => s.clone(),
        Value::Number(_) | Value::Bool(_) => item.0.to_string(),
        Value::Object(map) => {
            let mut values: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{k}:{}", go_value(v)))
                .collect();
            values.sort();
            values.join(",")
        }
        Value::Array(_) => go_value(&item.0),
        Value::Null => {
            return Err(Error::msg(format!(
                "withItems[{index}] expected string, number, list, or map. received: null"
            )));
        }
    };
    Ok(loop_node_name(name, index, &description))
}

/// The `item` variables one item binds.
pub(crate) fn item_scope(item: &Item) -> Scope {
    let mut scope = Scope::new();
    match &item.0 {
        Value::String(s) => scope.insert("item", s.clone()),
        Value::Object(map) => {
            for (key, value) in map {
                scope.insert(format!("item.{key}"), go_value(value));
            }
            scope.insert("item", item.0.to_string());
        }
        other => scope.insert("item", other.to_string()),
    }
    scope
}

/// Substitutes an item into a serialisable step or task (plus `base` variables).
pub(crate) fn substitute_item<T: Serialize + DeserializeOwned + Clone>(
    object: &T,
    item: &Item,
    base: &Scope,
    now: jiff::Timestamp,
) -> Result<T> {
    if !crate::tags::contains_tags(object) {
        return Ok(object.clone());
    }
    let mut scope = base.clone();
    for (key, binding) in item_scope(item).iter() {
        scope.bind(key.to_owned(), binding.clone());
    }
    let value = serde_json::to_value(object).map_err(|e| Error::msg(e.to_string()))?;
    let replaced = argo_expr::substitute_json(
        &value,
        &scope,
        &argo_expr::Options::new(Unresolved::Keep, now),
    )?;
    serde_json::from_value(replaced).map_err(|e| Error::msg(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seq(count: Option<i32>, start: Option<i32>, end: Option<i32>, format: &str) -> Sequence {
        Sequence {
            count: count.map(IntOrString::Int),
            start: start.map(IntOrString::Int),
            end: end.map(IntOrString::Int),
            format: format.to_owned(),
        }
    }

    fn strings(items: &[Item]) -> Vec<String> {
        items.iter().map(|i| i.to_string()).collect()
    }

    #[test]
    fn a_sequence_with_both_count_and_end_is_rejected() {
        let err = expand_sequence(&seq(Some(3), None, Some(5), "")).expect_err("rejected");
        assert!(
            err.to_string()
                .contains("only one of count or end can be defined"),
            "{err}"
        );
    }

    #[test]
    fn sequences_count_up_from_start() {
        let items = expand_sequence(&seq(Some(3), Some(2), None, "")).expect("sequence");
        assert_eq!(strings(&items), ["2", "3", "4"]);
    }

    #[test]
    fn sequences_count_down_when_end_is_below_start() {
        let items = expand_sequence(&seq(None, Some(3), Some(1), "")).expect("sequence");
        assert_eq!(strings(&items), ["3", "2", "1"]);
    }

    #[test]
    fn sequences_use_printf_formats() {
        let items = expand_sequence(&seq(None, Some(1), Some(2), "test%02d")).expect("sequence");
        assert_eq!(strings(&items), ["test01", "test02"]);
    }

    #[test]
    fn a_zero_count_sequence_is_empty() {
        assert!(
            expand_sequence(&seq(Some(0), None, None, ""))
                .expect("sequence")
                .is_empty()
        );
    }

    #[test]
    fn map_items_name_nodes_with_sorted_key_values() {
        let item = Item(serde_json::json!({"os": "debian", "version": 9}));
        assert_eq!(
            item_node_name("a", 0, &item).expect("name"),
            "a(0:os:debian,version:9)"
        );
        let list = Item(serde_json::json!(["x", 1]));
        assert_eq!(item_node_name("a", 1, &list).expect("name"), "a(1:[x 1])");
    }

    #[test]
    fn unparsable_with_param_is_an_error_unless_when_is_false() {
        assert!(loop_items(&[], "not json", None, "").is_err());
        assert_eq!(
            loop_items(&[], "not json", None, "false").expect("skip"),
            Some(Vec::new())
        );
        assert_eq!(loop_items(&[], "", None, "").expect("none"), None);
    }
}
