//! Variable scopes: the global `workflow.*` scope built once per reconcile, and the local
//! `steps.<name>.*` / `tasks.<name>.*` entries a steps or DAG template sees, including loop
//! aggregation (`outputs.result` / `outputs.parameters` as JSON lists).
//!
//! Must not: substitute or evaluate (that is `argo-expr`), or change nodes.

use argo_core::k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use argo_core::{NodePhase, NodeStatus, Outputs, Parameter, ValueFrom};
use argo_expr::{Binding, Scope};
use serde_json::Value;

use crate::error::{Error, Result};
use crate::node_id;
use crate::operation::Operation;

/// Formats a time the way Go's `time.RFC3339` does for UTC times.
pub(crate) fn rfc3339(time: &Time) -> String {
    time.0.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

impl Operation<'_> {
    /// Fills `self.globals` with the `workflow.*` variables (Argo's `setGlobalParameters`).
    pub(crate) fn build_global_scope(&mut self) -> Result<()> {
        let mut scope = Scope::new();
        let wf = self.wf;
        scope.insert("workflow.name", self.name.clone());
        scope.insert("workflow.namespace", wf.namespace().to_owned());
        scope.insert("workflow.mainEntrypoint", self.spec.entrypoint.clone());
        scope.insert(
            "workflow.serviceAccountName",
            self.spec.service_account_name.clone(),
        );
        scope.insert("workflow.uid", wf.metadata.uid.clone().unwrap_or_default());
        if let Some(created) = &wf.metadata.creation_timestamp {
            let text = rfc3339(created);
            scope.insert("workflow.creationTimestamp", text.clone());
            scope.insert("workflow.creationTimestamp.RFC3339", text);
            scope.insert(
                "workflow.creationTimestamp.unix",
                created.0.as_second().to_string(),
            );
            for format in "aAbBcCdDeFgGhHIjklmMnpPrRsStTuUVwWxXyYzZ".chars() {
                let rendered = created
                    .0
                    .to_zoned(jiff::tz::TimeZone::UTC)
                    .strftime(&format!("%{format}"))
                    .to_string();
                scope.insert(format!("workflow.creationTimestamp.{format}"), rendered);
            }
        }
        if let Some(annotations) = &wf.metadata.annotations
            && let Some(scheduled) = annotations.get("workflows.argoproj.io/scheduled-time")
        {
            scope.insert("workflow.scheduledTime", scheduled.clone());
        }
        if let Some(priority) = self.spec.priority {
            scope.insert("workflow.priority", priority.to_string());
        }
        let all = serde_json::to_string(&self.spec.arguments.parameters).unwrap_or_default();
        scope.insert("workflow.parameters", all.clone());
        scope.insert("workflow.parameters.json", all);
        for param in self.spec.arguments.parameters.clone() {
            let value = self.global_parameter_value(&param)?;
            scope.insert(format!("workflow.parameters.{}", param.name), value);
        }
        if let Some(outputs) = &self.status.outputs {
            for param in &outputs.parameters {
                if let Some(value) = &param.value {
                    scope.insert(
                        format!("workflow.outputs.parameters.{}", param.name),
                        value.0.clone(),
                    );
                }
            }
        }
        let metadata = self.spec.workflow_metadata.clone().unwrap_or_default();
        let annotations = wf.metadata.annotations.clone().unwrap_or_default();
        let annotations_json = serde_json::to_string(&annotations).unwrap_or_default();
        scope.insert("workflow.annotations", annotations_json.clone());
        scope.insert("workflow.annotations.json", annotations_json);
        for (key, value) in &annotations {
            scope.insert(format!("workflow.annotations.{key}"), value.clone());
        }
        let labels = wf.metadata.labels.clone().unwrap_or_default();
        let labels_json = serde_json::to_string(&labels).unwrap_or_default();
        scope.insert("workflow.labels", labels_json.clone());
        scope.insert("workflow.labels.json", labels_json);
        for (key, value) in labels.iter().chain(&metadata.labels) {
            if !metadata.labels_from.contains_key(key) {
                scope.insert(format!("workflow.labels.{key}"), value.clone());
            }
        }
        for (key, value) in &metadata.annotations {
            scope.insert(format!("workflow.annotations.{key}"), value.clone());
        }
        scope.insert("workflow.status", self.status.phase.as_str().to_owned());
        scope.insert(
            "workflow.duration",
            format!("{:.6}", self.workflow_duration_seconds()),
        );
        self.globals = scope;
        Ok(())
    }

    fn global_parameter_value(&self, param: &Parameter) -> Result<String> {
        if let Some(value) = &param.value {
            return Ok(value.0.clone());
        }
        if let Some(ValueFrom {
            config_map_key_ref: Some(selector),
            default,
            ..
        }) = &param.value_from
        {
            let found = self
                .observed
                .config_maps
                .get(&selector.name)
                .and_then(|cm| cm.get(&selector.key));
            return match (found, default) {
                (Some(value), _) => Ok(value.clone()),
                (None, Some(default)) => Ok(default.0.clone()),
                (None, None) => Err(Error::msg(format!(
                    "failed to set global parameter {} from configmap with name {} and key {}: ConfigMap '{}' does not exist",
                    param.name, selector.name, selector.key, selector.name
                ))),
            };
        }
        Err(Error::msg(format!(
            "either value or valueFrom must be specified in order to set global parameter {}",
            param.name
        )))
    }

    /// Seconds since the workflow started (to its finish when finished).
    pub(crate) fn workflow_duration_seconds(&self) -> f64 {
        let Some(started) = &self.status.started_at else {
            return 0.0;
        };
        let end = self.status.finished_at.as_ref().map_or(self.now, |t| t.0);
        end.duration_since(started.0).as_secs_f64()
    }

    /// Adds a node's outputs with `globalName` to the workflow outputs and global scope.
    pub(crate) fn add_outputs_to_global_scope(&mut self, outputs: Option<&Outputs>) {
        let Some(outputs) = outputs else {
            return;
        };
        for param in &outputs.parameters {
            if param.global_name.is_empty() {
                continue;
            }
            let Some(value) = &param.value else { continue };
            self.globals.insert(
                format!("workflow.outputs.parameters.{}", param.global_name),
                value.0.clone(),
            );
            let wf_outputs = self.status.outputs.get_or_insert_with(Outputs::default);
            match wf_outputs
                .parameters
                .iter_mut()
                .find(|p| p.name == param.global_name)
            {
                Some(existing) => existing.value = Some(value.clone()),
                None => wf_outputs.parameters.push(Parameter {
                    name: param.global_name.clone(),
                    value: Some(value.clone()),
                    ..Parameter::default()
                }),
            }
        }
        for artifact in &outputs.artifacts {
            if artifact.global_name.is_empty() {
                continue;
            }
            let mut global = artifact.clone();
            global.name = artifact.global_name.clone();
            let wf_outputs = self.status.outputs.get_or_insert_with(Outputs::default);
            match wf_outputs
                .artifacts
                .iter_mut()
                .find(|a| a.name == global.name)
            {
                Some(existing) => *existing = global,
                None => wf_outputs.artifacts.push(global),
            }
        }
    }

    /// Adds `<prefix>.<name>.*` for a node (Argo's `buildLocalScope`); a retry node
    /// contributes its last attempt.
    pub(crate) fn add_node_to_scope(
        &mut self,
        scope: &mut Scope,
        prefix: &str,
        name: &str,
        node: &NodeStatus,
    ) {
        if matches!(node.phase, NodePhase::Skipped | NodePhase::Omitted) && node.outputs.is_none() {
            self.add_skipped_outputs_to_scope(scope, &format!("{prefix}.{name}"), node);
        }
        let node = self.last_retry_attempt(node).unwrap_or(node);
        let key = |suffix: &str| format!("{prefix}.{name}.{suffix}");
        if !node.id.is_empty() {
            scope.insert(key("id"), node.id.clone());
        }
        if let Some(started) = &node.started_at {
            scope.insert(key("startedAt"), rfc3339(started));
        }
        if let Some(finished) = &node.finished_at {
            scope.insert(key("finishedAt"), rfc3339(finished));
        }
        if !node.pod_ip.is_empty() {
            scope.insert(key("ip"), node.pod_ip.clone());
        }
        if !node.phase.is_unknown() {
            scope.insert(key("status"), node.phase.as_str().to_owned());
        }
        if !node.host_node_name.is_empty() {
            scope.insert(key("hostNodeName"), node.host_node_name.clone());
        }
        add_outputs_to_scope(scope, &format!("{prefix}.{name}"), node.outputs.as_ref());
    }

    /// The declared output parameters of a Skipped or Omitted node's template: its
    /// `valueFrom.default` when it has one, else bound as absent so that a pure reference
    /// lets the consumer's input default apply and `??` in expressions sees nil (Argo v4's
    /// skipped-output rules).
    fn add_skipped_outputs_to_scope(&mut self, scope: &mut Scope, base: &str, node: &NodeStatus) {
        let Some(template) = self.boundary_template(&node.id) else {
            return;
        };
        for param in &template.outputs.parameters {
            let key = format!("{base}.outputs.parameters.{}", param.name);
            match param.value_from.as_ref().and_then(|v| v.default.as_ref()) {
                Some(default) => scope.insert(key, default.0.clone()),
                None => scope.insert_absent(key),
            }
        }
    }

    /// Adds the aggregated outputs of a loop's children as `<prefix>.<name>.outputs.*` JSON
    /// lists (Argo's `processAggregateNodeOutputs`).
    pub(crate) fn add_aggregate_to_scope(
        &self,
        scope: &mut Scope,
        prefix: &str,
        name: &str,
        children: &[&NodeStatus],
    ) {
        if children.is_empty() {
            return;
        }
        let mut ordered: Vec<&NodeStatus> = children
            .iter()
            .copied()
            .filter(|n| n.node_flag.as_ref().is_none_or(|f| !f.hooked && !f.retried))
            .collect();
        ordered.sort_by_key(|n| node_id::loop_index(&n.name).unwrap_or(0));
        let mut param_list: Vec<Value> = Vec::new();
        let mut per_name: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        let mut results: Vec<Value> = Vec::new();
        for node in ordered {
            let Some(outputs) = &node.outputs else {
                continue;
            };
            if node.phase != NodePhase::Succeeded {
                continue;
            }
            if !outputs.parameters.is_empty() {
                let mut map = serde_json::Map::new();
                for p in &outputs.parameters {
                    let value = p.value.as_ref().map(|v| v.0.clone()).unwrap_or_default();
                    map.insert(p.name.clone(), Value::String(value.clone()));
                    per_name.entry(p.name.clone()).or_default().push(value);
                }
                param_list.push(Value::Object(map));
            }
            if let Some(result) = &outputs.result {
                results.push(
                    serde_json::from_str(result).unwrap_or_else(|_| Value::String(result.clone())),
                );
            }
        }
        let base = format!("{prefix}.{name}.outputs");
        scope.insert(format!("{base}.result"), Value::Array(results).to_string());
        scope.insert(
            format!("{base}.parameters"),
            Value::Array(param_list).to_string(),
        );
        for (param, values) in per_name {
            scope.insert(
                format!("{base}.parameters.{param}"),
                aggregated_json_list(&values),
            );
        }
    }
}

