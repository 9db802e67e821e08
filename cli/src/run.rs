//! `argo run FILE`: runs one workflow to completion on an embedded store and the local pod
//! runtime, with the controller in this process. Applies `--template` files (WorkflowTemplates,
//! ClusterWorkflowTemplates, ConfigMaps, Secrets) first, rejects a workflow that fails lint
//! before anything runs, prints the node tree as it changes (plain lines) and exits 0 only
//! when the workflow Succeeded.
//! Must not: reconcile or run pods itself (the controller and runtime do).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context as _, bail};
use argo_core::k8s_openapi::api::core::v1::{ConfigMap, Secret};
use argo_core::{ClusterWorkflowTemplate, NodePhase, Parameter, Workflow, WorkflowTemplate};
use argo_runtime::Sandbox;
use argo_store::{ResourceStore, Typed, WatchParams};
use argo_validate::{DocumentTemplates, LintContext, lint_text};
use controller::{Controller, ControllerConfig, EmbeddedOptions, LoopSettings};
use futures::StreamExt;

mod follow;
mod shown;

use follow::LogFollower;
use shown::{ShownNode, ShownWorkflow};

/// run a workflow to completion locally (embedded store, local pods)
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// the Workflow manifest
    file: PathBuf,
    /// input parameter NAME=VALUE (repeatable)
    #[arg(short = 'p', long = "parameter")]
    parameters: Vec<String>,
    /// override the entrypoint
    #[arg(long)]
    entrypoint: Option<String>,
    /// run all pods of the workflow using this service account
    #[arg(long = "serviceaccount")]
    service_account: Option<String>,
    /// WorkflowTemplate, ClusterWorkflowTemplate, ConfigMap or Secret manifests to apply first
    #[arg(long = "template")]
    templates: Vec<PathBuf>,
    /// stream the pods' logs
    #[arg(long)]
    log: bool,
    /// directory of the store and the pods' state (a temporary one when unset)
    #[arg(long, env = "ARGO_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// `namespaces` (isolated, needs root) or `none` (plain host processes, trusted work only)
    #[arg(long, default_value = "namespaces", value_parser = ["namespaces", "none"])]
    sandbox: String,
    /// namespace for resources that name none
    #[arg(short = 'n', long, default_value = "argo")]
    namespace: String,
    /// give up (and fail) after this many seconds
    #[arg(long, default_value_t = 3600)]
    timeout: u64,
}

pub fn run(args: &RunArgs, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    runtime.block_on(run_async(args, out))
}

