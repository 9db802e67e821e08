//! The RPC plumbing both template services share: decode the request's template, call
//! [`Templates`], encode the answer as the service's message type. The namespaced and cluster
//! adapters differ only in their message types, the namespace they pass and Argo's wording for
//! a missing body, so each of their RPCs is one call here.
//!
//! Must not: hold template rules (those live in [`Templates`]) or name a service's messages.

use argo_proto::k8s_meta::{DeleteOptions, ListOptions};
use argo_service::Caller;
use argo_service::conversion::{json_message, message_json};
use serde_json::Value;
use tonic::{Response, Status};

use crate::templates::Templates;
use crate::{Error, Result};

/// What an RPC hands back to tonic.
pub(crate) type Answer<T> = Result<Response<T>, Status>;

/// A message type a template is decoded into or encoded from.
pub(crate) trait Message: prost::Message + prost::Name + Default {}

impl<M: prost::Message + prost::Name + Default> Message for M {}

fn answer<T>(result: Result<T>) -> Answer<T> {
    result.map(Response::new).map_err(Status::from)
}

/// The request's template as JSON, or InvalidArgument with `missing` when there is none.
fn body<B: Message>(template: Option<B>, missing: &str) -> Result<Value> {
    match template {
        Some(template) => message_json(&template),
        None => Err(Error::invalid_argument(missing)),
    }
}

pub(crate) async fn create<B: Message, M: Message>(
    templates: &Templates,
    namespace: &str,
    template: Option<B>,
    missing: &str,
    dry_run: bool,
    caller: &Caller,
) -> Answer<M> {
    answer(
        async {
            let manifest = body(template, missing)?;
            let created = templates
                .create(namespace, manifest, dry_run, caller)
                .await?;
            json_message(&created)
        }
        .await,
    )
}

pub(crate) async fn get<M: Message>(
    templates: &Templates,
    namespace: &str,
    name: &str,
) -> Answer<M> {
    answer(async { json_message(&templates.get(namespace, name).await?) }.await)
}

pub(crate) async fn list<M: Message>(
    templates: &Templates,
    namespace: &str,
    options: Option<ListOptions>,
    name_pattern: &str,
) -> Answer<M> {
    answer(
        async {
            let options = options.unwrap_or_default();
            let list = templates.list(namespace, &options, name_pattern).await?;
            json_message(&list)
        }
        .await,
    )
}

pub(crate) async fn update<B: Message, M: Message>(
    templates: &Templates,
    namespace: &str,
    name: &str,
    template: Option<B>,
    missing: &str,
) -> Answer<M> {
    answer(
        async {
            let manifest = body(template, missing)?;
            json_message(&templates.update(namespace, name, manifest).await?)
        }
        .await,
    )
}

pub(crate) async fn delete<R>(
    templates: &Templates,
    namespace: &str,
    name: &str,
    options: Option<&DeleteOptions>,
    deleted: R,
) -> Answer<R> {
    answer(
        templates
            .delete(namespace, name, options)
            .await
            .map(|()| deleted),
    )
}

pub(crate) async fn lint<B: Message, M: Message>(
    templates: &Templates,
    namespace: &str,
    template: Option<B>,
    missing: &str,
    caller: &Caller,
) -> Answer<M> {
    answer(
        async {
            let manifest = body(template, missing)?;
            json_message(&templates.lint(namespace, manifest, caller).await?)
        }
        .await,
    )
}
