//! `argo template ...` and `argo cluster-template ...`: create, get, list, update, delete
//! and lint WorkflowTemplates and ClusterWorkflowTemplates. The two differ only in the
//! service they call and whether a namespace applies, so one implementation serves both.
//! Must not: validate templates locally before create/update (the server does).

use std::process::ExitCode;

use anyhow::bail;
use clap::Subcommand;
use serde_json::{Map, Value as Json, json};

use super::manifest::read_documents;
use super::{Out, Session, check_output, items, objects_name, print_object};
use crate::client::ClientArgs;
use crate::output::humanize;
use crate::output::table::TabWriter;

/// The service and names of one template kind.
#[derive(Debug, Clone, Copy)]
pub struct TemplateKind {
    pub kind: &'static str,
    pub service: &'static str,
    pub method_suffix: &'static str,
    pub list_suffix: &'static str,
    pub namespaced: bool,
    pub lint_kinds: &'static str,
}

pub const WORKFLOW_TEMPLATE: TemplateKind = TemplateKind {
    kind: "WorkflowTemplate",
    service: "workflowtemplate.WorkflowTemplateService",
    method_suffix: "WorkflowTemplate",
    list_suffix: "WorkflowTemplates",
    namespaced: true,
    lint_kinds: "workflowtemplates",
};

pub const CLUSTER_WORKFLOW_TEMPLATE: TemplateKind = TemplateKind {
    kind: "ClusterWorkflowTemplate",
    service: "clusterworkflowtemplate.ClusterWorkflowTemplateService",
    method_suffix: "ClusterWorkflowTemplate",
    list_suffix: "ClusterWorkflowTemplates",
    namespaced: false,
    lint_kinds: "clusterworkflowtemplates",
};

impl TemplateKind {
    fn method(&self, verb: &str) -> String {
        let suffix = if verb == "List" {
            self.list_suffix
        } else {
            self.method_suffix
        };
        format!("{}.{verb}{suffix}", self.service)
    }

    fn request(&self, session: &Session, mut fields: Map<String, Json>) -> Json {
        if self.namespaced {
            fields.insert("namespace".into(), Json::from(session.namespace()));
        }
        Json::Object(fields)
    }
}

#[derive(Debug, Subcommand)]
pub enum TemplateCommand {
    /// create a workflow template
    Create(FilesArgs),
    /// display details about a workflow template
    Get(GetArgs),
    /// list workflow templates
    List(ListArgs),
    /// update a workflow template
    Update(FilesArgs),
    /// delete a workflow template
    Delete(DeleteArgs),
    /// validate files or directories of workflow template manifests
    Lint(crate::lint::LintArgs),
}

#[derive(Debug, clap::Args)]
pub struct FilesArgs {
    /// manifest files, or `-` for standard input
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<String>,
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
    /// Show workflow templates from all namespaces
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
pub struct DeleteArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    /// Delete all templates
    #[arg(long)]
    pub all: bool,
    #[command(flatten)]
    pub client: ClientArgs,
}

pub async fn run(
    kind: TemplateKind,
    command: &TemplateCommand,
    out: Out<'_>,
) -> anyhow::Result<ExitCode> {
    match command {
        TemplateCommand::Create(args) => create_or_update(kind, args, "Create", out).await,
        TemplateCommand::Update(args) => create_or_update(kind, args, "Update", out).await,
        TemplateCommand::Get(args) => get(kind, args, out).await,
        TemplateCommand::List(args) => list(kind, args, out).await,
        TemplateCommand::Delete(args) => delete(kind, args, out).await,
        TemplateCommand::Lint(args) => {
            let mut args = args.clone();
            if args.kinds == ["all"] {
                args.kinds = vec![kind.lint_kinds.to_owned()];
            }
            crate::lint::run_async(&args, out).await
        }
    }
}

