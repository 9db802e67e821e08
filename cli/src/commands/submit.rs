//! `argo submit FILE...|--from kind/name`: creates workflows with Argo's submit options
//! applied, prints each, then optionally follows logs, waits or watches.
//! Must not: run workflows (the server's controller does).

use std::process::ExitCode;

use anyhow::{Context as _, bail};
use serde_json::{Value as Json, json};

use super::get::{ViewArgs, WORKFLOW_OUTPUTS, print_workflow, watch_workflow};
use super::manifest::{SubmitOptions, collect_parameters, read_documents};
use super::{Out, Session, check_output, logs, objects_name, wait};
use crate::client::ClientArgs;

/// submit a workflow
#[derive(Debug, clap::Args)]
pub struct SubmitArgs {
    /// manifest files, or `-` for standard input
    #[arg(value_name = "FILE")]
    pub files: Vec<String>,
    /// Submit from an existing `kind/name` E.g., --from=cronwf/hello-world-cwf
    #[arg(long, conflicts_with = "files")]
    pub from: Option<String>,
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
    /// workflow priority
    #[arg(long, allow_negative_numbers = true)]
    pub priority: Option<i32>,
    /// Override the workflow's scheduledTime parameter (RFC3339)
    #[arg(long)]
    pub scheduled_time: Option<String>,
    /// modify the workflow on the client-side without creating it
    #[arg(long)]
    pub dry_run: bool,
    /// send request to server with dry-run flag which will modify the workflow without creating it
    #[arg(long)]
    pub server_dry_run: bool,
    /// perform strict workflow validation
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set, num_args = 0..=1, default_missing_value = "true")]
    pub strict: bool,
    /// wait for the workflow to complete
    #[arg(short, long)]
    pub wait: bool,
    /// watch the workflow until it completes
    #[arg(long)]
    pub watch: bool,
    /// log the workflow until it completes
    #[arg(long)]
    pub log: bool,
    /// Output format. One of: name|json|yaml|wide
    #[arg(short, long, default_value = "")]
    pub output: String,
    #[command(flatten)]
    pub view: ViewArgs,
    #[command(flatten)]
    pub client: ClientArgs,
}

impl SubmitArgs {
    fn check(&self, count: usize) -> anyhow::Result<()> {
        check_output(&self.output, &WORKFLOW_OUTPUTS)?;
        if self.watch {
            if count > 1 {
                bail!("cannot watch more than one workflow");
            }
            if self.wait {
                bail!("--wait cannot be combined with --watch");
            }
            if self.dry_run {
                bail!("--watch cannot be combined with --dry-run");
            }
            if self.server_dry_run {
                bail!("--watch cannot be combined with --server-dry-run");
            }
        }
        if self.wait && self.dry_run {
            bail!("--wait cannot be combined with --dry-run");
        }
        if self.wait && self.server_dry_run {
            bail!("--wait cannot be combined with --server-dry-run");
        }
        if self.dry_run {
            if self.output.is_empty() {
                bail!("--dry-run should have an output option");
            }
            if self.server_dry_run {
                bail!("--dry-run cannot be combined with --server-dry-run");
            }
        }
        if self.server_dry_run && self.output.is_empty() {
            bail!("--server-dry-run should have an output option");
        }
        Ok(())
    }

    fn options(&self) -> anyhow::Result<SubmitOptions> {
        let annotations = match &self.scheduled_time {
            Some(time) => {
                time.parse::<jiff::Timestamp>().map_err(|_| {
                    anyhow::anyhow!(
                        "scheduled-time contains invalid time.RFC3339 format. (e.g.: `2006-01-02T15:04:05-07:00`)"
                    )
                })?;
                Some(format!("workflows.argoproj.io/scheduled-time={time}"))
            }
            None => None,
        };
        Ok(SubmitOptions {
            entrypoint: self.entrypoint.clone(),
            service_account: self.service_account.clone(),
            labels: self.labels.clone(),
            annotations,
            parameters: collect_parameters(&self.parameters, self.parameter_file.as_deref())?,
            generate_name: self.generate_name.clone(),
            name: self.name.clone(),
            priority: self.priority,
        })
    }
}

