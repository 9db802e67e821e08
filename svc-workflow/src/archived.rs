//! The archive behind GetWorkflow and ListWorkflows, as Argo's server uses it: a workflow absent
//! from the store is looked up in the archive by namespace and name (the latest run); a list
//! shows live workflows first, then archived ones that are no longer live. Archived items page
//! by offset with continue tokens `archived:<offset>`, which never collide with the store's
//! (URL-safe base64) tokens. Archived copies read as labelled `Persisted`.
//!
//! Must not: write to the archive or the store.

use std::sync::Arc;

use argo_store::archive::LABEL_ARCHIVING_STATUS;
use argo_store::{ArchiveQuery, FieldSelector, LabelSelector, Object, ResourceStore};
use serde_json::{Value, json};

use crate::conversion::{json_object, workflow_kind};
use crate::listing::ListFilter;
use crate::server::WorkflowServer;
use crate::{Error, Result};

const CONTINUE_PREFIX: &str = "archived:";

/// The archive offset a continue token resumes from, when it is an archive token.
pub fn archive_offset(token: Option<&str>) -> Result<Option<usize>> {
    let Some(offset) = token.and_then(|token| token.strip_prefix(CONTINUE_PREFIX)) else {
        return Ok(None);
    };
    offset.parse().map(Some).map_err(|_| {
        Error::invalid_argument(format!(
            "invalid continue token {CONTINUE_PREFIX}{offset:?}"
        ))
    })
}

/// An archived copy as a stored Workflow object labelled `Persisted`.
fn archived_object(mut workflow: Value) -> Result<Object> {
    if !workflow["metadata"]["labels"].is_object() {
        workflow["metadata"]["labels"] = json!({});
    }
    workflow["metadata"]["labels"][LABEL_ARCHIVING_STATUS] = json!("Persisted");
    json_object(&workflow_kind(), workflow)
}

/// What an archive page needs from the list request.
pub struct ArchivePage<'a> {
    pub namespace: Option<&'a str>,
    pub label_selector: Option<&'a str>,
    pub field_selector: Option<&'a str>,
    pub filter: &'a ListFilter,
    pub offset: usize,
    /// Items still wanted on this page; `None` for all.
    pub room: Option<usize>,
}

impl<S: ResourceStore + ?Sized + 'static> WorkflowServer<S> {
    /// The latest archived run of `namespace/name`, when an archive is attached.
    pub(crate) async fn archived_by_name(
        &self,
        namespace: &str,
        name: &str,
    ) -> Result<Option<Object>> {
        let Some(archive) = &self.archive else {
            return Ok(None);
        };
        archive
            .get_by_name(namespace, name)
            .await?
            .map(archived_object)
            .transpose()
    }

    /// Whether the store still holds this very run (same uid) of an archived workflow.
    async fn is_live(&self, archived: &Object) -> Result<bool> {
        match self
            .informer()
            .get(archived.namespace(), archived.name())
            .await
        {
            Ok(live) => Ok(live.uid() == archived.uid()),
            Err(error) if error.is_not_found() => Ok(false),
            Err(error) => Err(error.into()),
        }
    }

    /// Appends archived workflows that are not live to `items`; the continue token when more
    /// archived ones follow.
    pub(crate) async fn append_archived(
        &self,
        page: &ArchivePage<'_>,
        items: &mut Vec<Arc<Object>>,
    ) -> Result<Option<String>> {
        let Some(archive) = &self.archive else {
            return Ok(None);
        };
        let fields = FieldSelector::parse(page.field_selector.unwrap_or_default())?;
        let query = ArchiveQuery {
            namespace: page.namespace.map(str::to_owned),
            labels: LabelSelector::parse(page.label_selector.unwrap_or_default())?,
            offset: page.offset,
            // One more than there is room for tells whether another page follows.
            limit: page.room.map(|room| room.saturating_add(1)),
            ..ArchiveQuery::default()
        };
        let mut found = archive.list(&query).await?;
        let more = page.room.is_some_and(|room| found.len() > room);
        if let Some(room) = page.room {
            found.truncate(room);
        }
        let fetched = found.len();
        for workflow in found {
            let object = archived_object(workflow)?;
            if fields.matches(&object)
                && page.filter.admits(&object)
                && !self.is_live(&object).await?
            {
                items.push(Arc::new(object));
            }
        }
        Ok(more.then(|| format!("{CONTINUE_PREFIX}{}", page.offset + fetched)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archive_tokens_are_told_apart_from_store_tokens() {
        assert_eq!(
            archive_offset(Some("archived:12")).expect("valid"),
            Some(12)
        );
        assert_eq!(
            archive_offset(Some("eyJyZXYiOjF9")).expect("store token"),
            None
        );
        assert_eq!(archive_offset(None).expect("none"), None);
        let error = archive_offset(Some("archived:x")).expect_err("bad");
        assert_eq!(error.code(), tonic::Code::InvalidArgument);
    }
}