async fn create_or_update(
    kind: TemplateKind,
    args: &FilesArgs,
    verb: &str,
    out: Out<'_>,
) -> anyhow::Result<ExitCode> {
    check_output(&args.output, &["", "name", "json", "yaml", "wide"])?;
    let documents: Vec<Json> = read_documents(&args.files)?
        .into_iter()
        .filter(|d| {
            d.get("kind")
                .and_then(Json::as_str)
                .is_none_or(|k| k == kind.kind)
        })
        .collect();
    if documents.is_empty() {
        bail!("No {} found in given files", kind.kind);
    }
    let session = Session::connect(&args.client).await?;
    for mut document in documents {
        let mut fields = Map::new();
        if verb == "Update" {
            // As Argo: the update carries the stored resourceVersion.
            let name = objects_name(&document);
            let mut get = Map::new();
            get.insert("name".into(), Json::from(name.as_str()));
            let current = session
                .call(&kind.method("Get"), kind.request(&session, get))
                .await
                .map_err(|e| {
                    e.context(format!(
                        "Failed to get existing {} {name:?} to update",
                        kind.kind
                    ))
                })?;
            if let Some(version) = current.pointer("/metadata/resourceVersion") {
                document["metadata"]["resourceVersion"] = version.clone();
            }
            fields.insert("name".into(), Json::from(name));
        }
        fields.insert("template".into(), document);
        let saved = session
            .call(&kind.method(verb), kind.request(&session, fields))
            .await?;
        print_template(&session, out, &saved, &args.output)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The name/namespace/created block Argo prints for templates.
fn print_template(
    session: &Session,
    out: Out<'_>,
    template: &Json,
    output: &str,
) -> anyhow::Result<()> {
    if print_object(out, template, output)? {
        return Ok(());
    }
    let field = |pointer: &str| {
        template
            .pointer(pointer)
            .and_then(Json::as_str)
            .unwrap_or("")
    };
    writeln!(out, "{:<20} {}", "Name:", field("/metadata/name"))?;
    writeln!(out, "{:<20} {}", "Namespace:", field("/metadata/namespace"))?;
    let created = field("/metadata/creationTimestamp")
        .parse::<jiff::Timestamp>()
        .map(|t| humanize::timestamp(t, session.now(), &session.zone))
        .unwrap_or_default();
    writeln!(out, "{:<20} {created}", "Created:")?;
    Ok(())
}

async fn get(kind: TemplateKind, args: &GetArgs, out: Out<'_>) -> anyhow::Result<ExitCode> {
    check_output(&args.output, &["", "name", "json", "yaml", "wide"])?;
    let session = Session::connect(&args.client).await?;
    for name in &args.names {
        let mut fields = Map::new();
        fields.insert("name".into(), Json::from(name.as_str()));
        let template = session
            .call(&kind.method("Get"), kind.request(&session, fields))
            .await?;
        print_template(&session, out, &template, &args.output)?;
    }
    Ok(ExitCode::SUCCESS)
}

async fn list_all(
    kind: TemplateKind,
    session: &Session,
    namespace: &str,
    selector: Option<&str>,
) -> anyhow::Result<Vec<Json>> {
    let mut request = json!({"listOptions": {"labelSelector": selector.unwrap_or("")}});
    if kind.namespaced {
        request["namespace"] = Json::from(namespace);
    }
    let list = session.call(&kind.method("List"), request).await?;
    Ok(items(&list))
}

async fn list(kind: TemplateKind, args: &ListArgs, out: Out<'_>) -> anyhow::Result<ExitCode> {
    check_output(&args.output, &["", "name", "wide"])?;
    let session = Session::connect(&args.client).await?;
    let namespace = if args.all_namespaces {
        ""
    } else {
        session.namespace()
    };
    let templates = list_all(kind, &session, namespace, args.selector.as_deref()).await?;
    if args.output == "name" {
        for template in &templates {
            writeln!(out, "{}", objects_name(template))?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let show_namespace = args.all_namespaces && kind.namespaced;
    let mut w = TabWriter::new(3);
    if show_namespace {
        w.write("NAMESPACE\t");
    }
    w.write("NAME\n");
    for template in &templates {
        if show_namespace {
            let namespace = template
                .pointer("/metadata/namespace")
                .and_then(Json::as_str)
                .unwrap_or("");
            w.write(&format!("{namespace}\t"));
        }
        w.write(&format!("{}\t\n", objects_name(template)));
    }
    out.write_all(w.finish().as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

async fn delete(kind: TemplateKind, args: &DeleteArgs, out: Out<'_>) -> anyhow::Result<ExitCode> {
    if args.names.is_empty() && !args.all {
        bail!("requires either a template name or --all");
    }
    let session = Session::connect(&args.client).await?;
    let mut names = args.names.clone();
    if args.all {
        let templates = list_all(kind, &session, session.namespace(), None).await?;
        names.extend(templates.iter().map(objects_name));
    }
    for name in names {
        let mut fields = Map::new();
        fields.insert("name".into(), Json::from(name.as_str()));
        session
            .call(&kind.method("Delete"), kind.request(&session, fields))
            .await?;
        writeln!(out, "{} '{name}' deleted", kind.kind)?;
    }
    Ok(ExitCode::SUCCESS)
}
