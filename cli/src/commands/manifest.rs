//! Reading manifests for `submit`, `create` and `update`: files, `-` (stdin), multi-document
//! YAML or JSON, into API JSON; and the `NAME=VALUE` parameters and labels applied to them.
//! Must not: validate specs (the server does).

use std::io::Read as _;

use anyhow::{Context as _, bail};
use serde::Deserialize as _;
use serde_json::{Map, Value as Json};

/// Every non-empty document in the given paths (`-` is stdin), in order.
pub fn read_documents(paths: &[String]) -> anyhow::Result<Vec<Json>> {
    let mut documents = Vec::new();
    for path in paths {
        let text = if path == "-" {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .context("reading standard input")?;
            text
        } else {
            std::fs::read_to_string(path).with_context(|| format!("open {path}"))?
        };
        documents.extend(parse_documents(&text).with_context(|| format!("reading {path}"))?);
    }
    Ok(documents)
}

/// The documents of one text: one JSON value, or YAML documents separated by `---`.
pub fn parse_documents(text: &str) -> anyhow::Result<Vec<Json>> {
    if let Ok(json) = serde_json::from_str::<Json>(text) {
        return Ok(vec![json]);
    }
    let mut documents = Vec::new();
    for document in serde_norway::Deserializer::from_str(text) {
        let value = Json::deserialize(document).context("parsing YAML")?;
        if !value.is_null() {
            documents.push(value);
        }
    }
    Ok(documents)
}

/// Splits `NAME=VALUE`, naming `what` (parameter, label) when the `=` is missing.
pub fn split_pair<'a>(text: &'a str, what: &str) -> anyhow::Result<(&'a str, &'a str)> {
    match text.split_once('=') {
        Some(pair) => Ok(pair),
        None => bail!("expected {what} of the form: NAME=VALUE. Received: {text}"),
    }
}

/// `-p` values plus the parameter file's, file entries last (as Argo appends them).
pub fn collect_parameters(
    flags: &[String],
    parameter_file: Option<&str>,
) -> anyhow::Result<Vec<(String, String)>> {
    let mut parameters = Vec::new();
    for flag in flags {
        let (name, value) = split_pair(flag, "parameter")?;
        parameters.push((name.to_owned(), value.to_owned()));
    }
    if let Some(file) = parameter_file {
        let text = std::fs::read_to_string(file).with_context(|| format!("open {file}"))?;
        let values: Map<String, Json> = serde_norway::from_str(&text)
            .with_context(|| format!("reading parameters from {file}"))?;
        for (name, value) in values {
            let value = match value {
                Json::String(text) => text,
                other => other.to_string(),
            };
            parameters.push((name, value));
        }
    }
    Ok(parameters)
}

/// Options applied to a workflow (or cron workflow's workflow spec) before it is created.
#[derive(Debug, Clone, Default)]
pub struct SubmitOptions {
    pub entrypoint: Option<String>,
    pub service_account: Option<String>,
    pub labels: Option<String>,
    pub annotations: Option<String>,
    pub parameters: Vec<(String, String)>,
    pub generate_name: Option<String>,
    pub name: Option<String>,
    pub priority: Option<i32>,
}

impl SubmitOptions {
    /// Applies the options to `object`, whose spec is at `spec_path` (`/spec` for workflows,
    /// `/spec/workflowSpec` for cron workflows).
    pub fn apply(&self, object: &mut Json, spec_path: &str) -> anyhow::Result<()> {
        if object.pointer(spec_path).is_none() {
            bail!("the manifest has no {spec_path}");
        }
        let spec = object
            .pointer_mut(spec_path)
            .and_then(Json::as_object_mut)
            .with_context(|| format!("{spec_path} is not an object"))?;
        if let Some(entrypoint) = &self.entrypoint {
            spec.insert("entrypoint".into(), Json::from(entrypoint.as_str()));
        }
        if let Some(account) = &self.service_account {
            spec.insert("serviceAccountName".into(), Json::from(account.as_str()));
        }
        if let Some(priority) = self.priority {
            spec.insert("priority".into(), Json::from(priority));
        }
        if !self.parameters.is_empty() {
            override_parameters(spec, &self.parameters);
        }
        let metadata = object
            .as_object_mut()
            .context("the manifest is not an object")?
            .entry("metadata")
            .or_insert_with(|| Json::Object(Map::new()))
            .as_object_mut()
            .context("metadata is not an object")?;
        if let Some(labels) = &self.labels {
            merge_pairs(metadata, "labels", labels, "labels")?;
        }
        if let Some(annotations) = &self.annotations {
            merge_pairs(metadata, "annotations", annotations, "annotations")?;
        }
        if let Some(generate_name) = &self.generate_name {
            metadata.insert("generateName".into(), Json::from(generate_name.as_str()));
        }
        if let Some(name) = &self.name {
            metadata.insert("name".into(), Json::from(name.as_str()));
        }
        Ok(())
    }

