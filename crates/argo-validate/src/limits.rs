//! Workflow-wide limits and policies Argo checks: pod-level resources (cpu, memory, hugepages
//! only), pod garbage-collection strategy and its label selector, and the sidecars of
//! workflow-level executor plugins (named, with a port, resources and a security context).
//!
//! Must not: check template-level timeouts; those are part of the template walk.

use serde_json::Value;

use crate::finding::{Checked, Finding};
use crate::location::Loc;
use crate::manifest::{array, field, keys, object, str};

/// Pod-level resources: no claims, only cpu, memory and `hugepages-*`.
pub fn check_pod_resources(prefix: &str, resources: &Value) -> Result<(), String> {
    if !array(resources, "claims").is_empty() {
        return Err(format!(
            "{prefix}.claims is not supported for pod-level resources"
        ));
    }
    for list in ["limits", "requests"] {
        for name in keys(resources, list) {
            if name != "cpu" && name != "memory" && !name.starts_with("hugepages-") {
                return Err(format!(
                    "{prefix}: {name:?} is not a valid pod-level resource, only cpu, memory and hugepages-* are supported"
                ));
            }
        }
    }
    Ok(())
}

/// `spec.podGC`: a known strategy and a well-formed label selector.
pub fn check_pod_gc(spec: &Value, spec_at: &Loc) -> Checked {
    let Some(pod_gc) = field(spec, "podGC") else {
        return Ok(());
    };
    let at = spec_at.key("podGC");
    let strategy = str(pod_gc, "strategy");
    if !matches!(
        strategy,
        "" | "OnPodCompletion" | "OnPodSuccess" | "OnWorkflowCompletion" | "OnWorkflowSuccess"
    ) {
        return Err(Finding::new(
            format!("podGC.strategy unknown strategy '{strategy}'"),
            at.key("strategy"),
        ));
    }
    let selector = object(pod_gc, "labelSelector");
    for expression in array(selector, "matchExpressions") {
        let operator = str(expression, "operator");
        let values = array(expression, "values");
        let problem = match operator {
            "In" | "NotIn" if values.is_empty() => {
                Some("values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty".to_owned())
            }
            "Exists" | "DoesNotExist" if !values.is_empty() => Some(format!(
                "values: Invalid value: {}: values set must be empty for exists and does not exist",
                Value::Array(values.to_vec())
            )),
            "In" | "NotIn" | "Exists" | "DoesNotExist" => None,
            other => Some(format!("{other:?} is not a valid label selector operator")),
        };
        if let Some(problem) = problem {
            return Err(Finding::new(
                format!("podGC.labelSelector invalid: {problem}"),
                at.key("labelSelector"),
            ));
        }
    }
    Ok(())
}

/// `spec.executorPlugins`: each plugin named, its sidecar with a port, resource requests and
/// limits, and a security context.
pub fn check_executor_plugins(spec: &Value, spec_at: &Loc) -> Checked {
    for (index, plugin) in array(spec, "executorPlugins").iter().enumerate() {
        let at = spec_at.key("executorPlugins").index(index);
        let container = object(object(object(plugin, "spec"), "sidecar"), "container");
        let resources = object(container, "resources");
        let problem = if str(object(plugin, "metadata"), "name").is_empty() {
            Some("executor plugin metadata name is mandatory")
        } else if array(container, "ports").is_empty() {
            Some("at least one port is mandatory")
        } else if field(resources, "requests").is_none() {
            Some("resources requests are mandatory")
        } else if field(resources, "limits").is_none() {
            Some("resources limits are mandatory")
        } else if field(container, "securityContext").is_none() {
            Some("security context is mandatory")
        } else {
            None
        };
        if let Some(problem) = problem {
            return Err(Finding::new(format!("spec.executorPlugins: {problem}"), at));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn gpus_are_not_pod_level_resources() {
        let resources = json!({"limits": {"cpu": "1", "nvidia.com/gpu": "1"}});
        assert!(check_pod_resources("spec.podResources", &resources).is_err());
        assert!(check_pod_resources("x", &json!({"requests": {"hugepages-2Mi": "1"}})).is_ok());
    }

    #[test]
    fn unknown_pod_gc_strategies_are_rejected() {
        let spec = json!({"podGC": {"strategy": "Never"}});
        let finding = check_pod_gc(&spec, &Loc::parse("spec")).expect_err("unknown");
        assert_eq!(finding.message, "podGC.strategy unknown strategy 'Never'");
    }
}
