//! `argo cron backfill CRONWF --start ... [--end ...]`: one workflow for every time the cron
//! schedule would have fired in the period, each given the scheduled time as a parameter
//! (`--argname`, Go's time format). Without `--parallel` they share a mutex named after the
//! backfill so they run one at a time, as Argo's do.
//! Differs from Argo on purpose: Argo creates a "monitor" workflow whose resource template
//! creates these workflows; our engine runs no resource templates, so the CLI creates them
//! directly (same names, labels, parameter, priority and mutex) and lists them.
//! Must not: run anything itself; the server's controller runs the workflows.

use std::hash::{BuildHasher as _, Hasher as _};
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use jiff::{Timestamp, Zoned};
use serde_json::{Map, Value as Json, json};

use super::display::schedules;
use super::time_layout::{self, RFC1123};
use crate::client::ClientArgs;
use crate::commands::{Out, Session};
use crate::output::schedule::next_run_in;

const CRON_LABEL: &str = "workflows.argoproj.io/cron-workflow";
const BACKFILL_LABEL: &str = "workflows.argoproj.io/backfill";
const SCHEDULED_TIME: &str = "workflows.argoproj.io/scheduled-time";
/// Kubernetes names are at most 63 characters; `generateName` adds five.
const MAX_PREFIX: usize = 57;

/// create a cron backfill(new alpha feature)
#[derive(Debug, clap::Args)]
pub struct BackfillArgs {
    /// the CronWorkflow to backfill
    #[arg(value_name = "CRONWF")]
    pub cron: Option<String>,
    /// Backfill name
    #[arg(long, default_value = "")]
    pub name: String,
    /// Start date
    #[arg(long, default_value = "")]
    pub start: String,
    /// End Date
    #[arg(long, default_value = "")]
    pub end: String,
    /// Enabled all backfile workflows run parallel
    #[arg(long)]
    pub parallel: bool,
    /// Schedule time argument name for workflow
    #[arg(long, default_value = "cronScheduleTime")]
    pub argname: String,
    /// Date format for Schedule time value
    #[arg(long, default_value = RFC1123)]
    pub format: String,
    /// Maximum number of generated backfill workflows
    #[arg(
        long = "maxworkflowcount",
        alias = "max-workflow-count",
        default_value_t = 1000
    )]
    pub max_workflow_count: usize,
    #[command(flatten)]
    pub client: ClientArgs,
}

/// Every firing of `schedules` after `start` up to and including `end`, oldest first,
/// without repeats; stops once there are more than `limit`.
pub fn firings(schedules: &[String], start: &Zoned, end: Timestamp, limit: usize) -> Vec<Zoned> {
    let mut times: Vec<Timestamp> = Vec::new();
    for schedule in schedules {
        let mut at = start.timestamp();
        while let Some(next) = next_run_in(schedule, start.time_zone(), at) {
            if next > end || times.len() > limit {
                break;
            }
            times.push(next);
            at = next;
        }
    }
    times.sort();
    times.dedup();
    times
        .into_iter()
        .map(|t| t.to_zoned(start.time_zone().clone()))
        .collect()
}

/// The name given with `--name`, or five random lowercase letters and digits.
fn backfill_name(given: &str) -> String {
    if !given.is_empty() {
        return given.to_owned();
    }
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut bits = std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish();
    (0..5)
        .map(|_| {
            let index = usize::try_from(bits % 36).unwrap_or_default();
            bits /= 36;
            char::from(ALPHABET[index])
        })
        .collect()
}

/// The `generateName` of the backfilled workflows: `<cron>-backfill-<name>-`, cut to fit.
pub fn generate_name(cron: &str, backfill: &str) -> String {
    let mut prefix = format!("{cron}-backfill-{}", backfill.to_lowercase());
    if prefix.len() > MAX_PREFIX {
        let mut cut = MAX_PREFIX;
        while !prefix.is_char_boundary(cut) {
            cut -= 1;
        }
        prefix.truncate(cut);
    }
    prefix + "-"
}

