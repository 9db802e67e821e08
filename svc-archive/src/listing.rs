//! The read side of the archive API: list (Argo's field selectors, `nameFilter`, `namePrefix`,
//! label selector and integer-offset `continue`), get by uid or by namespace and name, delete,
//! and the label keys and values the UI suggests.
//!
//! Field selectors accepted, as Argo's archive accepts them: `metadata.namespace=` (must agree
//! with `namespace`), `metadata.name=`/`==` (matched per `nameFilter`: Exact, Prefix,
//! Contains), `metadata.name!=`, `spec.startedAt>` / `spec.startedAt<` (RFC 3339) and
//! `ext.showRemainingItemCount=`. Anything else is an invalid argument naming the term.
//!
//! Must not: write to the resource store.

use argo_proto::k8s_meta::ListOptions;
use argo_proto::wf;
use argo_proto::workflowarchive::{
    DeleteArchivedWorkflowRequest, GetArchivedWorkflowRequest,
    ListArchivedWorkflowLabelKeysRequest, ListArchivedWorkflowLabelValuesRequest,
    ListArchivedWorkflowsRequest,
};
use argo_store::selector::Operator;
use argo_store::{ArchiveQuery, LabelSelector, NameMatch};
use jiff::Timestamp;
use serde_json::{Value, json};

use crate::conversion::{json_message, mark_persisted, summary};
use crate::server::ArchivedWorkflowServer;
use crate::{Error, Result};

/// A list request as an archive query, plus whether to count what remains.
#[derive(Debug, Clone, PartialEq)]
pub struct ListRequest {
    pub query: ArchiveQuery,
    pub show_remaining_item_count: bool,
}

fn time(term: &str, text: &str) -> Result<Timestamp> {
    text.parse()
        .map_err(|error| Error::invalid_argument(format!("field selector {term:?}: {error}")))
}

impl ListRequest {
    /// Reads Argo's list parameters.
    pub fn parse(
        options: &ListOptions,
        namespace: &str,
        name_prefix: &str,
        name_filter: &str,
    ) -> Result<Self> {
        let offset = match options.r#continue.as_deref().unwrap_or_default() {
            "" => 0,
            text => {
                let offset: i64 = text
                    .parse()
                    .map_err(|_| Error::invalid_argument("listOptions.continue must be int"))?;
                usize::try_from(offset)
                    .map_err(|_| Error::invalid_argument("listOptions.continue must >= 0"))?
            }
        };
        let limit = options
            .limit
            .filter(|limit| *limit > 0)
            .map(|limit| usize::try_from(limit).unwrap_or(usize::MAX));
        let mut namespace = (!namespace.is_empty()).then(|| namespace.to_owned());
        let mut name: Option<(bool, String)> = None;
        let mut query = ArchiveQuery {
            limit,
            offset,
            ..ArchiveQuery::default()
        };
        let mut show_remaining_item_count = false;
        let field_selector = options.field_selector.as_deref().unwrap_or_default();
        for term in field_selector.split(',').filter(|term| !term.is_empty()) {
            if let Some(value) = term.strip_prefix("metadata.namespace=") {
                match &namespace {
                    None => namespace = Some(value.to_owned()),
                    Some(given) if given == value => {}
                    Some(given) => {
                        return Err(Error::invalid_argument(format!(
                            "'namespace' query param ({given:?}) and fieldselector \
                             'metadata.namespace' ({value:?}) are both specified and \
                             contradict each other"
                        )));
                    }
                }
            } else if let Some(value) = term.strip_prefix("metadata.name!=") {
                name = Some((false, value.to_owned()));
            } else if let Some(value) = term
                .strip_prefix("metadata.name==")
                .or_else(|| term.strip_prefix("metadata.name="))
            {
                name = Some((true, value.to_owned()));
            } else if let Some(value) = term.strip_prefix("spec.startedAt>") {
                query.min_started_at = Some(time(term, value)?);
            } else if let Some(value) = term.strip_prefix("spec.startedAt<") {
                query.max_started_at = Some(time(term, value)?);
            } else if let Some(value) = term.strip_prefix("ext.showRemainingItemCount=") {
                show_remaining_item_count = value.parse().map_err(|_| {
                    Error::invalid_argument(format!("field selector {term:?}: not a boolean"))
                })?;
            } else {
                return Err(Error::invalid_argument(format!(
                    "unsupported requirement {term}"
                )));
            }
        }
        query.name = match name {
            None => None,
            Some((false, value)) => Some(NameMatch::NotEqual(value)),
            Some((true, value)) if value.is_empty() => None,
            Some((true, value)) => Some(match name_filter {
                "" | "Exact" => NameMatch::Exact(value),
                "Prefix" => NameMatch::Prefix(value),
                "Contains" => NameMatch::Contains(value),
                other => {
                    return Err(Error::invalid_argument(format!(
                        "unsupported nameFilter {other:?}: use Exact, Prefix or Contains"
                    )));
                }
            }),
        };
        query.namespace = namespace;
        query.name_prefix = (!name_prefix.is_empty()).then(|| name_prefix.to_owned());
        query.labels = LabelSelector::parse(options.label_selector.as_deref().unwrap_or_default())?;
        Ok(Self {
            query,
            show_remaining_item_count,
        })
    }
}

