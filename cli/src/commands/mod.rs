//! The server-backed commands, one module per command group, and what they share: the
//! connected session, output-format flags, reading manifests and turning API JSON into
//! `argo-core` types for printing.
//! Must not: implement transport (that is `client`) or layout (that is `output`).

pub mod actions;
pub mod archive;
pub mod auth;
pub mod completion;
pub mod cron;
pub mod delete;
pub mod get;
pub mod list;
pub mod logs;
pub mod manifest;
pub mod submit;
pub mod template;
pub mod wait;

use std::io::Write;

use anyhow::Context as _;
use argo_core::Workflow;
use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde_json::{Value as Json, json};

use crate::client::{ApiClient, ClientArgs};
use crate::output::objects;

/// Gives `Write` to every command without generics.
pub type Out<'a> = &'a mut dyn Write;

/// A connected client and the clock/zone the output uses.
#[derive(Debug, Clone)]
pub struct Session {
    pub client: ApiClient,
    pub zone: TimeZone,
}

impl Session {
    /// Connects using the global flags.
    pub async fn connect(args: &ClientArgs) -> anyhow::Result<Session> {
        let client = ApiClient::connect(args).await?;
        Ok(Session {
            client,
            zone: TimeZone::system(),
        })
    }

    /// The namespace flag (or `ARGO_NAMESPACE`, or the default).
    pub fn namespace(&self) -> &str {
        &self.client.namespace
    }

    /// The current time.
    pub fn now(&self) -> Timestamp {
        Timestamp::now()
    }

    /// Calls a unary method.
    pub async fn call(&self, method: &str, request: Json) -> anyhow::Result<Json> {
        Ok(self.client.call(method, request).await?)
    }

    /// Fetches one workflow, resolving `@latest` to the newest in the namespace.
    pub async fn get_workflow(&self, name: &str) -> anyhow::Result<Json> {
        let name = self.resolve_name(name).await?;
        self.call(
            "workflow.WorkflowService.GetWorkflow",
            json!({"namespace": self.namespace(), "name": name}),
        )
        .await
    }

    /// `@latest` becomes the most recently created workflow's name; other names pass through.
    pub async fn resolve_name(&self, name: &str) -> anyhow::Result<String> {
        if name != "@latest" {
            return Ok(name.to_owned());
        }
        let list = self
            .call(
                "workflow.WorkflowService.ListWorkflows",
                json!({"namespace": self.namespace()}),
            )
            .await?;
        let latest = items(&list)
            .iter()
            .max_by_key(|item| {
                item.pointer("/metadata/creationTimestamp")
                    .and_then(Json::as_str)
                    .unwrap_or_default()
                    .to_owned()
            })
            .map(|item| objects::name_of(item).to_owned());
        latest.context("no workflows found")
    }
}

/// The `items` of a list response (empty when missing or null).
pub fn items(list: &Json) -> Vec<Json> {
    list.get("items")
        .and_then(Json::as_array)
        .cloned()
        .unwrap_or_default()
}

/// A workflow in API JSON as the typed model the printers use.
pub fn workflow_model(json: &Json) -> anyhow::Result<Workflow> {
    serde_json::from_value(json.clone()).context("reading the workflow the server returned")
}

/// `metadata.name` of an object as an owned string.
pub fn objects_name(object: &Json) -> String {
    objects::name_of(object).to_owned()
}

/// Prints an object in `-o json|yaml|name`; returns false for other formats (the caller
/// prints its own table or tree).
pub fn print_object(out: Out<'_>, object: &Json, output: &str) -> anyhow::Result<bool> {
    match output {
        "name" => writeln!(out, "{}", objects::name_of(object))?,
        "json" => out.write_all(objects::json_text(object, 4).as_bytes())?,
        "yaml" => out.write_all(objects::yaml_text(object).as_bytes())?,
        _ => return Ok(false),
    }
    Ok(true)
}

/// Checks `-o` against the formats a command accepts, with Argo's wording.
pub fn check_output(output: &str, allowed: &[&str]) -> anyhow::Result<()> {
    if allowed.contains(&output) {
        return Ok(());
    }
    anyhow::bail!(
        "invalid argument \"{output}\" for \"-o, --output\" flag: Output format. One of: {}",
        allowed
            .iter()
            .filter(|a| !a.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("|")
    )
}

/// Parses Argo's relative times (`10m`, `3h`, `2d`) into the moment that long before `now`.
pub fn since(text: &str, now: Timestamp) -> anyhow::Result<Timestamp> {
    let seconds = if let Some(days) = text.strip_suffix('d') {
        days.parse::<i64>()
            .with_context(|| format!("invalid duration {text:?}"))?
            * 86_400
    } else {
        argo_core::parse_duration_or_seconds(text)
            .map_err(|_| anyhow::anyhow!("time: invalid duration \"{text}\""))?
            .as_secs()
    };
    Ok(now - jiff::SignedDuration::from_secs(seconds))
}
