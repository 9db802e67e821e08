//! Listing templates as Argo's server does. Without a name pattern the store pages natively
//! (`limit`/`continue` are the store's). With `namePattern` Argo lists everything, keeps the
//! names containing the pattern and pages by resourceVersion instead: newest first, `continue`
//! is the resourceVersion of the last item returned and the next page holds the older ones.
//! Either way the page is answered sorted by name.
//!
//! Must not: read the store; the caller passes what it listed.

use argo_store::Object;

use crate::{Error, Result};

/// What a list request asks for beyond the store's own parameters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NamePage {
    /// Only names containing this.
    pub pattern: String,
    /// At most this many items (0: all).
    pub limit: usize,
    /// The resourceVersion the previous page ended at.
    pub after: Option<u64>,
}

impl NamePage {
    /// Reads the request's pattern, limit and continue token.
    pub fn new(pattern: &str, limit: Option<i64>, continue_token: Option<&str>) -> Result<Self> {
        let limit = match limit.unwrap_or(0) {
            negative if negative < 0 => {
                return Err(Error::invalid_argument(format!(
                    "listOptions.limit must not be negative, got {negative}"
                )));
            }
            limit => usize::try_from(limit).unwrap_or(usize::MAX),
        };
        let after = match continue_token.filter(|token| !token.is_empty()) {
            None => None,
            Some(token) => Some(token.parse::<u64>().map_err(|_| {
                Error::invalid_argument(format!(
                    "invalid listOptions.continue {token:?}: with namePattern it is the resourceVersion the previous page ended at"
                ))
            })?),
        };
        Ok(Self {
            pattern: pattern.to_owned(),
            limit,
            after,
        })
    }

    /// The page of `items` (everything the store holds for the request) and the token for
    /// the next one.
    pub fn select(&self, items: Vec<Object>) -> (Vec<Object>, Option<String>) {
        let mut matching: Vec<(u64, Object)> = items
            .into_iter()
            .filter(|object| object.name().contains(self.pattern.as_str()))
            .map(|object| (revision(&object), object))
            .filter(|(revision, _)| self.after.is_none_or(|after| *revision < after))
            .collect();
        matching.sort_by(|(a, _), (b, _)| b.cmp(a));
        if self.limit > 0 {
            matching.truncate(self.limit);
        }
        let next = (self.limit > 0 && matching.len() == self.limit)
            .then(|| matching.last().map(|(revision, _)| revision.to_string()))
            .flatten();
        let mut page: Vec<Object> = matching.into_iter().map(|(_, object)| object).collect();
        sort_by_name(&mut page);
        (page, next)
    }
}

/// Argo answers template lists sorted by name.
pub fn sort_by_name(items: &mut [Object]) {
    items.sort_by(|a, b| a.name().cmp(b.name()));
}

fn revision(object: &Object) -> u64 {
    object
        .resource_version()
        .and_then(|version| version.parse().ok())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use argo_store::{ResourceKind, Scope};

    use super::*;

    fn template(name: &str, revision: u64) -> Object {
        let kind = ResourceKind::new(
            "argoproj.io/v1alpha1",
            "WorkflowTemplate",
            Scope::Namespaced,
        );
        let mut object = Object::new(&kind, Some("argo"), name);
        object.metadata.resource_version = Some(revision.to_string());
        object
    }

    fn names(items: &[Object]) -> Vec<&str> {
        items.iter().map(Object::name).collect()
    }

    #[test]
    fn a_pattern_pages_newest_first_and_answers_by_name() {
        let items = vec![
            template("build-a", 1),
            template("build-b", 2),
            template("test", 3),
            template("build-c", 4),
        ];
        let first = NamePage::new("build", Some(2), None).expect("valid");
        let (page, next) = first.select(items.clone());
        assert_eq!(names(&page), ["build-b", "build-c"]);
        assert_eq!(next.as_deref(), Some("2"));
        let second = NamePage::new("build", Some(2), next.as_deref()).expect("valid");
        let (page, next) = second.select(items);
        assert_eq!(names(&page), ["build-a"]);
        assert_eq!(next, None);
    }

    #[test]
    fn bad_limits_and_tokens_name_the_field() {
        let error = NamePage::new("x", Some(-1), None).expect_err("negative");
        assert!(error.to_string().contains("listOptions.limit"));
        let error = NamePage::new("x", None, Some("abc")).expect_err("not a revision");
        assert!(error.to_string().contains("listOptions.continue"));
    }
}
