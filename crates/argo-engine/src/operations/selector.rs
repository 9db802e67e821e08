//! Node field selectors (`displayName=approve`, `templateName=x,phase!=Succeeded`,
//! `inputs.parameters.p.value=1`), as Kubernetes field selectors over a node.
//!
//! Must not: know about operations; it only matches nodes.

use std::fmt;

use argo_core::NodeStatus;

use crate::error::{Error, Result};

/// A parsed selector: every requirement must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NodeSelector {
    requirements: Vec<(String, bool, String)>,
    source: String,
}

impl NodeSelector {
    /// Parses `key=value`, `key==value` and `key!=value` terms separated by commas; the empty
    /// selector matches every node.
    pub fn parse(text: &str) -> Result<Self> {
        let mut requirements = Vec::new();
        for term in text.split(',').map(str::trim).filter(|t| !t.is_empty()) {
            let (key, equal, value) = if let Some((k, v)) = term.split_once("!=") {
                (k, false, v)
            } else if let Some((k, v)) = term.split_once("==") {
                (k, true, v)
            } else if let Some((k, v)) = term.split_once('=') {
                (k, true, v)
            } else {
                return Err(Error::msg(format!(
                    "invalid selector: '{text}'; can't understand '{term}'"
                )));
            };
            requirements.push((key.trim().to_owned(), equal, value.trim().to_owned()));
        }
        Ok(NodeSelector {
            requirements,
            source: text.to_owned(),
        })
    }

    /// Whether a node satisfies every requirement.
    pub fn matches(&self, node: &NodeStatus) -> bool {
        self.requirements.iter().all(|(key, equal, value)| {
            let actual = field(node, key);
            (actual.as_deref() == Some(value.as_str())) == *equal
        })
    }

    /// True for the empty selector.
    pub fn is_empty(&self) -> bool {
        self.requirements.is_empty()
    }
}

impl fmt::Display for NodeSelector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

fn field(node: &NodeStatus, key: &str) -> Option<String> {
    match key {
        "displayName" => Some(node.display_name.clone()),
        "name" => Some(node.name.clone()),
        "id" => Some(node.id.clone()),
        "templateName" => Some(node.template_name.clone()),
        "phase" => Some(node.phase.as_str().to_owned()),
        "type" => Some(node.node_type.as_str().to_owned()),
        "boundaryID" => Some(node.boundary_id.clone()),
        "templateRef.name" => node.template_ref.as_ref().map(|r| r.name.clone()),
        "templateRef.template" => node.template_ref.as_ref().map(|r| r.template.clone()),
        other => {
            let name = other
                .strip_prefix("inputs.parameters.")?
                .strip_suffix(".value")?;
            node.inputs
                .as_ref()?
                .parameter(name)?
                .value
                .as_ref()
                .map(|v| v.0.clone())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use argo_core::NodeType;

    #[test]
    fn selectors_match_display_names_and_negations() {
        let mut node = NodeStatus::new("id", "wf.approve", NodeType::Suspend);
        node.display_name = "approve".into();
        assert!(
            NodeSelector::parse("displayName=approve")
                .expect("parse")
                .matches(&node)
        );
        assert!(
            !NodeSelector::parse("displayName!=approve")
                .expect("parse")
                .matches(&node)
        );
        assert!(NodeSelector::parse("").expect("parse").matches(&node));
        assert!(NodeSelector::parse("nonsense").is_err());
    }
}
