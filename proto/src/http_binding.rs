//! The REST face of each gRPC method, read from its `google.api.http` option.
//!
//! This is what the gateway builds its route table from. It only reads the schema; it
//! knows nothing about routing, path matching or JSON.

use std::fmt;

use prost_reflect::{DescriptorPool, DynamicMessage, MethodDescriptor, Value};

use crate::{Error, Result};

/// The extension on `google.protobuf.MethodOptions` that carries an `HttpRule`.
const HTTP_RULE_EXTENSION: &str = "google.api.http";

/// The HTTP verb of a binding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HttpVerb {
    Get,
    Put,
    Post,
    Delete,
    Patch,
}

impl HttpVerb {
    /// The verb as written on the wire, e.g. `GET`.
    pub fn as_str(self) -> &'static str {
        match self {
            HttpVerb::Get => "GET",
            HttpVerb::Put => "PUT",
            HttpVerb::Post => "POST",
            HttpVerb::Delete => "DELETE",
            HttpVerb::Patch => "PATCH",
        }
    }
}

impl fmt::Display for HttpVerb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which part of the request message the HTTP body fills.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HttpBody {
    /// No body: every field comes from the path or the query string.
    None,
    /// `body: "*"`: the body is the whole request message minus the path fields.
    Whole,
    /// `body: "<field>"`: the body is that one field (e.g. `payload` of `ReceiveEvent`).
    Field(String),
}

/// One REST binding of one gRPC method.
#[derive(Clone, Debug)]
pub struct HttpBinding {
    /// The method, with its input and output message descriptors.
    pub method: MethodDescriptor,
    pub verb: HttpVerb,
    /// The path template as written in the schema, e.g. `/api/v1/workflows/{namespace}/{name}`.
    pub path: String,
    pub body: HttpBody,
}

impl HttpBinding {
    /// The names inside `{...}` in the path template, in order.
    pub fn path_parameters(&self) -> Vec<&str> {
        self.path
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
            .collect()
    }
}

/// Every method that has an HTTP binding, in schema order (services, then methods).
///
/// Methods without the option (the artifact plugin's gRPC-only calls) are left out.
///
/// # Errors
/// When the schema lacks the `google.api.http` extension or a rule names no verb.
pub fn http_bindings(pool: &DescriptorPool) -> Result<Vec<HttpBinding>> {
    let extension = pool
        .get_extension_by_name(HTTP_RULE_EXTENSION)
        .ok_or_else(|| Error::ExtensionNotFound {
            name: HTTP_RULE_EXTENSION.to_owned(),
        })?;
    let mut bindings = Vec::new();
    for service in pool.services() {
        for method in service.methods() {
            let options = method.options();
            if !options.has_extension(&extension) {
                continue;
            }
            let rule = options.get_extension(&extension);
            let Value::Message(rule) = rule.as_ref() else {
                continue;
            };
            bindings.push(binding_from_rule(method.clone(), rule)?);
        }
    }
    Ok(bindings)
}

fn binding_from_rule(method: MethodDescriptor, rule: &DynamicMessage) -> Result<HttpBinding> {
    let verbs = [
        ("get", HttpVerb::Get),
        ("put", HttpVerb::Put),
        ("post", HttpVerb::Post),
        ("delete", HttpVerb::Delete),
        ("patch", HttpVerb::Patch),
    ];
    let (verb, path) = verbs
        .into_iter()
        .find_map(|(field, verb)| {
            let value = rule.get_field_by_name(field)?;
            let path = value.as_str()?.to_owned();
            (!path.is_empty()).then_some((verb, path))
        })
        .ok_or_else(|| Error::HttpRuleWithoutVerb {
            method: method.full_name().to_owned(),
        })?;
    let body = match rule
        .get_field_by_name("body")
        .as_ref()
        .and_then(|v| v.as_str())
    {
        None | Some("") => HttpBody::None,
        Some("*") => HttpBody::Whole,
        Some(field) => HttpBody::Field(field.to_owned()),
    };
    Ok(HttpBinding {
        method,
        verb,
        path,
        body,
    })
}