    /// The options as the API's `SubmitOpts` JSON (for `SubmitWorkflow` and resubmits).
    pub fn to_submit_opts(&self) -> Json {
        let mut opts = Map::new();
        let mut put = |key: &str, value: &Option<String>| {
            if let Some(value) = value {
                opts.insert(key.into(), Json::from(value.as_str()));
            }
        };
        put("entryPoint", &self.entrypoint);
        put("serviceAccount", &self.service_account);
        put("labels", &self.labels);
        put("annotations", &self.annotations);
        put("generateName", &self.generate_name);
        put("name", &self.name);
        if !self.parameters.is_empty() {
            let parameters: Vec<Json> = self
                .parameters
                .iter()
                .map(|(k, v)| Json::from(format!("{k}={v}")))
                .collect();
            opts.insert("parameters".into(), Json::Array(parameters));
        }
        if let Some(priority) = self.priority {
            opts.insert("priority".into(), Json::from(priority));
        }
        Json::Object(opts)
    }
}

/// Passed parameters first (in order, last value of a repeated name wins), then the spec's
/// other parameters.
fn override_parameters(spec: &mut Map<String, Json>, passed: &[(String, String)]) {
    let mut merged: Vec<Json> = Vec::new();
    let mut names: Vec<&str> = Vec::new();
    for (name, value) in passed {
        let parameter = serde_json::json!({"name": name, "value": value});
        if let Some(position) = names.iter().position(|n| n == name) {
            merged[position] = parameter;
        } else {
            names.push(name);
            merged.push(parameter);
        }
    }
    let arguments = spec
        .entry("arguments")
        .or_insert_with(|| Json::Object(Map::new()));
    if let Some(existing) = arguments.get("parameters").and_then(Json::as_array) {
        for parameter in existing {
            let name = parameter.get("name").and_then(Json::as_str).unwrap_or("");
            if !names.contains(&name) {
                merged.push(parameter.clone());
            }
        }
    }
    if let Some(arguments) = arguments.as_object_mut() {
        arguments.insert("parameters".into(), Json::Array(merged));
    }
}

fn merge_pairs(
    metadata: &mut Map<String, Json>,
    key: &str,
    text: &str,
    what: &str,
) -> anyhow::Result<()> {
    let target = metadata
        .entry(key)
        .or_insert_with(|| Json::Object(Map::new()));
    if target.is_null() {
        *target = Json::Object(Map::new());
    }
    let map = target
        .as_object_mut()
        .with_context(|| format!("metadata.{key} is not an object"))?;
    for pair in text.split(',').filter(|p| !p.is_empty()) {
        let (name, value) = split_pair(pair, what)?;
        map.insert(name.to_owned(), Json::from(value));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn yaml_streams_split_into_documents_and_skip_empty_ones() {
        let docs = parse_documents("a: 1\n---\n---\nb: 2\n").unwrap();
        assert_eq!(docs, vec![json!({"a": 1}), json!({"b": 2})]);
        let docs = parse_documents("{\"kind\": \"Workflow\"}").unwrap();
        assert_eq!(docs, vec![json!({"kind": "Workflow"})]);
    }

    #[test]
    fn submit_options_override_parameters_names_and_labels() {
        let mut wf = json!({
            "metadata": {"generateName": "x-", "labels": {"a": "1"}},
            "spec": {"entrypoint": "main", "arguments": {"parameters": [
                {"name": "keep", "value": "k"}, {"name": "msg", "value": "old"}
            ]}}
        });
        let options = SubmitOptions {
            entrypoint: Some("other".into()),
            labels: Some("b=2".into()),
            parameters: vec![("msg".into(), "new".into())],
            name: Some("fixed".into()),
            ..SubmitOptions::default()
        };
        options.apply(&mut wf, "/spec").unwrap();
        assert_eq!(wf["spec"]["entrypoint"], "other");
        assert_eq!(
            wf["spec"]["arguments"]["parameters"],
            json!([{"name": "msg", "value": "new"}, {"name": "keep", "value": "k"}])
        );
        assert_eq!(wf["metadata"]["labels"], json!({"a": "1", "b": "2"}));
        assert_eq!(wf["metadata"]["name"], "fixed");
    }

    #[test]
    fn a_parameter_without_equals_is_rejected_with_its_text() {
        let error = collect_parameters(&["oops".into()], None).unwrap_err();
        assert!(error.to_string().contains("oops"));
    }
}