/// Adds `<base>.outputs.*` and `<base>.exitCode` for some outputs.
pub(crate) fn add_outputs_to_scope(scope: &mut Scope, base: &str, outputs: Option<&Outputs>) {
    let Some(outputs) = outputs else {
        return;
    };
    if let Some(result) = &outputs.result {
        scope.insert(format!("{base}.outputs.result"), result.clone());
    }
    if let Some(exit_code) = &outputs.exit_code {
        scope.insert(format!("{base}.exitCode"), exit_code.clone());
    }
    for param in &outputs.parameters {
        if let Some(value) = &param.value {
            scope.insert(
                format!("{base}.outputs.parameters.{}", param.name),
                value.0.clone(),
            );
        }
    }
    for artifact in &outputs.artifacts {
        if let Ok(value) = serde_json::to_value(artifact) {
            scope.insert(format!("{base}.outputs.artifacts.{}", artifact.name), value);
        }
    }
}

/// A JSON list of the values: embedded as JSON when every value is a JSON list or map,
/// as strings otherwise (Argo's `aggregatedJSONValueList`).
fn aggregated_json_list(values: &[String]) -> String {
    let parsed: Option<Vec<Value>> = values
        .iter()
        .map(|v| {
            serde_json::from_str::<Value>(v)
                .ok()
                .filter(|value| value.is_array() || value.is_object())
        })
        .collect();
    match parsed {
        Some(list) => Value::Array(list).to_string(),
        None => Value::Array(values.iter().cloned().map(Value::String).collect()).to_string(),
    }
}

