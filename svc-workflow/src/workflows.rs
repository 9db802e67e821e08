//! The resource RPCs: create (with lint and dry runs), get, list, watch workflows and events,
//! delete, lint and submit. Each returns this crate's `Result`; `server` turns it into a
//! tonic answer.
//!
//! Must not: change a workflow's execution state (that is `operations`).

use argo_proto::workflow::{
    WatchEventsRequest, WatchWorkflowsRequest, WorkflowCreateRequest, WorkflowDeleteRequest,
    WorkflowGetRequest, WorkflowLintRequest, WorkflowListRequest, WorkflowSubmitRequest,
    WorkflowWatchEvent,
};
use argo_proto::{k8s_core, k8s_meta, wf};
use argo_service::{Caller, creator};
use argo_store::{ListParams, Object, Preconditions, ResourceStore, WatchParams};
use futures::stream::{BoxStream, StreamExt};
use serde_json::{Value, json};

use crate::answers::{EncodedAnswer, encode_answer};
use crate::archived;
use crate::conversion::{
    cluster_template_kind, convert_answer, cron_kind, event_kind, json_message, json_object,
    message_json, object_json, template_kind, workflow_kind,
};
use crate::fields::filter_fields;
use crate::listing::ListFilter;
use crate::server::WorkflowServer;
use crate::submission::{self, Source};
use crate::validation::{lint_workflow, require_valid};
use crate::{Error, Result};

fn non_empty(text: Option<&str>) -> Option<String> {
    text.filter(|text| !text.is_empty()).map(str::to_owned)
}

