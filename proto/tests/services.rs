//! The compiled schema offers exactly upstream Argo's services, methods and REST bindings.

use std::collections::BTreeMap;

use argo_proto::{HttpBody, descriptor_pool, http_bindings};
use pretty_assertions::assert_eq;

fn upstream_rows() -> Vec<String> {
    include_str!("fixtures/upstream_rpcs.tsv")
        .lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .map(str::to_owned)
        .collect()
}

fn our_rows() -> Vec<String> {
    let pool = descriptor_pool().expect("descriptor set decodes");
    let bindings: BTreeMap<String, _> = http_bindings(pool)
        .expect("http rules read")
        .into_iter()
        .map(|binding| (binding.method.full_name().to_owned(), binding))
        .collect();
    let mut rows = Vec::new();
    for service in pool.services() {
        for method in service.methods() {
            let streaming = match (method.is_client_streaming(), method.is_server_streaming()) {
                (false, false) => "unary",
                (true, false) => "client",
                (false, true) => "server",
                (true, true) => "clientserver",
            };
            let (verb, path, body) = match bindings.get(method.full_name()) {
                None => ("-".to_owned(), "-".to_owned(), "-".to_owned()),
                Some(binding) => (
                    binding.verb.to_string(),
                    binding.path.clone(),
                    match &binding.body {
                        HttpBody::None => "-".to_owned(),
                        HttpBody::Whole => "*".to_owned(),
                        HttpBody::Field(field) => field.clone(),
                    },
                ),
            };
            rows.push(
                [
                    service.full_name(),
                    method.name(),
                    method.input().full_name(),
                    method.output().full_name(),
                    streaming,
                    &verb,
                    &path,
                    &body,
                ]
                .join("\t"),
            );
        }
    }
    rows.sort();
    rows
}

#[test]
fn schema_has_the_76_upstream_rpcs_in_11_services_with_their_http_rules() {
    let ours = our_rows();
    assert_eq!(ours, upstream_rows());
    assert_eq!(ours.len(), 76);
    let services: std::collections::BTreeSet<_> = ours
        .iter()
        .filter_map(|row| row.split('\t').next())
        .collect();
    assert_eq!(services.len(), 11);
}

#[test]
fn every_rpc_but_the_artifact_plugin_streaming_pair_has_a_rest_binding() {
    let pool = descriptor_pool().expect("descriptor set decodes");
    let bound = http_bindings(pool).expect("http rules read");
    assert_eq!(bound.len(), 74);
    let receive_event = bound
        .iter()
        .find(|binding| binding.method.full_name() == "event.EventService.ReceiveEvent")
        .expect("ReceiveEvent is bound");
    assert_eq!(receive_event.body, HttpBody::Field("payload".to_owned()));
    assert_eq!(
        receive_event.path_parameters(),
        ["namespace", "discriminator"]
    );
}
