//! The `fields` response filter Argo's server applies: a comma-separated list of dotted paths
//! to keep (`items.metadata.name,items.status.phase`), or, with a leading `-`, to drop
//! (`-status.nodes`). Paths go through arrays. The empty filter keeps everything.
//!
//! Must not: fail; unknown paths simply select nothing.

use serde_json::{Map, Value};

/// Applies `fields` to a JSON value.
pub fn filter_fields(value: Value, fields: &str) -> Value {
    let fields = fields.trim();
    if fields.is_empty() {
        return value;
    }
    if let Some(excluded) = fields.strip_prefix('-') {
        let mut value = value;
        for path in split(excluded) {
            remove_path(&mut value, &path);
        }
        return value;
    }
    let paths = split(fields);
    keep_paths(&value, &paths.iter().map(Vec::as_slice).collect::<Vec<_>>())
        .unwrap_or(Value::Object(Map::new()))
}

fn split(fields: &str) -> Vec<Vec<&str>> {
    fields
        .split(',')
        .map(str::trim)
        .map(|path| path.strip_prefix('-').unwrap_or(path))
        .filter(|path| !path.is_empty())
        .map(|path| path.split('.').collect())
        .collect()
}

fn keep_paths(value: &Value, paths: &[&[&str]]) -> Option<Value> {
    if paths.iter().any(|path| path.is_empty()) {
        return Some(value.clone());
    }
    match value {
        Value::Array(items) => Some(Value::Array(
            items
                .iter()
                .map(|item| keep_paths(item, paths).unwrap_or(Value::Object(Map::new())))
                .collect(),
        )),
        Value::Object(map) => {
            let mut kept = Map::new();
            for (key, child) in map {
                let rest: Vec<&[&str]> = paths
                    .iter()
                    .filter(|path| path.first() == Some(&key.as_str()))
                    .map(|path| &path[1..])
                    .collect();
                if rest.is_empty() {
                    continue;
                }
                if let Some(child) = keep_paths(child, &rest) {
                    kept.insert(key.clone(), child);
                }
            }
            Some(Value::Object(kept))
        }
        _ => None,
    }
}

fn remove_path(value: &mut Value, path: &[&str]) {
    match value {
        Value::Array(items) => items.iter_mut().for_each(|item| remove_path(item, path)),
        Value::Object(map) => match path {
            [] => {}
            [last] => {
                map.remove(*last);
            }
            [first, rest @ ..] => {
                if let Some(child) = map.get_mut(*first) {
                    remove_path(child, rest);
                }
            }
        },
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn listed_paths_are_kept_through_arrays() {
        let list = json!({"metadata": {"resourceVersion": "3"}, "items": [
            {"metadata": {"name": "a", "uid": "1"}, "status": {"phase": "Running", "nodes": {}}}
        ]});
        let filtered = filter_fields(list, "items.metadata.name,items.status.phase");
        assert_eq!(
            filtered,
            json!({"items": [{"metadata": {"name": "a"}, "status": {"phase": "Running"}}]})
        );
    }

    #[test]
    fn a_leading_minus_drops_the_listed_paths() {
        let workflow =
            json!({"metadata": {"name": "a"}, "status": {"phase": "Running", "nodes": {"x": {}}}});
        let filtered = filter_fields(workflow, "-status.nodes");
        assert_eq!(
            filtered,
            json!({"metadata": {"name": "a"}, "status": {"phase": "Running"}})
        );
    }

    #[test]
    fn the_empty_filter_keeps_everything() {
        let workflow = json!({"metadata": {"name": "a"}});
        assert_eq!(filter_fields(workflow.clone(), " "), workflow);
    }
}
