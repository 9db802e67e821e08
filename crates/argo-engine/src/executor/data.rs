//! Data templates (Argo's `executeData`): a Pod node whose `main` container runs
//! `argoexec data <data spec as JSON>`; the executor lists the source and applies the
//! transformations, and the result is the node's `outputs.result` (always captured).
//!
//! Must not: list artifacts or evaluate transformation expressions.

use argo_core::Template;

/// The executor arguments of a data template: `data` and the `data` field as JSON.
pub(crate) fn data_args(template: &Template) -> Option<Vec<String>> {
    let data = template.data.as_ref()?;
    let json = serde_json::to_string(data).ok()?;
    Some(vec!["data".to_owned(), json])
}

/// Data templates always capture their result.
pub(crate) fn captures_result(template: &Template) -> bool {
    template.data.is_some()
}
