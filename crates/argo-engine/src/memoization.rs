//! Memoization (a template's `memoize: {key, maxAge, cache.configMap.name}`), as Argo does it:
//! when a node of a memoized template is about to be created, its (input-substituted) key is
//! looked up in the cache; a hit within `maxAge` creates the node Succeeded with the cached
//! outputs and no pod, a miss creates it as usual with `memoizationStatus.hit = false`, and
//! once such a node Succeeds its outputs are written back (`Effect::WriteMemo`).
//!
//! Invariant: a write is asked for in the reconcile where the node became Succeeded (the
//! input status had it otherwise), so a reconcile fed back its own status writes nothing.
//! Must not: read or write a cache itself (entries come in through `Observed::memo`) or read
//! a clock (`now` is the reconcile's).

use argo_core::{MemoizationStatus, NodePhase, NodeStatus, NodeType, Template, TemplateKind};
use jiff::SignedDuration;

use crate::effect::Effect;
use crate::error::{Error, Result};
use crate::operation::{ExecuteOpts, Operation, TemplateCall};

/// Kubernetes' longest ConfigMap data key.
const MAX_CONFIG_MAP_KEY: usize = 253;

/// The cache lookup's status for a memoized template (hit unknown yet: false).
pub(crate) fn memoization_status(template: &Template) -> Option<MemoizationStatus> {
    let memoize = template.memoize.as_ref()?;
    Some(MemoizationStatus {
        hit: false,
        key: memoize.key.clone(),
        cache_name: cache_name(memoize),
    })
}

fn cache_name(memoize: &argo_core::Memoize) -> String {
    memoize
        .cache
        .as_ref()
        .and_then(|c| c.config_map.as_ref())
        .map(|c| c.name.clone())
        .unwrap_or_default()
}

/// Argo's cache key rule: a letter or digit, then letters, digits and dashes.
fn valid_key(key: &str) -> bool {
    let mut chars = key.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// `maxAge` parsed as Go's `time.ParseDuration` does (a bare number other than 0 has no unit).
fn parse_max_age(text: &str) -> Result<SignedDuration> {
    let bare_number = !text.is_empty() && text.chars().all(|c| c.is_ascii_digit() || c == '.');
    if bare_number && text != "0" {
        return Err(Error::msg(format!(
            "invalid maxAge: time: missing unit in duration \"{text}\""
        )));
    }
    crate::duration::parse_duration(text)
        .map_err(|err| Error::msg(format!("invalid maxAge: {err}")))
}

/// The node type a template's node has (Argo's `GetNodeType`).
fn node_type_of(template: &Template) -> NodeType {
    match template.kind() {
        Some(TemplateKind::Steps) => NodeType::Steps,
        Some(TemplateKind::Dag) => NodeType::Dag,
        Some(TemplateKind::Suspend) => NodeType::Suspend,
        Some(TemplateKind::Http) => NodeType::Http,
        Some(TemplateKind::Plugin) => NodeType::Plugin,
        _ => NodeType::Pod,
    }
}

impl Operation<'_> {
    /// Looks a memoized template up before its node exists. Returns the Succeeded node on a
    /// hit, None on a miss (or when the template is not memoized); a bad key or `maxAge`
    /// makes the node Error and is returned as the error.
    pub(crate) fn memoized_node(
        &mut self,
        node_name: &str,
        template: &Template,
        call: &TemplateCall,
        template_scope: &str,
        opts: &ExecuteOpts,
    ) -> Result<Option<NodeStatus>> {
        let Some(memoize) = template.memoize.as_ref() else {
            return Ok(None);
        };
        let cache = cache_name(memoize);
        let checked = if cache.is_empty() {
            Err(Error::msg("cache could not be found or created"))
        } else if !valid_key(&memoize.key) {
            Err(Error::msg(format!("invalid cache key: {}", memoize.key)))
        } else if memoize.key.len() > MAX_CONFIG_MAP_KEY {
            // Kubernetes refuses such a key when the entry is saved; refused before the pod runs.
            Err(Error::msg(format!(
                "ConfigMap \"{cache}\" is invalid: data[{key}]: Invalid value: \"{key}\": must be no more than {MAX_CONFIG_MAP_KEY} characters",
                key = memoize.key
            )))
        } else if memoize.max_age.is_empty() {
            Ok(None)
        } else {
            parse_max_age(&memoize.max_age).map(Some)
        };
        let max_age = match checked {
            Ok(max_age) => max_age,
            Err(err) => {
                self.init_or_mark_error(
                    None,
                    node_name,
                    template_scope,
                    call,
                    opts,
                    &err.to_string(),
                );
                return Err(err);
            }
        };
        let Some(entry) = self
            .observed
            .memo
            .get(&cache)
            .and_then(|entries| entries.get(&memoize.key))
            .filter(|entry| !entry.node_id.is_empty())
        else {
            return Ok(None);
        };
        if let Some(max_age) = max_age {
            let fresh = entry
                .created_at
                .is_some_and(|created| self.now.duration_since(created) <= max_age);
            if !fresh {
                return Ok(None);
            }
        }
        let outputs = entry.outputs.clone();
        let mut node = self.init_executable_node(
            node_name,
            node_type_of(template),
            template_scope,
            template,
            call,
            opts,
            NodePhase::Pending,
        );
        node.phase = NodePhase::Succeeded;
        node.finished_at = Some(self.now_time());
        node.outputs = outputs;
        node.memoization_status = Some(MemoizationStatus {
            hit: true,
            key: memoize.key.clone(),
            cache_name: cache,
        });
        self.put_node(node.clone());
        Ok(Some(node))
    }

    /// Asks to save the outputs of every memoized node that Succeeded in this reconcile (a
    /// node that missed the cache; hits are not written back).
    pub(crate) fn write_memo_entries(&mut self) {
        let written: Vec<Effect> = self
            .indexed(|index| &index.memoized)
            .into_iter()
            .filter(|node| {
                node.memoization_status.as_ref().is_some_and(|m| !m.hit)
                    && node.phase == NodePhase::Succeeded
                    && node.is_fulfilled()
                    && !self.memo_succeeded_before.contains(&node.id)
            })
            .filter_map(|node| {
                let status = node.memoization_status.as_ref()?;
                Some(Effect::WriteMemo {
                    cache: status.cache_name.clone(),
                    key: status.key.clone(),
                    node_id: node.id.clone(),
                    outputs: node.outputs.clone(),
                })
            })
            .collect();
        self.effects.extend(written);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_follow_argos_rule() {
        assert!(valid_key("abc-123"));
        assert!(valid_key("A"));
        assert!(!valid_key(""));
        assert!(!valid_key("-abc"));
        assert!(!valid_key("a_b"));
        assert!(!valid_key("a.b"));
    }

    #[test]
    fn max_age_is_a_go_duration() {
        assert_eq!(
            parse_max_age("10s").ok(),
            Some(SignedDuration::from_secs(10))
        );
        assert_eq!(parse_max_age("0").ok(), Some(SignedDuration::ZERO));
        assert_eq!(
            parse_max_age("20").map_err(|e| e.to_string()),
            Err("invalid maxAge: time: missing unit in duration \"20\"".to_owned())
        );
        assert_eq!(
            parse_max_age("soon").map_err(|e| e.to_string()),
            Err("invalid maxAge: time: invalid duration \"soon\"".to_owned())
        );
    }
}
