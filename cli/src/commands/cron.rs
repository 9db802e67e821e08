//! `argo cron ...`: create (with `--schedule` and submit options), get, list, update,
//! delete, suspend, resume and lint CronWorkflows.
//! Must not: schedule anything (the server's cron controller does).

use std::process::ExitCode;

use anyhow::bail;
use clap::Subcommand;
use serde_json::{Value as Json, json};

use super::manifest::{SubmitOptions, collect_parameters, read_documents};
use super::{Out, Session, check_output, items, objects_name, print_object};
use crate::client::ClientArgs;
use crate::output::humanize;
use crate::output::schedule::next_run;
use crate::output::table::TabWriter;

#[derive(Debug, Subcommand)]
pub enum CronCommand {
    /// create a cron workflow
    Create(CreateArgs),
    /// display details about a cron workflow
    Get(GetArgs),
    /// list cron workflows
    List(ListArgs),
    /// update a cron workflow
    Update(CreateArgs),
    /// delete a cron workflow
    Delete(NamesArgs),
    /// suspend zero or more cron workflows
    Suspend(NamesArgs),
    /// resume zero or more cron workflows
    Resume(NamesArgs),
    /// validate files or directories of cron workflow manifests
    Lint(crate::lint::LintArgs),
}

#[derive(Debug, clap::Args)]
pub struct CreateArgs {
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<String>,
    /// override cron workflow schedule
    #[arg(long)]
    pub schedule: Option<String>,
    /// override entrypoint
    #[arg(long)]
    pub entrypoint: Option<String>,
    /// override metadata.generateName
    #[arg(long)]
    pub generate_name: Option<String>,
    /// override metadata.name
    #[arg(long)]
    pub name: Option<String>,
    /// run all pods in the workflow using specified serviceaccount
    #[arg(long = "serviceaccount")]
    pub service_account: Option<String>,
    /// Comma separated labels to apply to the workflow. Will override previous values.
    #[arg(short = 'l', long)]
    pub labels: Option<String>,
    /// pass an input parameter
    #[arg(short = 'p', long = "parameter")]
    pub parameters: Vec<String>,
    /// pass a file containing all input parameters
    #[arg(short = 'f', long)]
    pub parameter_file: Option<String>,
    /// Output format. One of: name|json|yaml|wide
    #[arg(short, long, default_value = "")]
    pub output: String,
    /// perform strict workflow validation
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set, num_args = 0..=1, default_missing_value = "true")]
    pub strict: bool,
    #[command(flatten)]
    pub client: ClientArgs,
}

#[derive(Debug, clap::Args)]
pub struct GetArgs {
    #[arg(required = true, value_name = "NAME")]
    pub names: Vec<String>,
    /// Output format. One of: name|json|yaml|wide
    #[arg(short, long, default_value = "")]
    pub output: String,
    #[command(flatten)]
    pub client: ClientArgs,
}

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Show cron workflows from all namespaces
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,
    /// Output format. One of: name|wide
    #[arg(short, long, default_value = "")]
    pub output: String,
    /// Selector (label query) to filter on, supports '=', '==', and '!='.
    #[arg(short = 'l', long)]
    pub selector: Option<String>,
    #[command(flatten)]
    pub client: ClientArgs,
}

#[derive(Debug, clap::Args)]
pub struct NamesArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    /// all cron workflows (delete only)
    #[arg(long)]
    pub all: bool,
    #[command(flatten)]
    pub client: ClientArgs,
}

pub async fn run(command: &CronCommand, out: Out<'_>) -> anyhow::Result<ExitCode> {
    match command {
        CronCommand::Create(args) => save(args, true, out).await,
        CronCommand::Update(args) => save(args, false, out).await,
        CronCommand::Get(args) => get(args, out).await,
        CronCommand::List(args) => list(args, out).await,
        CronCommand::Delete(args) => names_action(args, "Delete", None, out).await,
        CronCommand::Suspend(args) => names_action(args, "Suspend", Some("suspended"), out).await,
        CronCommand::Resume(args) => names_action(args, "Resume", Some("resumed"), out).await,
        CronCommand::Lint(args) => {
            let mut args = args.clone();
            if args.kinds == ["all"] {
                args.kinds = vec!["cronworkflows".to_owned()];
            }
            crate::lint::run_async(&args, out).await
        }
    }
}

/// Applies `--schedule` and the submit options to one CronWorkflow manifest.
pub fn prepare(cron: &mut Json, args: &CreateArgs) -> anyhow::Result<()> {
    if let Some(schedule) = &args.schedule {
        cron["spec"]["schedules"] = json!([schedule]);
        if let Some(spec) = cron["spec"].as_object_mut() {
            spec.remove("schedule");
        }
    }
    let options = SubmitOptions {
        entrypoint: args.entrypoint.clone(),
        service_account: args.service_account.clone(),
        labels: None,
        annotations: None,
        parameters: collect_parameters(&args.parameters, args.parameter_file.as_deref())?,
        generate_name: None,
        name: None,
        priority: None,
    };
    options.apply(cron, "/spec/workflowSpec")?;
    let metadata = cron["metadata"].as_object_mut();
    if let Some(metadata) = metadata {
        if let Some(generate_name) = &args.generate_name {
            metadata.insert("generateName".into(), Json::from(generate_name.as_str()));
            metadata.remove("name");
        }
        if let Some(name) = &args.name {
            metadata.insert("name".into(), Json::from(name.as_str()));
            metadata.remove("generateName");
        }
    }
    if let Some(labels) = &args.labels {
        SubmitOptions {
            labels: Some(labels.clone()),
            ..SubmitOptions::default()
        }
        .apply(cron, "/spec")?;
    }
    Ok(())
}