/// The workflow one firing becomes: the cron's workflow spec and metadata, the backfill
/// labels, the scheduled time as parameter `argname`, and (unless parallel) the highest
/// priority and a mutex shared by the backfill.
pub fn workflow_for(cron: &Json, args: &BackfillArgs, backfill: &str, at: &Zoned) -> Json {
    let cron_name = super::display::text(cron, "/metadata/name");
    let mut labels = Map::new();
    let mut annotations = Map::new();
    if let Some(meta) = cron.pointer("/spec/workflowMetadata") {
        for (into, key) in [(&mut labels, "labels"), (&mut annotations, "annotations")] {
            if let Some(values) = meta.get(key).and_then(Json::as_object) {
                into.extend(values.clone());
            }
        }
    }
    labels.insert(CRON_LABEL.into(), Json::from(cron_name));
    labels.insert(BACKFILL_LABEL.into(), Json::from(cron_name));
    annotations.insert(
        SCHEDULED_TIME.into(),
        Json::from(at.timestamp().to_string()),
    );
    let mut metadata = json!({
        "generateName": generate_name(cron_name, backfill),
        "labels": labels,
        "annotations": annotations,
    });
    if let Some(uid) = cron.pointer("/metadata/uid").and_then(Json::as_str) {
        metadata["ownerReferences"] = json!([{
            "apiVersion": "argoproj.io/v1alpha1", "kind": "CronWorkflow", "name": cron_name,
            "uid": uid, "controller": true, "blockOwnerDeletion": true,
        }]);
    }
    let mut spec = cron
        .pointer("/spec/workflowSpec")
        .cloned()
        .unwrap_or_else(|| json!({}));
    let parameter = json!({"name": args.argname, "value": time_layout::go_string(at)});
    let parameters = spec["arguments"]["parameters"].as_array().cloned();
    let mut parameters = parameters.unwrap_or_default();
    parameters.retain(|p| p.get("name").and_then(Json::as_str) != Some(args.argname.as_str()));
    parameters.push(parameter);
    spec["arguments"]["parameters"] = Json::Array(parameters);
    if !args.parallel {
        spec["priority"] = Json::from(i32::MAX);
        spec["synchronization"] = json!({"mutexes": [{"name": backfill}]});
    }
    json!({
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Workflow",
        "metadata": metadata,
        "spec": spec,
    })
}

