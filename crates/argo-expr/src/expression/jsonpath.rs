//! Argo's `jsonpath(json, path)` helper.
//!
//! Role: parse a JSON document and query it. A path made only of names and indices returns the
//! single value it selects (an error when there is none); any other path (wildcards, filters,
//! slices, unions, descendants) returns the list of matches, which is what Argo's JSONPath
//! library does. Filters may be written with or without parentheses.
//! Must not: panic on malformed documents or paths.

use serde_json::Value;
use serde_json_path::JsonPath;

/// Runs `path` against the JSON text `document`.
pub(crate) fn query(document: &str, path: &str) -> Result<Value, String> {
    let value: Value =
        serde_json::from_str(document).map_err(|e| format!("jsonpath: invalid JSON: {e}"))?;
    let compiled = JsonPath::parse(path).map_err(|e| format!("jsonpath: invalid path: {e}"))?;
    let nodes = compiled.query(&value);
    if is_singular(path) {
        return nodes
            .exactly_one()
            .cloned()
            .map_err(|_| format!("jsonpath: {path} selects nothing"));
    }
    Ok(Value::Array(nodes.all().into_iter().cloned().collect()))
}

fn is_singular(path: &str) -> bool {
    let mut in_quote: Option<char> = None;
    let mut previous = '\0';
    for c in path.chars() {
        match in_quote {
            Some(q) if c == q && previous != '\\' => in_quote = None,
            Some(_) => {}
            None => match c {
                '\'' | '"' => in_quote = Some(c),
                '*' | '?' | ':' | ',' => return false,
                '.' if previous == '.' => return false,
                _ => {}
            },
        }
        previous = c;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn singular_paths_return_the_value_and_others_a_list() {
        let doc = r#"{"a":1,"e":[{"n":"x","age":43},{"n":"y","age":50}]}"#;
        assert_eq!(query(doc, "$.a"), Ok(Value::from(1)));
        assert_eq!(query(doc, "$.e[*].n"), Ok(serde_json::json!(["x", "y"])));
        assert_eq!(
            query(doc, "$.e[?(@.age>42 && @.age<44)].age"),
            Ok(serde_json::json!([43]))
        );
        assert!(query(doc, "$.missing").is_err());
        assert!(query("{", "$.a").is_err());
    }
}