pub async fn run(args: &SubmitArgs, out: Out<'_>) -> anyhow::Result<ExitCode> {
    let options = args.options()?;
    if let Some(from) = &args.from {
        args.check(1)?;
        let (kind, name) = from.split_once('/').with_context(|| {
            format!("resource identifier '{from}' is malformed. Should be `kind/name`, e.g. cronwf/hello-world-cwf")
        })?;
        let session = Session::connect(&args.client).await?;
        let mut submit_opts = options.to_submit_opts();
        if args.dry_run {
            submit_opts["dryRun"] = Json::Bool(true);
        }
        if args.server_dry_run {
            submit_opts["serverDryRun"] = Json::Bool(true);
        }
        let created = session
            .call(
                "workflow.WorkflowService.SubmitWorkflow",
                json!({
                    "namespace": session.namespace(),
                    "resourceKind": kind,
                    "resourceName": name,
                    "submitOptions": submit_opts,
                }),
            )
            .await
            .context("failed to submit workflow")?;
        print_workflow(&session, out, &created, &args.output, &args.view)?;
        return follow(args, &session, out, &[objects_name(&created)]).await;
    }
    if args.files.is_empty() {
        bail!("requires at least 1 arg(s), only received 0");
    }
    let documents = read_documents(&args.files)?;
    args.check(documents.len())?;
    if documents.is_empty() {
        bail!("no workflow found in given files");
    }
    let session = Session::connect(&args.client).await?;
    let mut names = Vec::new();
    for mut workflow in documents {
        let kind = workflow.get("kind").and_then(Json::as_str).unwrap_or("");
        if !kind.is_empty() && kind != "Workflow" {
            bail!(
                "only Workflow manifests can be submitted (found kind {kind}); use --from for templates"
            );
        }
        options.apply(&mut workflow, "/spec")?;
        let namespace = workflow
            .pointer("/metadata/namespace")
            .and_then(Json::as_str)
            .filter(|n| !n.is_empty())
            .unwrap_or(session.namespace())
            .to_owned();
        workflow["metadata"]["namespace"] = Json::from(namespace.as_str());
        if args.dry_run {
            print_workflow(&session, out, &workflow, &args.output, &args.view)?;
            continue;
        }
        let created = session
            .call(
                "workflow.WorkflowService.CreateWorkflow",
                json!({
                    "namespace": namespace,
                    "workflow": workflow,
                    "serverDryRun": args.server_dry_run,
                }),
            )
            .await
            .context("failed to submit workflow")?;
        print_workflow(&session, out, &created, &args.output, &args.view)?;
        names.push(objects_name(&created));
    }
    follow(args, &session, out, &names).await
}

async fn follow(
    args: &SubmitArgs,
    session: &Session,
    out: Out<'_>,
    names: &[String],
) -> anyhow::Result<ExitCode> {
    follow_after_submit(
        session,
        out,
        names,
        Follow {
            log: args.log,
            wait: args.wait,
            watch: args.watch,
            quiet: !args.output.is_empty() && args.output != "wide",
        },
        &args.view,
    )
    .await
}

/// What to do after creating workflows (`--log`, `--wait`, `--watch`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Follow {
    pub log: bool,
    pub wait: bool,
    pub watch: bool,
    pub quiet: bool,
}

/// Logs, then waits or watches, as Argo's submit, retry and resubmit do.
pub async fn follow_after_submit(
    session: &Session,
    out: Out<'_>,
    names: &[String],
    follow: Follow,
    view: &ViewArgs,
) -> anyhow::Result<ExitCode> {
    if follow.log {
        for name in names {
            logs::follow_workflow(session, out, name).await?;
        }
    }
    if follow.wait {
        if !wait::wait_all(session, out, names, false, follow.quiet).await? {
            return Ok(ExitCode::FAILURE);
        }
    } else if follow.watch {
        for name in names {
            watch_workflow(session, out, name, view).await?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
