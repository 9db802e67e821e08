//! EventService: `ReceiveEvent` dispatches an event to the namespace's WorkflowEventBindings
//! (see `dispatch`) synchronously, as Argo does without `--event-async-dispatch`: every binding
//! is tried, each match creates its Workflow, and if any binding failed the call fails naming
//! them (the others' workflows stay created). `ListWorkflowEventBindings` lists the bindings.
//! With an instance id, only bindings labelled with it are used and created workflows carry it;
//! without, only unlabelled bindings.
//!
//! Must not: validate or run the created workflows (the controller does).

use std::collections::BTreeMap;
use std::sync::Arc;

use argo_core::WorkflowEventBinding;
use argo_proto::event::event_service_server::EventService;
use argo_proto::event::{EventRequest, EventResponse, ListWorkflowEventBindingsRequest};
use argo_proto::wf;
use argo_store::{ListParams, ResourceStore};
use serde_json::{Value, json};
use tonic::metadata::{KeyAndValueRef, MetadataMap};
use tonic::{Request, Response, Status};

use crate::conversion::{
    binding_kind, cluster_template_kind, json_message, json_object, object_json, template_kind,
    workflow_kind,
};
use crate::dispatch::EventEnvironment;
use crate::resources::list_params;
use crate::{Error, Result};

const LABEL_INSTANCE_ID: &str = "workflows.argoproj.io/controller-instanceid";

/// Settings of the event service.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventConfig {
    /// The controller instance id (`instanceID` in the controller configmap).
    pub instance_id: String,
}

/// EventService over a store.
pub struct EventServer {
    store: Arc<dyn ResourceStore>,
    config: EventConfig,
}

impl std::fmt::Debug for EventServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventServer")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// The request's headers as names to every value, for `metadata` in expressions.
fn headers(metadata: &MetadataMap) -> BTreeMap<String, Vec<String>> {
    let mut headers: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for entry in metadata.iter() {
        if let KeyAndValueRef::Ascii(key, value) = entry
            && let Ok(value) = value.to_str()
        {
            headers
                .entry(key.as_str().to_owned())
                .or_default()
                .push(value.to_owned());
        }
    }
    headers
}

impl EventServer {
    pub fn new(store: Arc<dyn ResourceStore>, config: EventConfig) -> Self {
        Self { store, config }
    }

    fn instance_selector(&self) -> String {
        if self.config.instance_id.is_empty() {
            format!("!{LABEL_INSTANCE_ID}")
        } else {
            format!("{LABEL_INSTANCE_ID}={}", self.config.instance_id)
        }
    }

    async fn bindings(&self, namespace: &str) -> Result<Vec<WorkflowEventBinding>> {
        let params = ListParams {
            namespace: (!namespace.is_empty()).then(|| namespace.to_owned()),
            label_selector: Some(self.instance_selector()),
            ..ListParams::default()
        };
        let list = self.store.list(&binding_kind(), &params).await?;
        list.items
            .into_iter()
            .map(|object| {
                let name = object.name().to_owned();
                object.into_resource().map_err(|error| {
                    Error::internal(format!(
                        "workflow event binding {name:?} is unreadable: {error}"
                    ))
                })
            })
            .collect()
    }

    /// Creates the workflow one matching binding submits, after checking its template exists.
    async fn submit(&self, binding: &WorkflowEventBinding, env: &EventEnvironment) -> Result<()> {
        if !env.selects(binding).map_err(Error::internal)? {
            return Ok(());
        }
        let Some(mut manifest) = env.workflow_for(binding).map_err(Error::internal)? else {
            return Ok(());
        };
        let namespace = binding.metadata.namespace.clone().unwrap_or_default();
        if let Some(submit) = &binding.spec.submit {
            let reference = &submit.workflow_template_ref;
            if reference.cluster_scope {
                self.store
                    .get(&cluster_template_kind(), None, &reference.name)
                    .await?;
            } else {
                self.store
                    .get(&template_kind(), Some(&namespace), &reference.name)
                    .await?;
            }
        }
        if !self.config.instance_id.is_empty() {
            manifest["metadata"]["labels"][LABEL_INSTANCE_ID] = json!(self.config.instance_id);
        }
        let created = self
            .store
            .create(&workflow_kind(), json_object(&workflow_kind(), manifest)?)
            .await?;
        tracing::info!(
            namespace,
            binding = binding.metadata.name.as_deref().unwrap_or_default(),
            workflow = created.name(),
            "event submitted a workflow"
        );
        Ok(())
    }

    pub(crate) async fn receive(
        &self,
        request: EventRequest,
        metadata: &MetadataMap,
    ) -> Result<EventResponse> {
        let payload: Value = match request.payload.and_then(|item| item.value) {
            None => Value::Null,
            Some(bytes) => serde_json::from_slice(&bytes).map_err(|error| {
                Error::invalid_argument(format!("payload is not JSON: {error}"))
            })?,
        };
        let env = EventEnvironment::new(
            &request.namespace,
            &request.discriminator,
            payload,
            &headers(metadata),
        );
        let mut failures = Vec::new();
        for binding in self.bindings(&request.namespace).await? {
            if let Err(error) = self.submit(&binding, &env).await {
                let name = binding.metadata.name.clone().unwrap_or_default();
                tracing::warn!(binding = name, %error, "failed to dispatch event");
                failures.push(format!("{name}: {}", error.client_message()));
            }
        }
        if failures.is_empty() {
            Ok(EventResponse {})
        } else {
            Err(Error::internal(format!(
                "failed to dispatch event: [{}]",
                failures.join("; ")
            )))
        }
    }

    pub(crate) async fn list_bindings(
        &self,
        request: ListWorkflowEventBindingsRequest,
    ) -> Result<wf::WorkflowEventBindingList> {
        let options = request.list_options.unwrap_or_default();
        let page = self
            .store
            .list(&binding_kind(), &list_params(&request.namespace, &options))
            .await?;
        let items = page
            .items
            .iter()
            .map(object_json)
            .collect::<Result<Vec<_>>>()?;
        let mut metadata = json!({"resourceVersion": page.resource_version});
        if let Some(token) = page.continue_token {
            metadata["continue"] = json!(token);
        }
        json_message(&json!({"metadata": metadata, "items": items}))
    }
}

fn answer<T>(result: Result<T>) -> Result<Response<T>, Status> {
    result.map(Response::new).map_err(Status::from)
}

#[tonic::async_trait]
impl EventService for EventServer {
    async fn receive_event(
        &self,
        request: Request<EventRequest>,
    ) -> Result<Response<EventResponse>, Status> {
        let metadata = request.metadata().clone();
        answer(self.receive(request.into_inner(), &metadata).await)
    }

    async fn list_workflow_event_bindings(
        &self,
        request: Request<ListWorkflowEventBindingsRequest>,
    ) -> Result<Response<wf::WorkflowEventBindingList>, Status> {
        answer(self.list_bindings(request.into_inner()).await)
    }
}