impl HttpBinding {
    /// Builds the gRPC request from a REST call, in grpc-gateway v1's order: the body first
    /// (the whole request for `body: "*"`, one field for `body: "<field>"`), then the path
    /// variables, then — unless the body was the whole request — the query parameters that
    /// name neither a path variable nor the body field.
    ///
    /// `path` holds the decoded `{variable}` values; `query` one entry per distinct key.
    ///
    /// # Errors
    /// [`Error::Json`] when the body or a parameter does not fit the request message.
    pub fn request_message(
        &self,
        body: Option<&serde_json::Value>,
        path: &[(&str, &str)],
        query: &[(&str, Vec<&str>)],
    ) -> Result<DynamicMessage> {
        let input = self.method.input();
        let mut request = match (&self.body, body) {
            (HttpBody::Whole, Some(json)) => crate::json_to_message(&input, json)?,
            (HttpBody::Field(name), Some(json)) => {
                let mut request = DynamicMessage::new(input.clone());
                if let Some(field) = input.get_field_by_name(name) {
                    let value = match field.kind() {
                        prost_reflect::Kind::Message(inner) => {
                            Value::Message(crate::json_to_message(&inner, json)?)
                        }
                        _ => {
                            return Err(Error::Json {
                                path: name.clone(),
                                reason: "body field is not a message".to_owned(),
                            });
                        }
                    };
                    request.set_field(&field, value);
                }
                request
            }
            _ => DynamicMessage::new(input.clone()),
        };
        for (name, value) in path {
            crate::set_request_param(&mut request, name, &[value])?;
        }
        if self.body != HttpBody::Whole {
            let path_names: Vec<&str> = path.iter().map(|(name, _)| *name).collect();
            let body_field = match &self.body {
                HttpBody::Field(name) => Some(name.as_str()),
                _ => None,
            };
            for (key, values) in query {
                let root = key.split('.').next().unwrap_or(key);
                if path_names.contains(key) || body_field == Some(root) {
                    continue;
                }
                crate::set_request_param(&mut request, key, values)?;
            }
        }
        Ok(request)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::{descriptor_pool, message_to_json};

    fn binding(method: &str) -> HttpBinding {
        let pool = descriptor_pool().expect("descriptor set decodes");
        http_bindings(pool)
            .expect("rules read")
            .into_iter()
            .find(|binding| binding.method.full_name() == method)
            .expect("method is bound")
    }

    #[test]
    fn whole_body_requests_take_path_variables_but_not_the_query() {
        let create = binding("workflow.WorkflowService.CreateWorkflow");
        let body = json!({"workflow": {"metadata": {"generateName": "x-"}}, "serverDryRun": true});
        let request = create
            .request_message(
                Some(&body),
                &[("namespace", "argo")],
                &[("serverDryRun", vec!["false"])],
            )
            .expect("request builds");
        let json = message_to_json(&request);
        assert_eq!(json["namespace"], json!("argo"));
        assert_eq!(json["serverDryRun"], json!(true));
        assert_eq!(json["workflow"]["metadata"]["generateName"], json!("x-"));
    }

    #[test]
    fn a_field_body_fills_that_field_and_the_query_fills_the_rest() {
        let receive = binding("event.EventService.ReceiveEvent");
        let payload = json!({"message": "hello", "n": 1});
        let request = receive
            .request_message(
                Some(&payload),
                &[("namespace", "argo"), ("discriminator", "github")],
                &[],
            )
            .expect("request builds");
        let json = message_to_json(&request);
        assert_eq!(
            json,
            json!({"namespace": "argo", "discriminator": "github", "payload": payload})
        );

        let list = binding("workflow.WorkflowService.ListWorkflows");
        let request = list
            .request_message(
                None,
                &[("namespace", "argo")],
                &[
                    ("listOptions.limit", vec!["5"]),
                    ("namespace", vec!["other"]),
                ],
            )
            .expect("request builds");
        assert_eq!(
            message_to_json(&request),
            json!({"namespace": "argo", "listOptions": {"limit": 5}})
        );
    }
}
