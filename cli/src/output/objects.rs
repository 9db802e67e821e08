//! API objects as `-o json`, `-o yaml` and `-o name` print them: JSON indented like Go's
//! `json.MarshalIndent`, YAML with keys sorted as `sigs.k8s.io/yaml` writes them.
//! Must not: change the objects (no defaulting, no dropping of fields).

use serde_json::{Map, Value as Json};

/// Pretty JSON with `indent` spaces per level, ending in a newline.
pub fn json_text(value: &Json, indent: usize) -> String {
    let indent = " ".repeat(indent);
    let formatter = serde_json::ser::PrettyFormatter::with_indent(indent.as_bytes());
    let mut bytes = Vec::new();
    let mut serializer = serde_json::Serializer::with_formatter(&mut bytes, formatter);
    // Writing a Value into a Vec cannot fail.
    let _ = serde::Serialize::serialize(value, &mut serializer);
    let mut text = String::from_utf8_lossy(&bytes).into_owned();
    text.push('\n');
    text
}

/// YAML with every mapping's keys in sorted order.
pub fn yaml_text(value: &Json) -> String {
    serde_norway::to_string(&sorted(value)).unwrap_or_default()
}

fn sorted(value: &Json) -> Json {
    match value {
        Json::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let mut out = Map::new();
            for key in keys {
                out.insert(key.clone(), sorted(&map[key]));
            }
            Json::Object(out)
        }
        Json::Array(items) => Json::Array(items.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

/// `metadata.name` of an object ("" when missing).
pub fn name_of(value: &Json) -> &str {
    value
        .pointer("/metadata/name")
        .and_then(Json::as_str)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn yaml_keys_are_sorted_and_json_keeps_order() {
        let value = json!({"b": 1, "a": {"d": 2, "c": 3}});
        assert_eq!(yaml_text(&value), "a:\n  c: 3\n  d: 2\nb: 1\n");
        assert_eq!(
            json_text(&value, 2),
            "{\n  \"b\": 1,\n  \"a\": {\n    \"d\": 2,\n    \"c\": 3\n  }\n}\n"
        );
    }
}
