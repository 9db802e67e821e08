//! Output parameters of resource templates: kubectl's JSONPath templates
//! (`{.metadata.name}`, `{.items[0].status}`, text between expressions kept) and simple jq
//! path filters (`.metadata.uid`) over the resource's JSON, printed as kubectl and Argo print
//! them (strings raw, other values as JSON, several matches separated by spaces).
//! Must not: read the store.

use serde_json::Value;
use serde_json_path::JsonPath;

/// Evaluates a kubectl JSONPath template against `document`.
pub fn kubectl(template: &str, document: &Value) -> Result<String, String> {
    let mut output = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        output.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after
            .find('}')
            .ok_or_else(|| format!("jsonPath {template:?}: unclosed '{{'"))?;
        output.push_str(&query(&after[..close], document, template)?);
        rest = &after[close + 1..];
    }
    output.push_str(rest);
    Ok(output)
}

/// A jq filter limited to paths (`.a.b`, `.items[0].name`); anything else is refused with a
/// message naming the filter.
pub fn jq(filter: &str, document: &Value) -> Result<String, String> {
    let filter = filter.trim();
    let path_like = filter.starts_with('.')
        && filter
            .chars()
            .all(|c| c.is_alphanumeric() || "._-[]\"'".contains(c));
    if !path_like {
        return Err(format!(
            "jqFilter {filter:?}: only path filters such as '.metadata.name' are supported here; use jsonPath"
        ));
    }
    query(filter, document, filter)
}

fn query(expression: &str, document: &Value, whole: &str) -> Result<String, String> {
    let expression = expression.trim();
    let path = if expression == "." || expression == "$" {
        "$".to_owned()
    } else if expression.starts_with('$') {
        expression.to_owned()
    } else {
        format!(
            "${}",
            expression
                .strip_prefix('.')
                .map_or_else(|| format!(".{expression}"), |rest| format!(".{rest}"),)
        )
    };
    let parsed = JsonPath::parse(&path).map_err(|e| format!("jsonPath {whole:?}: {e}"))?;
    let found = parsed.query(document).all();
    Ok(found
        .into_iter()
        .map(|value| match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn kubectl_templates_print_strings_raw_and_values_as_json() {
        let cm = json!({"metadata": {"name": "cm", "uid": "u1"}, "data": {"a": "b"},
            "items": [{"n": 1}, {"n": 2}]});
        assert_eq!(kubectl("{.metadata.name}", &cm).expect("ok"), "cm");
        assert_eq!(kubectl("{.data}", &cm).expect("ok"), r#"{"a":"b"}"#);
        assert_eq!(kubectl("id={.metadata.uid}!", &cm).expect("ok"), "id=u1!");
        assert_eq!(kubectl("{.items[*].n}", &cm).expect("ok"), "1 2");
        assert_eq!(kubectl("{.missing}", &cm).expect("ok"), "");
        assert!(kubectl("{.metadata", &cm).is_err());
    }

    #[test]
    fn jq_paths_work_and_other_filters_are_refused() {
        let cm = json!({"metadata": {"name": "cm"}});
        assert_eq!(jq(".metadata.name", &cm).expect("ok"), "cm");
        let error = jq(".items | length", &cm).expect_err("not a path");
        assert!(error.contains("use jsonPath"), "{error}");
    }
}
