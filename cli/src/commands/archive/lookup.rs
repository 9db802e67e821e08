//! Turning the argument of an archive command into a UID: a UID as given (or forced with
//! `--uid`), else the UID of the one archived workflow with exactly that name.
//! Must not: guess between several workflows with one name; it lists their UIDs instead.

use anyhow::bail;
use serde_json::{Value as Json, json};

use super::Identity;
use crate::commands::{Session, items};

fn looks_like_uid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups.iter().all(|g| {
            g.chars()
                .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
        })
}

/// The UID an argument names: itself when it is (or is forced to be) a UID, else the UID of
/// the one archived workflow with that exact name.
pub(super) async fn resolve_uid(
    session: &Session,
    identifier: &str,
    identity: &Identity,
) -> anyhow::Result<String> {
    if identity.uid || (!identity.name && looks_like_uid(identifier)) {
        return Ok(identifier.to_owned());
    }
    let list = session
        .call(
            "workflowarchive.ArchivedWorkflowService.ListArchivedWorkflows",
            json!({
                "namespace": session.namespace(),
                "listOptions": {"fieldSelector": format!("metadata.name={identifier}")},
                "nameFilter": "Exact",
            }),
        )
        .await
        .map_err(|e| e.context("list archived workflows"))?;
    let matches = items(&list);
    match matches.as_slice() {
        [] => bail!("resolve UID: archived workflow '{identifier}' not found"),
        [one] => Ok(one
            .pointer("/metadata/uid")
            .and_then(Json::as_str)
            .unwrap_or_default()
            .to_owned()),
        many => {
            let mut message = format!(
                "resolve UID: Multiple archived workflows found with name '{identifier}':\n"
            );
            for workflow in many {
                let uid = workflow
                    .pointer("/metadata/uid")
                    .and_then(Json::as_str)
                    .unwrap_or("");
                message.push_str(&format!("  {uid}\n"));
            }
            message.push_str("Please specify the UID.");
            bail!(message)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uids_are_recognised_by_shape() {
        assert!(looks_like_uid("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
        assert!(!looks_like_uid("my-workflow"));
        assert!(!looks_like_uid("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11"));
    }
}