impl ArchivedWorkflowServer {
    pub(crate) async fn list(
        &self,
        request: ListArchivedWorkflowsRequest,
    ) -> Result<wf::WorkflowList> {
        let options = request.list_options.unwrap_or_default();
        let ListRequest {
            query,
            show_remaining_item_count,
        } = ListRequest::parse(
            &options,
            &request.namespace,
            &request.name_prefix,
            &request.name_filter,
        )?;
        // One more than the page tells whether another page follows.
        let probe = ArchiveQuery {
            limit: query.limit.map(|limit| limit.saturating_add(1)),
            ..query.clone()
        };
        let mut items = self.archive.list(&probe).await?;
        let mut metadata = json!({});
        if show_remaining_item_count && let Some(limit) = query.limit {
            let total = self.archive.count(&query).await?;
            let shown = (query.offset + items.len().min(limit)) as u64;
            metadata["remainingItemCount"] = json!(total.saturating_sub(shown));
        }
        if let Some(limit) = query.limit
            && items.len() > limit
        {
            items.truncate(limit);
            metadata["continue"] = json!((query.offset + limit).to_string());
        }
        // Within the page, Argo's order: unfinished runs first (newest created first), then
        // the most recently finished.
        items.sort_by_cached_key(|workflow| {
            let time = |pointer: &str| {
                workflow
                    .pointer(pointer)
                    .and_then(Value::as_str)
                    .and_then(|text| text.parse::<Timestamp>().ok())
            };
            match time("/status/finishedAt") {
                None => (
                    false,
                    std::cmp::Reverse(time("/metadata/creationTimestamp")),
                ),
                finished => (true, std::cmp::Reverse(finished)),
            }
        });
        let items: Vec<Value> = items.iter().map(summary).collect();
        json_message(&json!({"metadata": metadata, "items": items}))
    }

    /// The archived workflow a get, delete, retry or resubmit names.
    pub(crate) async fn archived(&self, uid: &str, namespace: &str, name: &str) -> Result<Value> {
        let found = if !uid.is_empty() {
            self.archive.get(uid).await?
        } else if name.is_empty() || namespace.is_empty() {
            return Err(Error::invalid_argument(
                "both name and namespace are required if uid is not specified",
            ));
        } else {
            self.archive.get_by_name(namespace, name).await?
        };
        let mut workflow = found.ok_or_else(|| Error::not_found("not found"))?;
        mark_persisted(&mut workflow);
        Ok(workflow)
    }

    pub(crate) async fn get(&self, request: GetArchivedWorkflowRequest) -> Result<wf::Workflow> {
        let workflow = self
            .archived(&request.uid, &request.namespace, &request.name)
            .await?;
        json_message(&workflow)
    }

