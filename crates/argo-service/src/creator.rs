//! Creator labels, as Argo's server sets them on the workflows, templates and cron workflows it
//! creates: `workflows.argoproj.io/creator` (the caller's subject),
//! `workflows.argoproj.io/creator-email` (`@` written `.at.`) and
//! `workflows.argoproj.io/creator-preferred-username`, each made a valid label value.
//!
//! A caller without claims (auth mode `server`, or a token that carries none) removes all three,
//! as Argo does when a request has no user: the labels always describe who really created the
//! object and cannot be sent in by the client. A caller with claims sets the ones it has and
//! removes the others.
//!
//! Must not: decide who the caller is ([`Caller`] does) or touch other labels.

use serde_json::{Map, Value};

use crate::Caller;

pub const CREATOR_LABEL: &str = "workflows.argoproj.io/creator";
pub const CREATOR_EMAIL_LABEL: &str = "workflows.argoproj.io/creator-email";
pub const CREATOR_PREFERRED_USERNAME_LABEL: &str =
    "workflows.argoproj.io/creator-preferred-username";

/// The longest label value Kubernetes accepts.
const LABEL_VALUE_MAX: usize = 63;

/// Sets or removes the creator labels of `manifest` for `caller`.
pub fn label(caller: &Caller, manifest: &mut Value) {
    let claims = caller.has_claims();
    let wanted = [
        (CREATOR_LABEL, caller.subject.clone()),
        (
            CREATOR_EMAIL_LABEL,
            caller
                .email
                .as_ref()
                .map(|email| email.replacen('@', ".at.", 1)),
        ),
        (
            CREATOR_PREFERRED_USERNAME_LABEL,
            caller.preferred_username.clone(),
        ),
    ];
    let Some(root) = manifest.as_object_mut() else {
        return;
    };
    let metadata = root
        .entry("metadata")
        .or_insert_with(|| Value::Object(Map::new()));
    let Some(metadata) = metadata.as_object_mut() else {
        return;
    };
    let labels = metadata
        .entry("labels")
        .or_insert_with(|| Value::Object(Map::new()));
    let Some(labels) = labels.as_object_mut() else {
        return;
    };
    for (key, value) in wanted {
        match value.filter(|value| claims && !value.is_empty()) {
            Some(value) => {
                labels.insert(key.to_owned(), Value::String(label_value(&value)));
            }
            None => {
                labels.remove(key);
            }
        }
    }
    if labels.is_empty() {
        metadata.remove("labels");
    }
}

/// `text` as a label value: characters other than `[-_.0-9a-zA-Z]` become `-`, only the last
/// 63 are kept, and it starts and ends with a letter or digit.
pub fn label_value(text: &str) -> String {
    let replaced: Vec<char> = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let tail = &replaced[replaced.len().saturating_sub(LABEL_VALUE_MAX)..];
    let tail: String = tail.iter().collect();
    tail.trim_matches(|c: char| !c.is_ascii_alphanumeric())
        .to_owned()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn user() -> Caller {
        Caller {
            subject: Some("system:serviceaccount:argo:argo-server".into()),
            email: Some("ada@example.org".into()),
            preferred_username: None,
            ..Caller::default()
        }
    }

    #[test]
    fn a_caller_with_claims_labels_what_it_has_and_removes_the_rest() {
        let mut manifest = json!({"metadata": {"name": "t", "labels": {
            CREATOR_PREFERRED_USERNAME_LABEL: "someone-else", "app": "x"}}});
        label(&user(), &mut manifest);
        assert_eq!(
            manifest["metadata"]["labels"],
            json!({
                "app": "x",
                CREATOR_LABEL: "system-serviceaccount-argo-argo-server",
                CREATOR_EMAIL_LABEL: "ada.at.example.org",
            })
        );
    }

    #[test]
    fn a_caller_without_claims_removes_labels_a_client_sent() {
        let mut manifest = json!({"metadata": {"name": "t", "labels": {
            CREATOR_LABEL: "spoofed", CREATOR_EMAIL_LABEL: "a.at.b"}}});
        label(&Caller::default(), &mut manifest);
        assert_eq!(manifest, json!({"metadata": {"name": "t"}}));
        let mut other = json!({"metadata": {"labels": {"app": "x"}}});
        label(&Caller::default(), &mut other);
        assert_eq!(other, json!({"metadata": {"labels": {"app": "x"}}}));
    }

    #[test]
    fn label_values_are_kubernetes_safe() {
        assert_eq!(label_value("ada lovelace!"), "ada-lovelace");
        assert_eq!(label_value("--x--"), "x");
        let long = format!("{}-end", "a".repeat(80));
        let value = label_value(&long);
        assert_eq!(value.len(), LABEL_VALUE_MAX);
        assert!(value.ends_with("-end"));
        assert_eq!(label_value("@@@"), "");
    }
}
