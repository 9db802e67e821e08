//! The `fields=` response filter: keep only the listed JSON paths, or drop them.
//!
//! `fields=items.metadata.name,items.status.phase` keeps those paths (arrays are walked
//! through, so `items.metadata.name` applies to every item); a leading `-`
//! (`fields=-items.status.nodes`) turns the list into paths to remove. The filter works on the
//! JSON the gateway is about to write (for streams, on the `{"result": ...}` frame) and never
//! fails: paths that do not exist are ignored.

use serde_json::{Map, Value};

/// A parsed `fields` parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldFilter {
    exclude: bool,
    paths: Vec<Vec<String>>,
}

impl FieldFilter {
    /// Parses the parameter; `None` for an empty one (no filtering).
    pub fn parse(fields: &str) -> Option<Self> {
        let trimmed = fields.trim();
        let (exclude, list) = match trimmed.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, trimmed),
        };
        let paths: Vec<Vec<String>> = list
            .split(',')
            .map(|path| path.trim().trim_start_matches('-'))
            .filter(|path| !path.is_empty())
            .map(|path| path.split('.').map(str::to_owned).collect())
            .collect();
        (!paths.is_empty()).then_some(Self { exclude, paths })
    }

    /// Applies the filter to a JSON document.
    pub fn apply(&self, value: Value) -> Value {
        if self.exclude {
            let mut value = value;
            for path in &self.paths {
                remove_path(&mut value, path);
            }
            value
        } else {
            let paths: Vec<&[String]> = self.paths.iter().map(Vec::as_slice).collect();
            keep_paths(value, &paths)
        }
    }
}

fn keep_paths(value: Value, paths: &[&[String]]) -> Value {
    if paths.iter().any(|path| path.is_empty()) {
        return value;
    }
    match value {
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|item| keep_paths(item, paths))
                .collect(),
        ),
        Value::Object(object) => {
            let mut kept = Map::new();
            for (key, child) in object {
                let rests: Vec<&[String]> = paths
                    .iter()
                    .filter(|path| path.first() == Some(&key))
                    .map(|path| &path[1..])
                    .collect();
                if !rests.is_empty() {
                    kept.insert(key, keep_paths(child, &rests));
                }
            }
            Value::Object(kept)
        }
        scalar => scalar,
    }
}

fn remove_path(value: &mut Value, path: &[String]) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    match value {
        Value::Array(items) => items.iter_mut().for_each(|item| remove_path(item, path)),
        Value::Object(object) if rest.is_empty() => {
            object.shift_remove(first);
        }
        Value::Object(object) => {
            if let Some(child) = object.get_mut(first) {
                remove_path(child, rest);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use pretty_assertions::assert_eq;
    use serde_json::json;

    use super::*;

    fn list() -> Value {
        json!({
            "metadata": {"resourceVersion": "7"},
            "items": [
                {"metadata": {"name": "a", "uid": "1"}, "status": {"phase": "Running", "nodes": {"a": {}}}},
                {"metadata": {"name": "b", "uid": "2"}, "status": {"phase": "Failed"}}
            ]
        })
    }

    #[test]
    fn include_form_keeps_only_the_listed_paths_through_arrays() {
        let filter =
            FieldFilter::parse("metadata,items.metadata.name,items.status.phase").expect("parses");
        assert_eq!(
            filter.apply(list()),
            json!({
                "metadata": {"resourceVersion": "7"},
                "items": [
                    {"metadata": {"name": "a"}, "status": {"phase": "Running"}},
                    {"metadata": {"name": "b"}, "status": {"phase": "Failed"}}
                ]
            })
        );
    }

    #[test]
    fn exclude_form_drops_the_listed_paths() {
        let filter = FieldFilter::parse("-items.status.nodes,items.metadata.uid").expect("parses");
        assert_eq!(
            filter.apply(list()),
            json!({
                "metadata": {"resourceVersion": "7"},
                "items": [
                    {"metadata": {"name": "a"}, "status": {"phase": "Running"}},
                    {"metadata": {"name": "b"}, "status": {"phase": "Failed"}}
                ]
            })
        );
    }

    #[test]
    fn empty_parameter_means_no_filter() {
        assert_eq!(FieldFilter::parse(""), None);
        assert_eq!(FieldFilter::parse(" , "), None);
    }
}