/// Looks up a `valueFrom.parameter` reference (`{{steps.a.outputs.result}}` or a bare key).
pub(crate) fn lookup_reference(scope: &Scope, reference: &str) -> Option<Option<String>> {
    let key = reference
        .trim()
        .strip_prefix("{{")
        .and_then(|r| r.strip_suffix("}}"))
        .unwrap_or(reference)
        .trim();
    match scope.get(key)? {
        Binding::Value(Value::String(text)) => Some(Some(text.clone())),
        Binding::Value(other) => Some(Some(other.to_string())),
        Binding::Time(time) => Some(Some(time.to_string())),
        Binding::Absent => Some(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aggregation_embeds_json_maps_and_quotes_plain_values() {
        assert_eq!(
            aggregated_json_list(&["a".into(), "b".into()]),
            r#"["a","b"]"#
        );
        assert_eq!(aggregated_json_list(&[r#"{"x":1}"#.into()]), r#"[{"x":1}]"#);
        assert_eq!(aggregated_json_list(&["1".into()]), r#"["1"]"#);
    }

    #[test]
    fn references_resolve_with_or_without_braces() {
        let mut scope = Scope::new();
        scope.insert("steps.a.outputs.result", "hi");
        assert_eq!(
            lookup_reference(&scope, "{{steps.a.outputs.result}}"),
            Some(Some("hi".into()))
        );
        assert_eq!(
            lookup_reference(&scope, "steps.a.outputs.result"),
            Some(Some("hi".into()))
        );
        assert_eq!(lookup_reference(&scope, "{{steps.b.outputs.result}}"), None);
    }
}
