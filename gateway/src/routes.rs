//! The REST route table, built from the `google.api.http` rules in the schema.
//!
//! A template such as `/api/v1/workflows/{namespace}/{name}/log` is split into literal and
//! variable segments. A request path can match several templates (`.../{name}` and `.../lint`
//! for `POST`); like grpc-gateway, the template whose literal segments come earliest wins, so
//! `/api/v1/workflows/argo/lint` is the lint call and not a workflow named `lint`. This module
//! only matches paths; it neither decodes bodies nor calls services.

use argo_proto::{HttpBinding, HttpVerb};

use crate::{Error, Result};

#[derive(Clone, Debug, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Variable(String),
}

/// One compiled template and the binding it serves.
#[derive(Clone, Debug)]
struct Route {
    verb: HttpVerb,
    segments: Vec<Segment>,
    binding: HttpBinding,
}

/// A successful match: the binding and the decoded path variables.
#[derive(Debug)]
pub struct RouteMatch {
    pub binding: HttpBinding,
    pub variables: Vec<(String, String)>,
}

/// Every REST binding, ready to match request paths.
#[derive(Clone, Debug, Default)]
pub struct RouteTable {
    routes: Vec<Route>,
}

impl RouteTable {
    /// Compiles the bindings.
    ///
    /// # Errors
    /// [`Error::PathTemplate`] when a template has an unclosed `{` or an empty variable.
    pub fn new(bindings: Vec<HttpBinding>) -> Result<Self> {
        let routes = bindings
            .into_iter()
            .map(|binding| {
                Ok(Route {
                    verb: binding.verb,
                    segments: parse_template(&binding.path)?,
                    binding,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Self { routes })
    }

    /// Every binding of the schema.
    ///
    /// # Errors
    /// When the schema does not load or a template is malformed.
    pub fn from_schema() -> Result<Self> {
        let pool = argo_proto::descriptor_pool().map_err(Error::Schema)?;
        Self::new(argo_proto::http_bindings(pool).map_err(Error::Schema)?)
    }

    /// Whether any route's template matches `path` (for 405 versus 404).
    pub fn matches_any_verb(&self, path: &str) -> bool {
        let segments = split_path(path);
        self.routes
            .iter()
            .any(|route| match_segments(&route.segments, &segments).is_some())
    }

    /// The best route for a verb and a (still percent-encoded) path.
    pub fn find(&self, verb: HttpVerb, path: &str) -> Option<RouteMatch> {
        let segments = split_path(path);
        self.routes
            .iter()
            .filter(|route| route.verb == verb)
            .filter_map(|route| {
                match_segments(&route.segments, &segments).map(|variables| (route, variables))
            })
            .max_by_key(|(route, _)| specificity(&route.segments))
            .map(|(route, variables)| RouteMatch {
                binding: route.binding.clone(),
                variables,
            })
    }
}

/// A literal in an earlier position outranks any number of literals later on.
fn specificity(segments: &[Segment]) -> Vec<bool> {
    segments
        .iter()
        .map(|segment| matches!(segment, Segment::Literal(_)))
        .collect()
}

fn split_path(path: &str) -> Vec<&str> {
    path.trim_start_matches('/').split('/').collect()
}

fn parse_template(template: &str) -> Result<Vec<Segment>> {
    let malformed = || Error::PathTemplate {
        template: template.to_owned(),
    };
    split_path(template)
        .into_iter()
        .map(|part| match part.strip_prefix('{') {
            Some(rest) => {
                let name = rest.strip_suffix('}').ok_or_else(malformed)?;
                // `{name=*}` is the same as `{name}`; deeper patterns are not used by Argo.
                let name = name.split('=').next().unwrap_or(name);
                if name.is_empty() {
                    return Err(malformed());
                }
                Ok(Segment::Variable(name.to_owned()))
            }
            None => Ok(Segment::Literal(part.to_owned())),
        })
        .collect()
}

fn match_segments(template: &[Segment], path: &[&str]) -> Option<Vec<(String, String)>> {
    if template.len() != path.len() {
        return None;
    }
    let mut variables = Vec::new();
    for (segment, part) in template.iter().zip(path) {
        match segment {
            Segment::Literal(literal) if literal == part => {}
            Segment::Literal(_) => return None,
            Segment::Variable(_) if part.is_empty() => return None,
            Segment::Variable(name) => variables.push((name.clone(), percent_decode(part)?)),
        }
    }
    Some(variables)
}

/// Decodes `%XX` escapes; `None` when the result is not UTF-8 or an escape is malformed.
pub fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'%' => {
                let hex = text.get(index + 1..index + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                index += 3;
            }
            byte => {
                out.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// Splits a query string into distinct keys with all their values, in first-seen order.
/// `+` means a space, as in Go's `url.ParseQuery`.
pub fn parse_query(query: &str) -> Vec<(String, Vec<String>)> {
    let mut pairs: Vec<(String, Vec<String>)> = Vec::new();
    for part in query.split('&').filter(|part| !part.is_empty()) {
        let (key, value) = part.split_once('=').unwrap_or((part, ""));
        let decode = |text: &str| percent_decode(&text.replace('+', " "));
        let (Some(key), Some(value)) = (decode(key), decode(value)) else {
            continue;
        };
        match pairs.iter_mut().find(|(existing, _)| *existing == key) {
            Some((_, values)) => values.push(value),
            None => pairs.push((key, vec![value])),
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> RouteTable {
        RouteTable::from_schema().expect("schema routes compile")
    }

    fn method_of(table: &RouteTable, verb: HttpVerb, path: &str) -> Option<String> {
        table
            .find(verb, path)
            .map(|found| found.binding.method.name().to_owned())
    }

    #[test]
    fn literal_segments_win_over_variables_in_the_same_position() {
        let table = table();
        assert_eq!(
            method_of(&table, HttpVerb::Post, "/api/v1/workflows/argo/lint").as_deref(),
            Some("LintWorkflow")
        );
        assert_eq!(
            method_of(&table, HttpVerb::Get, "/api/v1/workflows/argo/lint").as_deref(),
            Some("GetWorkflow")
        );
    }

    #[test]
    fn workflow_and_pod_log_paths_reach_their_own_methods() {
        let table = table();
        assert_eq!(
            method_of(&table, HttpVerb::Get, "/api/v1/workflows/argo/wf/log").as_deref(),
            Some("WorkflowLogs")
        );
        assert_eq!(
            method_of(&table, HttpVerb::Get, "/api/v1/workflows/argo/wf/pod-1/log").as_deref(),
            Some("PodLogs")
        );
        let found = table
            .find(HttpVerb::Get, "/api/v1/workflows/argo/my%20wf")
            .expect("get matches");
        assert_eq!(
            found.variables,
            vec![
                ("namespace".to_owned(), "argo".to_owned()),
                ("name".to_owned(), "my wf".to_owned())
            ]
        );
    }

    #[test]
    fn unknown_paths_and_empty_variables_do_not_match() {
        let table = table();
        assert!(table.find(HttpVerb::Get, "/api/v1/nothing").is_none());
        assert!(table.find(HttpVerb::Get, "/api/v1/workflows//x").is_none());
        assert!(table.matches_any_verb("/api/v1/workflows/argo/wf/stop"));
    }

    #[test]
    fn query_keys_repeat_and_decode() {
        assert_eq!(
            parse_query("a=1&listOptions.labelSelector=x%3Dy&a=2&b=c+d&&flag"),
            vec![
                ("a".to_owned(), vec!["1".to_owned(), "2".to_owned()]),
                (
                    "listOptions.labelSelector".to_owned(),
                    vec!["x=y".to_owned()]
                ),
                ("b".to_owned(), vec!["c d".to_owned()]),
                ("flag".to_owned(), vec![String::new()]),
            ]
        );
    }
}
