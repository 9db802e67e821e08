//! `argo cron create` and `argo cron update`: read CronWorkflow manifests, apply
//! `--schedule` and the submit options, save each through the API and print it.
//! Must not: validate the schedule; the server rejects a bad one with its message.

use std::process::ExitCode;

use anyhow::bail;
use serde_json::{Value as Json, json};

use super::CreateArgs;
use super::display::print_cron;
use crate::commands::manifest::{SubmitOptions, collect_parameters, read_documents};
use crate::commands::{Out, Session, check_output, objects_name};

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

pub(super) async fn save(
    args: &CreateArgs,
    create: bool,
    out: Out<'_>,
) -> anyhow::Result<ExitCode> {
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
            // As Argo: the update carries the stored resourceVersion.
            let name = objects_name(&cron);
            let current = session
                .call(
                    "cronworkflow.CronWorkflowService.GetCronWorkflow",
                    json!({"namespace": namespace, "name": name}),
                )
                .await
                .map_err(|e| {
                    e.context(format!(
                        "Failed to get existing cron workflow {name:?} to update"
                    ))
                })?;
            if let Some(version) = current.pointer("/metadata/resourceVersion") {
                cron["metadata"]["resourceVersion"] = version.clone();
            }
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
