//! Patches for `patch` and `apply` resource actions: JSON merge patch (RFC 7386, also used
//! for `strategic` on the store's kinds and to approximate `apply`) and JSON patch
//! (RFC 6902: add, remove, replace, move, copy, test).
//! Must not: read the store.

use serde_json::Value;

/// Applies a JSON merge patch to `target`.
pub fn merge(target: &mut Value, patch: &Value) {
    let Value::Object(patch) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(serde_json::Map::new());
    }
    let Value::Object(map) = target else { return };
    for (key, value) in patch {
        if value.is_null() {
            map.remove(key);
        } else {
            merge(map.entry(key.clone()).or_insert(Value::Null), value);
        }
    }
}

/// Applies a JSON patch (an array of operations) to `target`; the error names the operation.
pub fn json_patch(target: &mut Value, patch: &Value) -> Result<(), String> {
    let operations = patch
        .as_array()
        .ok_or("resource.manifest: a json patch must be a list of operations")?;
    for (index, operation) in operations.iter().enumerate() {
        let field = |name: &str| {
            operation[name]
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| format!("json patch operation {index}: missing {name:?}"))
        };
        let op = field("op")?;
        let path = field("path")?;
        let fail = |reason: &str| format!("json patch operation {index} ({op} {path}): {reason}");
        match op.as_str() {
            "add" => add(target, &path, operation["value"].clone()).map_err(|e| fail(&e))?,
            "remove" => {
                remove(target, &path).map_err(|e| fail(&e))?;
            }
            "replace" => {
                remove(target, &path).map_err(|e| fail(&e))?;
                add(target, &path, operation["value"].clone()).map_err(|e| fail(&e))?;
            }
            "move" => {
                let from = field("from")?;
                let value = remove(target, &from).map_err(|e| fail(&e))?;
                add(target, &path, value).map_err(|e| fail(&e))?;
            }
            "copy" => {
                let from = field("from")?;
                let value = target
                    .pointer(&from)
                    .cloned()
                    .ok_or_else(|| fail("no such from path"))?;
                add(target, &path, value).map_err(|e| fail(&e))?;
            }
            "test" => {
                if target.pointer(&path) != Some(&operation["value"]) {
                    return Err(fail("test failed"));
                }
            }
            other => {
                return Err(format!(
                    "json patch operation {index}: unknown op {other:?}"
                ));
            }
        }
    }
    Ok(())
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

fn split(path: &str) -> Result<(String, String), String> {
    let (parent, last) = path.rsplit_once('/').ok_or("not a JSON pointer")?;
    Ok((parent.to_owned(), unescape(last)))
}

fn add(target: &mut Value, path: &str, value: Value) -> Result<(), String> {
    if path.is_empty() {
        *target = value;
        return Ok(());
    }
    let (parent, last) = split(path)?;
    match target.pointer_mut(&parent) {
        Some(Value::Object(map)) => {
            map.insert(last, value);
            Ok(())
        }
        Some(Value::Array(items)) => {
            let index = if last == "-" {
                items.len()
            } else {
                last.parse().map_err(|_| "not an array index".to_owned())?
            };
            if index > items.len() {
                return Err("index out of range".into());
            }
            items.insert(index, value);
            Ok(())
        }
        _ => Err("the parent does not exist".into()),
    }
}

fn remove(target: &mut Value, path: &str) -> Result<Value, String> {
    let (parent, last) = split(path)?;
    match target.pointer_mut(&parent) {
        Some(Value::Object(map)) => map.remove(&last).ok_or_else(|| "no such member".into()),
        Some(Value::Array(items)) => {
            let index: usize = last.parse().map_err(|_| "not an array index".to_owned())?;
            if index >= items.len() {
                return Err("index out of range".into());
            }
            Ok(items.remove(index))
        }
        _ => Err("the parent does not exist".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_patches_add_replace_and_remove_members() {
        let mut cm = json!({"data": {"a": "1", "b": "2"}, "metadata": {"name": "cm"}});
        merge(&mut cm, &json!({"data": {"a": "9", "b": null, "c": "3"}}));
        assert_eq!(
            cm,
            json!({"data": {"a": "9", "c": "3"}, "metadata": {"name": "cm"}})
        );
    }

    #[test]
    fn json_patches_follow_rfc_6902() {
        let mut cm = json!({"data": {"a": "1"}, "list": [1, 2]});
        let patch = json!([
            {"op": "add", "path": "/data/b", "value": "2"},
            {"op": "replace", "path": "/data/a", "value": "x"},
            {"op": "add", "path": "/list/-", "value": 3},
            {"op": "remove", "path": "/list/0"},
            {"op": "test", "path": "/data/b", "value": "2"},
        ]);
        json_patch(&mut cm, &patch).expect("applies");
        assert_eq!(cm, json!({"data": {"a": "x", "b": "2"}, "list": [2, 3]}));
        let error = json_patch(&mut cm, &json!([{"op": "remove", "path": "/nope/x"}]))
            .expect_err("missing parent");
        assert!(error.contains("operation 0 (remove /nope/x)"), "{error}");
    }
}