async fn run_async(args: &RunArgs, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    let text = std::fs::read_to_string(&args.file)
        .with_context(|| format!("reading {}", args.file.display()))?;
    let mut template_texts = Vec::new();
    for path in &args.templates {
        template_texts.push(
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?,
        );
    }
    if !lint_clean(&text, &args.file, &template_texts, out)? {
        return Ok(ExitCode::FAILURE);
    }
    let workflow = prepare_workflow(&text, args)?;

    let temporary = tempfile::Builder::new().prefix("argo-run-").tempdir()?;
    let data_dir = args
        .data_dir
        .clone()
        .unwrap_or_else(|| temporary.path().to_path_buf());
    let sandbox = if args.sandbox == "none" {
        Sandbox::None
    } else {
        Sandbox::Namespaces
    };
    let embedded = controller::embedded::open(&EmbeddedOptions {
        data_dir,
        sandbox,
        argoexec: None,
    })
    .await?;
    for text in &template_texts {
        apply(&embedded.cluster.store, text, &args.namespace).await?;
    }
    let workflows = embedded.cluster.workflows();
    let created = workflows.create(&workflow).await?;
    let name = created.name().to_owned();
    let namespace = created.namespace().to_owned();
    writeln!(out, "Name:      {name}\nNamespace: {namespace}")?;

    let controller = Arc::new(
        Controller::new(
            embedded.cluster.clone(),
            ControllerConfig::default(),
            LoopSettings {
                resync: Duration::from_millis(500),
                namespace: Some(namespace.clone()),
                ..LoopSettings::default()
            },
        )
        .with_pod_rewriter(Arc::new(embedded.pods.clone())),
    );
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let loop_task = tokio::spawn(controller.clone().run(async {
        let _ = stopped.await;
    }));

    // Polled for the display; the watch only cuts the last wait short when the workflow ends.
    let mut changes = embedded
        .cluster
        .store
        .watch_metadata(
            workflows.kind(),
            &WatchParams::default()
                .namespace(&namespace)
                .from_version(created.metadata.resource_version.as_deref().unwrap_or("0")),
        )
        .await?;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(args.timeout);
    let mut shown: BTreeMap<String, (NodePhase, String)> = BTreeMap::new();
    let mut logs = args.log.then(|| LogFollower::new(embedded.cluster.clone()));
    let mut displayed: Option<ShownWorkflow> = None;
    let finished = loop {
        let refreshing = std::time::Instant::now();
        let current = displayed_workflow(
            &embedded.cluster.store,
            &workflows,
            &namespace,
            &name,
            displayed.take(),
        )
        .await?;
        print_changes(&current, &mut shown, out)?;
        // A refresh of a wide workflow's display reads and sorts every node: the next one waits
        // ten times what this one took, so refreshing takes about a tenth of the time at most.
        let poll = DISPLAY_POLL.max(refreshing.elapsed() * 10);
        if let Some(logs) = logs.as_mut() {
            logs.follow_new_pods(&current).await;
            logs.drain(out)?;
        }
        if current.status.phase.is_completed() {
            break current;
        }
        displayed = Some(current);
        if tokio::time::Instant::now() > deadline {
            let _ = stop.send(());
            bail!(
                "workflow {name} did not finish within {} seconds",
                args.timeout
            );
        }
        tokio::select! {
            () = tokio::time::sleep(poll) => {}
            () = completion(&mut changes, &name) => {}
        }
    };
    if let Some(logs) = logs {
        logs.finish(out).await?;
    }
    let _ = stop.send(());
    let _ = loop_task.await;
    if std::env::var_os("ARGO_RUN_STATS").is_some() {
        // For benchmarks: the controller's passes and this process's own CPU time and peak
        // memory (the containers' shims are its children, so its rusage as its parent sees it
        // includes theirs; the pod supervisors and in-process `wait`s are its own threads), as
        // one JSON line on stderr.
        let mut stats = serde_json::to_value(controller.pass_counts())?;
        if let Some(fields) = stats.as_object_mut() {
            if let Some(cpu) = own_cpu_seconds() {
                fields.insert("cpu_s".into(), cpu.into());
            }
            if let Some(peak) = own_peak_rss_kib() {
                fields.insert("max_rss_kib".into(), peak.into());
            }
        }
        eprintln!("{stats}");
    }
    writeln!(out)?;
    print_tree(&finished, out)?;
    let phase = finished.status.phase.to_string();
    writeln!(out, "Status:    {phase}")?;
    if !finished.status.message.is_empty() {
        writeln!(out, "Message:   {}", finished.status.message)?;
    }
    Ok(if phase == "Succeeded" {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// User plus system CPU seconds of this process alone (all its threads, none of its children),
/// from `/proc/self/stat`; `None` where that file is missing or unreadable.
fn own_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which ends at the last ')': state is the first, utime
    // and stime (in clock ticks, 100 a second on Linux) the 12th and 13th.
    let fields: Vec<&str> = stat
        .get(stat.rfind(')')? + 1..)?
        .split_whitespace()
        .collect();
    let ticks = |i: usize| fields.get(i)?.parse::<u64>().ok();
    Some((ticks(11)? + ticks(12)?) as f64 / 100.0)
}

/// This process's peak resident set in KiB (`VmHWM` of `/proc/self/status`).
fn own_peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// How often the live display looks at the workflow, at most.
const DISPLAY_POLL: Duration = Duration::from_millis(200);

/// What the display needs of the workflow `name` (see [`ShownWorkflow`]), never its spec
/// (which holds every task: converting it on every poll cost O(tasks) per poll, so O(tasks^2)
/// over a run). `previous` is handed back untouched while the stored revision is unchanged.
async fn displayed_workflow(
    store: &Arc<dyn ResourceStore>,
    workflows: &Typed<Workflow>,
    namespace: &str,
    name: &str,
    previous: Option<ShownWorkflow>,
) -> anyhow::Result<ShownWorkflow> {
    let stored = store
        .get_shared(workflows.kind(), Some(namespace), name)
        .await?;
    if let Some(previous) = previous
        && previous.resource_version.as_deref() == stored.resource_version()
    {
        return Ok(previous);
    }
    ShownWorkflow::of(&stored)
}

/// Waits for a change that marks the workflow `name` completed (forever once the watch ends:
/// the poll still sees the workflow finish).
async fn completion(changes: &mut argo_store::WatchStream, name: &str) {
    while let Some(Ok(change)) = changes.next().await {
        let object = change.object();
        if object.name() == name && object.label(argo_engine::LABEL_COMPLETED) == Some("true") {
            return;
        }
    }
    std::future::pending::<()>().await;
}

fn lint_clean(
    text: &str,
    file: &Path,
    templates: &[String],
    out: &mut impl Write,
) -> anyhow::Result<bool> {
    let mut resolver = DocumentTemplates::new();
    for template in templates {
        resolver.add_text(template);
    }
    resolver.add_text(text);
    let mut context = LintContext::with_resolver(resolver);
    context.kinds = vec!["Workflow".to_owned()];
    let report = lint_text(text, &file.display().to_string(), &context);
    if report.diagnostics.is_empty() {
        return Ok(true);
    }
    for diagnostic in &report.diagnostics {
        writeln!(out, "{}: {diagnostic}", report.origin)?;
    }
    Ok(false)
}

fn prepare_workflow(text: &str, args: &RunArgs) -> anyhow::Result<Workflow> {
    let mut workflow: Option<Workflow> = None;
    for value in documents(text)? {
        if value.get("kind").and_then(|k| k.as_str()) == Some("Workflow") {
            workflow = Some(serde_json::from_value(value)?);
            break;
        }
    }
    let Some(mut workflow) = workflow else {
        bail!("{} holds no Workflow", args.file.display());
    };
    if workflow
        .metadata
        .namespace
        .as_deref()
        .unwrap_or("")
        .is_empty()
    {
        workflow.metadata.namespace = Some(args.namespace.clone());
    }
    if let Some(entrypoint) = &args.entrypoint {
        workflow.spec.entrypoint = entrypoint.clone();
    }
    if let Some(account) = &args.service_account {
        workflow.spec.service_account_name = account.clone();
    }
    for parameter in &args.parameters {
        let Some((name, value)) = parameter.split_once('=') else {
            bail!("expected parameter of the form: NAME=VALUE. Received: {parameter}");
        };
        set_parameter(&mut workflow, name, value);
    }
    Ok(workflow)
}

fn set_parameter(workflow: &mut Workflow, name: &str, value: &str) {
    let parameters = &mut workflow.spec.arguments.parameters;
    if let Some(existing) = parameters.iter_mut().find(|p| p.name == name) {
        existing.value = Some(value.into());
        return;
    }
    parameters.push(Parameter {
        name: name.to_owned(),
        value: Some(value.into()),
        ..Parameter::default()
    });
}

fn documents(text: &str) -> anyhow::Result<Vec<serde_json::Value>> {
    let mut values = Vec::new();
    for document in serde_norway::Deserializer::from_str(text) {
        let value: serde_json::Value = serde::Deserialize::deserialize(document)?;
        if !value.is_null() {
            values.push(value);
        }
    }
    Ok(values)
}

/// Creates or replaces every supported document of `text`.
async fn apply(store: &Arc<dyn ResourceStore>, text: &str, namespace: &str) -> anyhow::Result<()> {
    for mut value in documents(text)? {
        let kind = value
            .get("kind")
            .and_then(|k| k.as_str())
            .unwrap_or("")
            .to_owned();
        if kind != "ClusterWorkflowTemplate"
            && let Some(metadata) = value.get_mut("metadata").and_then(|m| m.as_object_mut())
            && !metadata.contains_key("namespace")
        {
            metadata.insert("namespace".to_owned(), namespace.into());
        }
        match kind.as_str() {
            "WorkflowTemplate" => upsert::<WorkflowTemplate>(store, value).await?,
            "ClusterWorkflowTemplate" => upsert::<ClusterWorkflowTemplate>(store, value).await?,
            "ConfigMap" => upsert::<ConfigMap>(store, value).await?,
            "Secret" => upsert::<Secret>(store, value).await?,
            other => bail!("--template: cannot apply a {other:?} document"),
        }
    }
    Ok(())
}

async fn upsert<T>(store: &Arc<dyn ResourceStore>, value: serde_json::Value) -> anyhow::Result<()>
where
    T: argo_core::k8s_openapi::Resource
        + argo_core::k8s_openapi::Metadata<
            Ty = argo_core::k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta,
        > + serde::Serialize
        + serde::de::DeserializeOwned,
    T::Scope: argo_store::ScopeOf,
{
    let resource: T = serde_json::from_value(value)?;
    let typed: Typed<T> = Typed::new(store.clone());
    match typed.create(&resource).await {
        Ok(_) => Ok(()),
        Err(argo_store::Error::AlreadyExists { .. }) => {
            typed.update(&resource).await?;
            Ok(())
        }
        Err(error) => Err(error.into()),
    }
}

fn symbol(phase: &NodePhase) -> &'static str {
    match phase {
        NodePhase::Succeeded => "✔",
        NodePhase::Failed | NodePhase::Error => "✖",
        NodePhase::Skipped => "○",
        NodePhase::Running => "●",
        _ => "◷",
    }
}

fn duration(node: &ShownNode) -> String {
    let Some(start) = node.started_at.as_ref() else {
        return String::new();
    };
    let end = node
        .finished_at
        .as_ref()
        .map_or_else(jiff::Timestamp::now, |t| t.0);
    let seconds = end.duration_since(start.0).as_secs().max(0);
    format!("{seconds}s")
}

fn node_line(node: &ShownNode) -> String {
    let label = if node.display_name.is_empty() {
        &node.name
    } else {
        &node.display_name
    };
    let mut line = format!(
        "{} {label} ({}) {}",
        symbol(&node.phase),
        node.template_name,
        duration(node)
    );
    if !node.message.is_empty() {
        line.push_str(&format!(" {}", node.message));
    }
    line
}

fn print_changes(
    workflow: &ShownWorkflow,
    shown: &mut BTreeMap<String, (NodePhase, String)>,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let mut nodes: Vec<&ShownNode> = workflow.status.nodes.values().collect();
    nodes.sort_by(|a, b| {
        let started = |n: &ShownNode| n.started_at.as_ref().map(|t| t.0);
        (started(a), &a.name).cmp(&(started(b), &b.name))
    });
    for node in nodes {
        let state = (node.phase.clone(), node.message.clone());
        if shown.get(&node.id) != Some(&state) {
            writeln!(out, "{} {}", node.phase, node_line(node).trim_end())?;
            shown.insert(node.id.clone(), state);
        }
    }
    Ok(())
}

fn print_tree(workflow: &ShownWorkflow, out: &mut impl Write) -> anyhow::Result<()> {
    let nodes = &workflow.status.nodes;
    let Some(root) = nodes.values().find(|n| n.name == workflow.name) else {
        return Ok(());
    };
    let mut stack = vec![(root, 0usize)];
    let mut seen = std::collections::BTreeSet::new();
    while let Some((node, depth)) = stack.pop() {
        if !seen.insert(node.id.clone()) {
            continue;
        }
        writeln!(out, "{}{}", "  ".repeat(depth), node_line(node).trim_end())?;
        for child in node.children.iter().rev() {
            if let Some(child) = nodes.get(child) {
                stack.push((child, depth + 1));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
