//! What ListWorkflows adds on top of the store's list: Argo's `nameFilter` (Exact, Prefix,
//! Contains) applied to the name from `metadata.name=` in the field selector, and the
//! `createdAfter` / `finishedBefore` bounds (RFC 3339).
//!
//! Must not: page; the store does that. Prefix and Contains filter each page after the store
//! returned it, so such pages may hold fewer than `limit` items.

use argo_store::Object;
use jiff::Timestamp;

use crate::{Error, Result};

/// The part of a list request the store cannot answer itself.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListFilter {
    /// The field selector left for the store.
    pub store_field_selector: Option<String>,
    name: Option<(NameMatch, String)>,
    created_after: Option<Timestamp>,
    finished_before: Option<Timestamp>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NameMatch {
    Exact,
    NotEqual,
    Prefix,
    Contains,
}

impl ListFilter {
    pub fn new(
        field_selector: &str,
        name_filter: &str,
        created_after: &str,
        finished_before: &str,
    ) -> Result<Self> {
        let mode = match name_filter {
            "" | "Exact" => NameMatch::Exact,
            "Prefix" => NameMatch::Prefix,
            "Contains" => NameMatch::Contains,
            other => {
                return Err(Error::invalid_argument(format!(
                    "unsupported name filter {other:?}: use Exact, Prefix or Contains"
                )));
            }
        };
        let mut name = None;
        let mut rest = Vec::new();
        for term in field_selector
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            if let Some(value) = term.strip_prefix("metadata.name!=") {
                name = Some((NameMatch::NotEqual, value.to_owned()));
            } else if let Some(value) = term
                .strip_prefix("metadata.name==")
                .or_else(|| term.strip_prefix("metadata.name="))
            {
                name = Some((mode, value.to_owned()));
            } else {
                rest.push(term);
            }
        }
        Ok(Self {
            store_field_selector: (!rest.is_empty()).then(|| rest.join(",")),
            name,
            created_after: parse_time("createdAfter", created_after)?,
            finished_before: parse_time("finishedBefore", finished_before)?,
        })
    }

    /// Whether a stored workflow passes the filter.
    pub fn admits(&self, object: &Object) -> bool {
        let name_ok = match &self.name {
            None => true,
            Some((NameMatch::Exact, name)) => object.name() == name,
            Some((NameMatch::NotEqual, name)) => object.name() != name,
            Some((NameMatch::Prefix, name)) => object.name().starts_with(name.as_str()),
            Some((NameMatch::Contains, name)) => object.name().contains(name.as_str()),
        };
        let created_ok = self.created_after.is_none_or(|after| {
            object
                .metadata
                .creation_timestamp
                .as_ref()
                .is_some_and(|created| created.0 > after)
        });
        let finished_ok = self
            .finished_before
            .is_none_or(|before| finished_at(object).is_some_and(|finished| finished < before));
        name_ok && created_ok && finished_ok
    }
}

fn finished_at(object: &Object) -> Option<Timestamp> {
    object
        .status()?
        .get("finishedAt")?
        .as_str()?
        .parse::<Timestamp>()
        .ok()
}

fn parse_time(parameter: &str, text: &str) -> Result<Option<Timestamp>> {
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<Timestamp>()
        .map(Some)
        .map_err(|error| Error::invalid_argument(format!("invalid {parameter} {text:?}: {error}")))
}

#[cfg(test)]
mod tests {
    use argo_store::{Object, ResourceKind, Scope};

    use super::*;

    fn workflow(name: &str) -> Object {
        let kind = ResourceKind::new("argoproj.io/v1alpha1", "Workflow", Scope::Namespaced);
        Object::new(&kind, Some("argo"), name)
    }

    #[test]
    fn contains_matches_the_name_from_the_field_selector() {
        let filter = ListFilter::new("metadata.name=ell", "Contains", "", "").expect("valid");
        assert!(filter.admits(&workflow("hello")));
        assert!(!filter.admits(&workflow("world")));
        assert_eq!(filter.store_field_selector, None);
    }

    #[test]
    fn other_field_terms_are_left_for_the_store() {
        let filter = ListFilter::new("metadata.name=he,metadata.namespace=argo", "Prefix", "", "")
            .expect("valid");
        assert_eq!(
            filter.store_field_selector.as_deref(),
            Some("metadata.namespace=argo")
        );
        assert!(filter.admits(&workflow("hello")));
    }

    #[test]
    fn unknown_name_filters_and_bad_times_are_invalid_arguments() {
        assert!(ListFilter::new("", "Regex", "", "").is_err());
        let error = ListFilter::new("", "", "yesterday", "").expect_err("bad time");
        assert_eq!(error.code(), tonic::Code::InvalidArgument);
    }

    #[test]
    fn finished_before_skips_running_workflows() {
        let filter = ListFilter::new("", "", "", "2030-01-01T00:00:00Z").expect("valid");
        let running = workflow("a");
        let finished = workflow("b").with_field(
            "status",
            serde_json::json!({"finishedAt": "2026-01-01T00:00:00Z"}),
        );
        assert!(!filter.admits(&running));
        assert!(filter.admits(&finished));
    }
}