pub async fn run(args: &BackfillArgs, out: Out<'_>) -> anyhow::Result<ExitCode> {
    let Some(cron_name) = &args.cron else {
        use clap::CommandFactory as _;
        let mut command = crate::Cli::command();
        let help = command
            .find_subcommand_mut("cron")
            .and_then(|cron| cron.find_subcommand_mut("backfill"))
            .map(|backfill| backfill.render_help().to_string())
            .unwrap_or_default();
        out.write_all(help.as_bytes())?;
        return Ok(ExitCode::SUCCESS);
    };
    if args.start.is_empty() {
        bail!("Start Date should not be empty");
    }
    if args.max_workflow_count == 0 {
        bail!("--maxworkflowcount must be at least 1");
    }
    let name = backfill_name(&args.name);
    let start = time_layout::parse(&args.start, &args.format).map_err(anyhow::Error::msg)?;
    let (end, end_text) = if args.end.is_empty() {
        let now = Zoned::now();
        (now.timestamp(), time_layout::rfc1123(&now))
    } else {
        let end = time_layout::parse(&args.end, &args.format).map_err(anyhow::Error::msg)?;
        (end.timestamp(), args.end.clone())
    };
    let session = Session::connect(&args.client).await?;
    let namespace = session.namespace().to_owned();
    let cron = session
        .call(
            "cronworkflow.CronWorkflowService.GetCronWorkflow",
            json!({"namespace": namespace, "name": cron_name}),
        )
        .await?;
    let schedules = schedules(&cron);
    if schedules.is_empty() {
        bail!("cron workflow {cron_name} has no schedule");
    }
    let times = firings(&schedules, &start, end, args.max_workflow_count);
    if times.len() > args.max_workflow_count {
        bail!(
            "the period holds more than {} scheduled times (--maxworkflowcount); \
             narrow --start/--end or raise --maxworkflowcount",
            args.max_workflow_count
        );
    }
    if times.is_empty() {
        write!(out, "There is no suitable scheduling time.")?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut created = Vec::new();
    for at in &times {
        let workflow = workflow_for(&cron, args, &name, at);
        let saved = session
            .call(
                "workflow.WorkflowService.CreateWorkflow",
                json!({"namespace": namespace, "workflow": workflow}),
            )
            .await
            .with_context(|| format!("failed to create the backfill workflow for {at}"))?;
        created.push(crate::commands::objects_name(&saved));
    }
    writeln!(
        out,
        "Created {name} Backfill task for Cronworkflow {cron_name} "
    )?;
    writeln!(out, "==================================================")?;
    writeln!(out, "Backfill Period :")?;
    writeln!(out, "Start Time : {} ", args.start)?;
    writeln!(out, "  End Time : {end_text} ")?;
    writeln!(out, "Total Backfill Schedule: {} ", times.len())?;
    writeln!(out, "==================================================")?;
    writeln!(out, "Backfill Workflows: ")?;
    writeln!(out, "   NAMESPACE\t WORKFLOW: ")?;
    for (index, workflow) in created.iter().enumerate() {
        writeln!(out, "{}. {namespace} \t {workflow} ", index + 1)?;
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(parallel: bool) -> BackfillArgs {
        BackfillArgs {
            cron: Some("nightly".into()),
            name: "fill".into(),
            start: String::new(),
            end: String::new(),
            parallel,
            argname: "cronScheduleTime".into(),
            format: RFC1123.into(),
            max_workflow_count: 1000,
            client: ClientArgs::default(),
        }
    }

    fn utc(text: &str) -> Zoned {
        time_layout::parse(text, RFC1123).unwrap()
    }

    #[test]
    fn firings_run_from_after_the_start_to_the_end_inclusive() {
        let start = utc("Mon, 01 Jan 2024 00:00:00 UTC");
        let end = utc("Mon, 01 Jan 2024 03:00:00 UTC").timestamp();
        let hourly = vec!["0 * * * *".to_owned(), "0 */2 * * *".to_owned()];
        let times: Vec<String> = firings(&hourly, &start, end, 100)
            .iter()
            .map(time_layout::go_string)
            .collect();
        assert_eq!(
            times,
            [
                "2024-01-01 01:00:00 +0000 UTC",
                "2024-01-01 02:00:00 +0000 UTC",
                "2024-01-01 03:00:00 +0000 UTC"
            ]
        );
        assert_eq!(
            firings(&hourly, &start, end, 1).len(),
            2,
            "stops past the limit"
        );
    }

    #[test]
    fn each_firing_becomes_a_workflow_with_the_time_parameter() {
        let cron = json!({
            "metadata": {"name": "nightly", "uid": "u-1"},
            "spec": {"schedules": ["0 * * * *"], "workflowMetadata": {"labels": {"team": "a"}},
                     "workflowSpec": {"entrypoint": "main",
                        "arguments": {"parameters": [{"name": "cronScheduleTime", "value": "x"},
                                                     {"name": "other", "value": "y"}]}}}
        });
        let at = utc("Mon, 01 Jan 2024 01:00:00 UTC");
        let serial = workflow_for(&cron, &args(false), "fill", &at);
        assert_eq!(serial["metadata"]["generateName"], "nightly-backfill-fill-");
        assert_eq!(serial["metadata"]["labels"]["team"], "a");
        assert_eq!(serial["metadata"]["labels"][BACKFILL_LABEL], "nightly");
        assert_eq!(serial["metadata"]["ownerReferences"][0]["uid"], "u-1");
        assert_eq!(
            serial["spec"]["arguments"]["parameters"],
            json!([{"name": "other", "value": "y"},
                   {"name": "cronScheduleTime", "value": "2024-01-01 01:00:00 +0000 UTC"}])
        );
        assert_eq!(serial["spec"]["priority"], i32::MAX);
        assert_eq!(
            serial["spec"]["synchronization"]["mutexes"][0]["name"],
            "fill"
        );
        let parallel = workflow_for(&cron, &args(true), "fill", &at);
        assert!(parallel["spec"].get("synchronization").is_none());
        assert!(parallel["spec"].get("priority").is_none());
    }

    #[test]
    fn names_are_generated_and_cut_to_fit() {
        assert_eq!(backfill_name("").len(), 5);
        assert!(backfill_name("").bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_eq!(generate_name("c", "ABC"), "c-backfill-abc-");
        assert_eq!(generate_name(&"x".repeat(80), "n").len(), MAX_PREFIX + 1);
    }
}