impl<S: ResourceStore + ?Sized + 'static> WorkflowServer<S> {
    /// A stored object as the protobuf answer, with the `fields` filter applied.
    pub(crate) fn answer(object: &Object, fields: &str) -> Result<wf::Workflow> {
        convert_answer(object, fields)
    }

    /// Validates and stores a manifest, or only returns it for dry runs.
    async fn create_manifest(
        &self,
        namespace: &str,
        mut manifest: Value,
        dry_run: bool,
        caller: &Caller,
    ) -> Result<wf::Workflow> {
        creator::label(caller, &mut manifest);
        if manifest
            .pointer("/metadata/namespace")
            .and_then(Value::as_str)
            .is_none_or(str::is_empty)
        {
            manifest["metadata"]["namespace"] = Value::String(namespace.to_owned());
        }
        require_valid(&*self.store, namespace, &manifest, false, false).await?;
        let object = json_object(&workflow_kind(), manifest)?;
        if dry_run {
            return Self::answer(&object, "");
        }
        let created = self.store.create(&workflow_kind(), object).await?;
        Self::answer(&created, "")
    }

    /// Creates a workflow labelled with its creator (`caller`), as Argo's `CreateWorkflow`.
    pub(crate) async fn create(
        &self,
        request: WorkflowCreateRequest,
        caller: &Caller,
    ) -> Result<wf::Workflow> {
        let Some(workflow) = request.workflow else {
            return Err(Error::invalid_argument("workflow body not specified"));
        };
        let dry_run = request.server_dry_run
            || request
                .create_options
                .as_ref()
                .is_some_and(|options| options.dry_run.iter().any(|mode| mode == "All"));
        let manifest = message_json(&workflow)?;
        self.create_manifest(&request.namespace, manifest, dry_run, caller)
            .await
    }

    /// GetWorkflow's answer, encoded: live workflows from the cache of encoded answers.
    pub(crate) async fn get(&self, request: WorkflowGetRequest) -> Result<EncodedAnswer> {
        // Served from the watch-fed copy, which holds every write made through this store.
        let object = match self
            .informer()
            .get(Some(&request.namespace), &request.name)
            .await
        {
            // A stored version encodes to the same answer every time: encode it once.
            Ok(object) => {
                return self
                    .answers
                    .answer(&object, &request.fields)
                    .map(EncodedAnswer::Message);
            }
            Err(error) if error.is_not_found() => self
                .archived_by_name(&request.namespace, &request.name)
                .await?
                .ok_or(error)?,
            Err(error) => return Err(error.into()),
        };
        encode_answer(&object, &request.fields).map(EncodedAnswer::Message)
    }

    /// ListWorkflows' answer, encoded: unfiltered, the live items' cached encodings joined.
    pub(crate) async fn list(&self, request: WorkflowListRequest) -> Result<EncodedAnswer> {
        let options = request.list_options.unwrap_or_default();
        let filter = ListFilter::new(
            options.field_selector.as_deref().unwrap_or_default(),
            &request.name_filter,
            &request.created_after,
            &request.finished_before,
        )?;
        let params = ListParams {
            namespace: non_empty(Some(&request.namespace)),
            label_selector: non_empty(options.label_selector.as_deref()),
            field_selector: filter.store_field_selector.clone(),
            limit: options
                .limit
                .and_then(|limit| u32::try_from(limit).ok())
                .filter(|limit| *limit > 0),
            continue_token: non_empty(options.r#continue.as_deref()),
        };
        // Live workflows first, then archived ones (`archived`), each paged by its own token.
        let archive_offset = archived::archive_offset(params.continue_token.as_deref())?;
        let mut metadata = json!({});
        let mut objects = Vec::new();
        let mut next = None;
        if archive_offset.is_none() {
            let page = self.informer().list(&params).await?;
            metadata["resourceVersion"] = Value::String(page.resource_version);
            objects.extend(
                page.items
                    .into_iter()
                    .filter(|object| filter.admits(object)),
            );
            next = page.continue_token;
        }
        let live = objects.len();
        let room = params
            .limit
            .map(|limit| (limit as usize).saturating_sub(objects.len()));
        if next.is_none() && self.archive.is_some() {
            let page = archived::ArchivePage {
                namespace: params.namespace.as_deref(),
                label_selector: params.label_selector.as_deref(),
                field_selector: params.field_selector.as_deref(),
                filter: &filter,
                offset: archive_offset.unwrap_or(0),
                room,
            };
            next = self.append_archived(&page, &mut objects).await?;
        }
        if let Some(token) = next {
            metadata["continue"] = Value::String(token);
        }
        if request.fields.trim().is_empty() {
            // Unfiltered, the list is its items' answers: live ones come from the cache.
            let items = objects
                .iter()
                .enumerate()
                .map(|(index, object)| {
                    if index < live {
                        self.answers.answer(object, "")
                    } else {
                        encode_answer(object, "")
                    }
                })
                .collect::<Result<Vec<_>>>()?;
            return Ok(EncodedAnswer::List {
                metadata: json_message(&metadata)?,
                items,
            });
        }
        let items = objects
            .iter()
            .map(|object| object_json(object))
            .collect::<Result<Vec<_>>>()?;
        let list = json!({ "metadata": metadata, "items": items });
        let list: wf::WorkflowList = json_message(&filter_fields(list, &request.fields))?;
        Ok(EncodedAnswer::of(&list))
    }

    pub(crate) async fn watch(
        &self,
        request: WatchWorkflowsRequest,
    ) -> Result<BoxStream<'static, Result<WorkflowWatchEvent>>> {
        let options = request.list_options.unwrap_or_default();
        let params = watch_params(&request.namespace, &options);
        let changes = self.store.watch(&workflow_kind(), &params).await?;
        // Clients address fields through the REST envelope (`result.object.metadata.name`).
        let fields = request
            .fields
            .split(',')
            .map(|path| path.trim().replace("result.", ""))
            .collect::<Vec<_>>()
            .join(",");
        Ok(changes
            .map(move |change| {
                let change = change?;
                let event = json!({
                    "type": change.event_type().as_str(),
                    "object": object_json(change.object())?,
                });
                json_message::<WorkflowWatchEvent>(&filter_fields(event, &fields))
            })
            .boxed())
    }

    pub(crate) async fn watch_events(
        &self,
        request: WatchEventsRequest,
    ) -> Result<BoxStream<'static, Result<k8s_core::Event>>> {
        let options = request.list_options.unwrap_or_default();
        let params = watch_params(&request.namespace, &options);
        let changes = self.store.watch(&event_kind(), &params).await?;
        Ok(changes
            .filter_map(|change| async move {
                match change {
                    // Deleted events are expiry, not news.
                    Ok(argo_store::WatchEvent::Deleted(_)) => None,
                    Ok(change) => Some(
                        object_json(change.object())
                            .and_then(|json| json_message::<k8s_core::Event>(&json)),
                    ),
                    Err(error) => Some(Err(error.into())),
                }
            })
            .boxed())
    }

    pub(crate) async fn delete(&self, request: WorkflowDeleteRequest) -> Result<()> {
        let kind = workflow_kind();
        let namespace = Some(request.namespace.as_str());
        if request.force {
            // Forcing means not waiting for finalizers (artifact GC...): drop them first.
            let mut object = self.store.get(&kind, namespace, &request.name).await?;
            if object.has_finalizers() {
                object.metadata.finalizers = None;
                self.store.update(&kind, object).await?;
            }
        }
        let preconditions = request
            .delete_options
            .and_then(|options| options.preconditions)
            .map(|preconditions| Preconditions {
                uid: non_empty(preconditions.uid.as_deref()),
                resource_version: non_empty(preconditions.resource_version.as_deref()),
            })
            .unwrap_or_default();
        self.store
            .delete(&kind, namespace, &request.name, &preconditions)
            .await?;
        Ok(())
    }

    /// Lints a workflow; the answer carries the creator labels a create would set.
    pub(crate) async fn lint(
        &self,
        request: WorkflowLintRequest,
        caller: &Caller,
    ) -> Result<wf::Workflow> {
        let Some(workflow) = request.workflow else {
            return Err(Error::invalid_argument("workflow body not specified"));
        };
        let mut manifest = message_json(&workflow)?;
        if manifest
            .pointer("/metadata/namespace")
            .and_then(Value::as_str)
            .is_none_or(str::is_empty)
        {
            manifest["metadata"]["namespace"] = Value::String(request.namespace.clone());
        }
        if let Some(message) =
            lint_workflow(&*self.store, &request.namespace, &manifest, true, false).await?
        {
            return Err(Error::invalid_argument(message));
        }
        let mut answer = message_json(&workflow)?;
        creator::label(caller, &mut answer);
        json_message(&answer)
    }

    /// Submits a template or cron workflow; the workflow is labelled with its creator
    /// (`caller`) after the submit options, so those cannot set the creator labels.
    pub(crate) async fn submit(
        &self,
        request: WorkflowSubmitRequest,
        caller: &Caller,
    ) -> Result<wf::Workflow> {
        let namespace = request.namespace.as_str();
        let name = request.resource_name.as_str();
        let mut manifest = match Source::parse(&request.resource_kind)? {
            Source::WorkflowTemplate => {
                self.store
                    .get(&template_kind(), Some(namespace), name)
                    .await?;
                submission::from_template(namespace, name, false)
            }
            Source::ClusterWorkflowTemplate => {
                self.store.get(&cluster_template_kind(), None, name).await?;
                submission::from_template(namespace, name, true)
            }
            Source::CronWorkflow => {
                let cron = self.store.get(&cron_kind(), Some(namespace), name).await?;
                submission::from_cron_workflow(namespace, &object_json(&cron)?)
            }
        };
        let options = match &request.submit_options {
            Some(options) => message_json(options)?,
            None => json!({}),
        };
        submission::apply_submit_options(&mut manifest, &options)?;
        creator::label(caller, &mut manifest);
        let dry_run = [options.get("dryRun"), options.get("serverDryRun")]
            .iter()
            .any(|flag| flag.and_then(Value::as_bool) == Some(true));
        require_valid(&*self.store, namespace, &manifest, false, true).await?;
        let object = json_object(&workflow_kind(), manifest)?;
        if dry_run {
            return Self::answer(&object, "");
        }
        let created = self.store.create(&workflow_kind(), object).await?;
        Self::answer(&created, "")
    }
}

fn watch_params(namespace: &str, options: &k8s_meta::ListOptions) -> WatchParams {
    WatchParams {
        namespace: non_empty(Some(namespace)),
        label_selector: non_empty(options.label_selector.as_deref()),
        field_selector: non_empty(options.field_selector.as_deref()),
        resource_version: non_empty(options.resource_version.as_deref()),
    }
}