    pub(crate) async fn delete(&self, request: DeleteArchivedWorkflowRequest) -> Result<()> {
        let workflow = self
            .archived(&request.uid, &request.namespace, &request.name)
            .await?;
        let uid = workflow["metadata"]["uid"].as_str().unwrap_or_default();
        if !self.archive.delete(uid).await? {
            return Err(Error::not_found("not found"));
        }
        Ok(())
    }

    pub(crate) async fn label_keys(
        &self,
        request: ListArchivedWorkflowLabelKeysRequest,
    ) -> Result<wf::LabelKeys> {
        let namespace = Some(request.namespace.as_str()).filter(|ns| !ns.is_empty());
        let items = self.archive.label_keys(namespace).await?;
        Ok(wf::LabelKeys { items })
    }

    pub(crate) async fn label_values(
        &self,
        request: ListArchivedWorkflowLabelValuesRequest,
    ) -> Result<wf::LabelValues> {
        let options = request.list_options.unwrap_or_default();
        let selector = LabelSelector::parse(options.label_selector.as_deref().unwrap_or_default())?;
        let [requirement] = selector.requirements.as_slice() else {
            return Err(Error::invalid_argument(format!(
                "only allow 1 labelRequirement, found {}",
                selector.requirements.len()
            )));
        };
        if requirement.operator != Operator::Exists {
            return Err(Error::invalid_argument(format!(
                "operation in {requirement:?} is not supported: name one label key, as in \
                 labelSelector={}",
                requirement.key
            )));
        }
        let key = requirement.key.as_str();
        if self
            .config
            .skip_values_for_keys
            .as_ref()
            .is_some_and(|pattern| pattern.is_match(key))
        {
            tracing::info!(label_key = key, "values of this label key are not listed");
            return Ok(wf::LabelValues { items: Vec::new() });
        }
        let namespace = Some(request.namespace.as_str()).filter(|ns| !ns.is_empty());
        let items = self.archive.label_values(key, namespace).await?;
        Ok(wf::LabelValues { items })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(field_selector: &str, label_selector: &str, cont: &str) -> ListOptions {
        ListOptions {
            field_selector: Some(field_selector.to_owned()),
            label_selector: Some(label_selector.to_owned()),
            r#continue: Some(cont.to_owned()),
            ..ListOptions::default()
        }
    }

    #[test]
    fn argo_field_selectors_become_the_query() {
        let parsed = ListRequest::parse(
            &options(
                "metadata.namespace=argo,metadata.name=hel,spec.startedAt>2026-01-01T00:00:00Z,ext.showRemainingItemCount=true",
                "team=x",
                "20",
            ),
            "",
            "h",
            "Prefix",
        )
        .expect("valid");
        assert_eq!(parsed.query.namespace.as_deref(), Some("argo"));
        assert_eq!(parsed.query.name, Some(NameMatch::Prefix("hel".into())));
        assert_eq!(parsed.query.name_prefix.as_deref(), Some("h"));
        assert_eq!(parsed.query.offset, 20);
        assert!(parsed.query.min_started_at.is_some());
        assert!(parsed.show_remaining_item_count);
        assert_eq!(parsed.query.labels.to_string(), "team=x");
    }

    #[test]
    fn bad_list_parameters_are_invalid_arguments_naming_the_problem() {
        let cases = [
            (options("", "", "abc"), "", "continue must be int"),
            (options("", "", "-1"), "", "continue must >= 0"),
            (
                options("status.phase=Failed", "", ""),
                "",
                "unsupported requirement",
            ),
            (options("metadata.namespace=b", "", ""), "a", "contradict"),
            (
                options("spec.startedAt>soon", "", ""),
                "",
                "spec.startedAt>soon",
            ),
            (options("", "a in (", ""), "", "invalid selector"),
        ];
        for (options, namespace, expected) in cases {
            let error = ListRequest::parse(&options, namespace, "", "").expect_err(expected);
            assert_eq!(error.code(), tonic::Code::InvalidArgument, "{expected}");
            assert!(
                error.client_message().contains(expected),
                "{error} / {expected}"
            );
        }
    }
}
