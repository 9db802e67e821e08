//! Resource success/failure conditions: Kubernetes label-selector syntax whose keys are
//! gjson-style paths into the resource's JSON (`status.phase == Failed`,
//! `status.succeeded > 0`, `metadata.name in (a,b)`, `!status.failed`), ANDed by commas,
//! as Argo's resource executor evaluates them.
//! Must not: read the store; it matches one JSON document.

use serde_json::Value;

/// One requirement of a selector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    key: String,
    operator: Operator,
    values: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Operator {
    Equals,
    DoubleEquals,
    NotEquals,
    In,
    NotIn,
    Exists,
    DoesNotExist,
    GreaterThan,
    LessThan,
}

/// Parses a selector; the error names the offending requirement.
pub fn parse(selector: &str) -> Result<Vec<Requirement>, String> {
    split_requirements(selector)
        .into_iter()
        .filter(|part| !part.trim().is_empty())
        .map(|part| parse_one(part.trim()))
        .collect()
}

/// Splits on commas outside parentheses.
fn split_requirements(selector: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (index, c) in selector.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                parts.push(&selector[start..index]);
                start = index + 1;
            }
            _ => {}
        }
    }
    parts.push(&selector[start..]);
    parts
}

fn parse_one(text: &str) -> Result<Requirement, String> {
    let requirement = |key: &str, operator, values: Vec<String>| {
        if key.is_empty() {
            return Err(format!("requirement {text:?}: missing key"));
        }
        Ok(Requirement {
            key: key.to_owned(),
            operator,
            values,
        })
    };
    if let Some(key) = text.strip_prefix('!') {
        return requirement(key.trim(), Operator::DoesNotExist, Vec::new());
    }
    for (symbol, operator) in [
        ("==", Operator::DoubleEquals),
        ("!=", Operator::NotEquals),
        ("=", Operator::Equals),
        (">", Operator::GreaterThan),
        ("<", Operator::LessThan),
    ] {
        if let Some((key, value)) = text.split_once(symbol) {
            let value = value.trim().to_owned();
            if matches!(operator, Operator::GreaterThan | Operator::LessThan)
                && value.parse::<i64>().is_err()
            {
                return Err(format!(
                    "requirement {text:?}: for '{symbol}' the value must be an integer"
                ));
            }
            return requirement(key.trim(), operator, vec![value]);
        }
    }
    for (word, operator) in [(" notin ", Operator::NotIn), (" in ", Operator::In)] {
        if let Some((key, set)) = text.split_once(word) {
            let set = set.trim();
            let inner = set
                .strip_prefix('(')
                .and_then(|s| s.strip_suffix(')'))
                .ok_or_else(|| format!("requirement {text:?}: expected a (value,...) set"))?;
            let mut values: Vec<String> = inner.split(',').map(|v| v.trim().to_owned()).collect();
            values.sort();
            return requirement(key.trim(), operator, values);
        }
    }
    if text.contains(char::is_whitespace) {
        return Err(format!("requirement {text:?}: unknown operator"));
    }
    requirement(text, Operator::Exists, Vec::new())
}

impl Requirement {
    /// Whether `document` satisfies the requirement (Kubernetes' `Requirement.Matches`).
    pub fn matches(&self, document: &Value) -> bool {
        let found = lookup(document, &self.key).map(gjson_string);
        match self.operator {
            Operator::Equals | Operator::DoubleEquals | Operator::In => {
                found.is_some_and(|v| self.values.contains(&v))
            }
            Operator::NotEquals | Operator::NotIn => {
                found.is_none_or(|v| !self.values.contains(&v))
            }
            Operator::Exists => found.is_some(),
            Operator::DoesNotExist => found.is_none(),
            Operator::GreaterThan | Operator::LessThan => {
                let (Some(found), Some(limit)) = (
                    found.and_then(|v| v.parse::<i64>().ok()),
                    self.values.first().and_then(|v| v.parse::<i64>().ok()),
                ) else {
                    return false;
                };
                if self.operator == Operator::GreaterThan {
                    found > limit
                } else {
                    found < limit
                }
            }
        }
    }
}

impl std::fmt::Display for Requirement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let value = self.values.first().map_or("", String::as_str);
        match self.operator {
            Operator::Equals => write!(f, "{}={value}", self.key),
            Operator::DoubleEquals => write!(f, "{}=={value}", self.key),
            Operator::NotEquals => write!(f, "{}!={value}", self.key),
            Operator::GreaterThan => write!(f, "{}>{value}", self.key),
            Operator::LessThan => write!(f, "{}<{value}", self.key),
            Operator::In => write!(f, "{} in ({})", self.key, self.values.join(",")),
            Operator::NotIn => write!(f, "{} notin ({})", self.key, self.values.join(",")),
            Operator::Exists => write!(f, "{}", self.key),
            Operator::DoesNotExist => write!(f, "!{}", self.key),
        }
    }
}

/// A gjson-style path (`status.conditions.0.type`, `items.#` for a length; `\.` escapes a
/// dot in a key) into `document`.
pub fn lookup(document: &Value, path: &str) -> Option<Value> {
    let mut segments = Vec::new();
    let mut current = String::new();
    let mut chars = path.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => current.extend(chars.next()),
            '.' => segments.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    segments.push(current);
    let mut value = document.clone();
    for segment in segments {
        value = match value {
            Value::Array(items) if segment == "#" => Value::from(items.len()),
            Value::Array(mut items) => {
                let index: usize = segment.parse().ok()?;
                if index >= items.len() {
                    return None;
                }
                items.swap_remove(index)
            }
            Value::Object(mut map) => map.remove(&segment)?,
            _ => return None,
        };
    }
    Some(value)
}

/// gjson's `String()`: strings raw, everything else as JSON text.
fn gjson_string(value: Value) -> String {
    match value {
        Value::String(s) => s,
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn holds(selector: &str, document: &Value) -> bool {
        parse(selector)
            .expect("a valid selector")
            .iter()
            .all(|r| r.matches(document))
    }

    #[test]
    fn equality_sets_existence_and_numbers_match_as_kubernetes_does() {
        let job = json!({"status": {"succeeded": 2, "phase": "Running",
            "conditions": [{"type": "Complete"}]}, "metadata": {"name": "j"}});
        assert!(holds("status.succeeded > 0", &job));
        assert!(!holds("status.succeeded < 1", &job));
        assert!(holds("status.phase == Running", &job));
        assert!(holds(
            "status.phase = Running, metadata.name in (a,j)",
            &job
        ));
        assert!(!holds("status.phase notin (Running)", &job));
        assert!(holds("status.failed notin (1)", &job));
        assert!(holds("!status.failed", &job));
        assert!(holds("status.conditions.0.type == Complete", &job));
        assert!(holds("status.conditions.# == 1", &job));
        assert!(!holds("status.failed > 0", &job));
    }

    #[test]
    fn bad_selectors_are_errors_naming_the_requirement() {
        let error = parse("status.succeeded > x").expect_err("not an integer");
        assert!(error.contains("status.succeeded > x"), "{error}");
        assert!(parse("a in b").is_err());
    }

    #[test]
    fn requirements_print_as_kubernetes_prints_them() {
        let parsed = parse("status.phase in (Failed,Error), status.x == 1").expect("valid");
        assert_eq!(parsed[0].to_string(), "status.phase in (Error,Failed)");
        assert_eq!(parsed[1].to_string(), "status.x==1");
    }
}