async fn save(args: &CreateArgs, create: bool, out: Out<'_>) -> anyhow::Result<ExitCode> {
    check_output(&args.output, &["", "name", "json", "yaml", "wide"])?;
    let documents: Vec<Json> = read_documents(&args.files)?
        .into_iter()
        .filter(|d| {
            d.get("kind")
                .and_then(Json::as_str)
                .is_none_or(|k| k == "CronWorkflow")
        })
        .collect();
    if documents.is_empty() {
        bail!("No CronWorkflows found in given files");
    }
    let session = Session::connect(&args.client).await?;
    for mut cron in documents {
        prepare(&mut cron, args)?;
        let namespace = cron
            .pointer("/metadata/namespace")
            .and_then(Json::as_str)
            .filter(|n| !n.is_empty())
            .unwrap_or(session.namespace())
            .to_owned();
        let (method, request) = if create {
            (
                "cronworkflow.CronWorkflowService.CreateCronWorkflow",
                json!({"namespace": namespace, "cronWorkflow": cron}),
            )
        } else {
            let name = objects_name(&cron);
            (
                "cronworkflow.CronWorkflowService.UpdateCronWorkflow",
                json!({"namespace": namespace, "name": name, "cronWorkflow": cron}),
            )
        };
        let saved = session.call(method, request).await.map_err(|e| {
            e.context(if create {
                "failed to create cron workflow"
            } else {
                "failed to update cron workflow"
            })
        })?;
        print_cron(&session, out, &saved, &args.output)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn schedules(cron: &Json) -> Vec<String> {
    let mut found: Vec<String> = cron
        .pointer("/spec/schedules")
        .and_then(Json::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Json::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    if let Some(single) = cron.pointer("/spec/schedule").and_then(Json::as_str)
        && !single.is_empty()
        && found.is_empty()
    {
        found.push(single.to_owned());
    }
    found
}

fn text<'a>(value: &'a Json, pointer: &str) -> &'a str {
    value.pointer(pointer).and_then(Json::as_str).unwrap_or("")
}

fn next_time(cron: &Json, now: jiff::Timestamp) -> Option<jiff::Timestamp> {
    let zone = text(cron, "/spec/timezone");
    schedules(cron)
        .iter()
        .filter_map(|schedule| next_run(schedule, zone, now))
        .min()
}

/// The CronWorkflow block Argo prints for `get`, `create` and `update`.
pub fn describe(session: &Session, cron: &Json) -> String {
    let now = session.now();
    let zone = &session.zone;
    let mut out = String::new();
    let mut row = |label: &str, value: &str| out.push_str(&format!("{label:<30} {value}\n"));
    row("Name:", text(cron, "/metadata/name"));
    row("Namespace:", text(cron, "/metadata/namespace"));
    let stamp = |pointer: &str| {
        text(cron, pointer)
            .parse::<jiff::Timestamp>()
            .ok()
            .map(|t| humanize::timestamp(t, now, zone))
    };
    row(
        "Created:",
        &stamp("/metadata/creationTimestamp").unwrap_or_default(),
    );
    row("Schedules:", &schedules(cron).join(","));
    let suspended = cron
        .pointer("/spec/suspend")
        .and_then(Json::as_bool)
        .unwrap_or(false);
    row("Suspended:", &suspended.to_string());
    let timezone = text(cron, "/spec/timezone");
    if !timezone.is_empty() {
        row("Timezone:", timezone);
    }
    if let Some(deadline) = cron
        .pointer("/spec/startingDeadlineSeconds")
        .and_then(Json::as_i64)
    {
        row("StartingDeadlineSeconds:", &deadline.to_string());
    }
    let policy = text(cron, "/spec/concurrencyPolicy");
    if !policy.is_empty() {
        row("ConcurrencyPolicy:", policy);
    }
    if let Some(last) = stamp("/status/lastScheduledTime") {
        row("LastScheduledTime:", &last);
    }
    if let Some(next) = next_time(cron, now) {
        let text = humanize::timestamp(next, now, zone);
        row(
            "NextScheduledTime:",
            &format!("{text} (assumes workflow-controller is in UTC)"),
        );
    }
    let active: Vec<&str> = cron
        .pointer("/status/active")
        .and_then(Json::as_array)
        .map(|a| a.iter().map(|r| text(r, "/name")).collect())
        .unwrap_or_default();
    if !active.is_empty() {
        row("Active Workflows:", &active.join(", "));
    }
    if let Some(conditions) = cron.pointer("/status/conditions").and_then(Json::as_array)
        && !conditions.is_empty()
    {
        row("Conditions:", "");
        for condition in conditions {
            let kind = text(condition, "/type");
            let icon = if kind == "SubmissionError" { "✖" } else { "" };
            let message = match text(condition, "/message") {
                "" => text(condition, "/status"),
                message => message,
            };
            row(&format!("{icon} {kind}"), message);
        }
    }
    if let Some(parameters) = cron
        .pointer("/spec/workflowSpec/arguments/parameters")
        .and_then(Json::as_array)
        && !parameters.is_empty()
    {
        row("Workflow Parameters:", "");
        for parameter in parameters {
            if let Some(value) = parameter.get("value") {
                let value = value
                    .as_str()
                    .map_or_else(|| value.to_string(), str::to_owned);
                row(&format!("  {}:", text(parameter, "/name")), &value);
            }
        }
    }
    out
}

fn print_cron(session: &Session, out: Out<'_>, cron: &Json, output: &str) -> anyhow::Result<()> {
    if !print_object(out, cron, output)? {
        out.write_all(describe(session, cron).as_bytes())?;
    }
    Ok(())
}

async fn get(args: &GetArgs, out: Out<'_>) -> anyhow::Result<ExitCode> {
    check_output(&args.output, &["", "name", "json", "yaml", "wide"])?;
    let session = Session::connect(&args.client).await?;
    for name in &args.names {
        let cron = session
            .call(
                "cronworkflow.CronWorkflowService.GetCronWorkflow",
                json!({"namespace": session.namespace(), "name": name}),
            )
            .await?;
        print_cron(&session, out, &cron, &args.output)?;
    }
    Ok(ExitCode::SUCCESS)
}

async fn list_all(
    session: &Session,
    namespace: &str,
    selector: Option<&str>,
) -> anyhow::Result<Vec<Json>> {
    let list = session
        .call(
            "cronworkflow.CronWorkflowService.ListCronWorkflows",
            json!({"namespace": namespace, "listOptions": {"labelSelector": selector.unwrap_or("")}}),
        )
        .await?;
    Ok(items(&list))
}

/// The `argo cron list` table.
pub fn list_table(crons: &[Json], all_namespaces: bool, now: jiff::Timestamp) -> String {
    let mut w = TabWriter::new(3);
    if all_namespaces {
        w.write("NAMESPACE\t");
    }
    w.write("NAME\tAGE\tLAST RUN\tNEXT RUN\tSCHEDULES\tTIMEZONE\tSUSPENDED\n");
    for cron in crons {
        if all_namespaces {
            w.write(&format!("{}\t", text(cron, "/metadata/namespace")));
        }
        let time = |pointer: &str| text(cron, pointer).parse::<jiff::Timestamp>().ok();
        let age = humanize::short_between(time("/metadata/creationTimestamp"), Some(now), now);
        let last = time("/status/lastScheduledTime").map_or_else(
            || "N/A".to_owned(),
            |t| humanize::short_between(Some(t), Some(now), now),
        );
        let next = next_time(cron, now).map_or_else(
            || "N/A".to_owned(),
            |t| humanize::short_between(Some(t), Some(now), now),
        );
        let suspended = cron
            .pointer("/spec/suspend")
            .and_then(Json::as_bool)
            .unwrap_or(false);
        w.write(&format!(
            "{}\t{age}\t{last}\t{next}\t{}\t{}\t{suspended}\n",
            objects_name(cron),
            schedules(cron).join(","),
            text(cron, "/spec/timezone"),
        ));
    }
    w.finish()
}

async fn list(args: &ListArgs, out: Out<'_>) -> anyhow::Result<ExitCode> {
    check_output(&args.output, &["", "name", "wide"])?;
    let session = Session::connect(&args.client).await?;
    let namespace = if args.all_namespaces {
        ""
    } else {
        session.namespace()
    };
    let crons = list_all(&session, namespace, args.selector.as_deref()).await?;
    if args.output == "name" {
        for cron in &crons {
            writeln!(out, "{}", objects_name(cron))?;
        }
    } else {
        out.write_all(list_table(&crons, args.all_namespaces, session.now()).as_bytes())?;
    }
    Ok(ExitCode::SUCCESS)
}

async fn names_action(
    args: &NamesArgs,
    verb: &str,
    done: Option<&str>,
    out: Out<'_>,
) -> anyhow::Result<ExitCode> {
    let session = Session::connect(&args.client).await?;
    let mut names = args.names.clone();
    if args.all && verb == "Delete" {
        let crons = list_all(&session, session.namespace(), None).await?;
        names.extend(crons.iter().map(objects_name));
    }
    if names.is_empty() {
        bail!("requires at least one cron workflow name");
    }
    for name in names {
        session
            .call(
                &format!("cronworkflow.CronWorkflowService.{verb}CronWorkflow"),
                json!({"namespace": session.namespace(), "name": name}),
            )
            .await?;
        if let Some(done) = done {
            writeln!(out, "CronWorkflow '{name}' {done}")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
