//! Every RPC of ArchivedWorkflowService, as the proto descriptors declare them, has tests in
//! `rpcs.rs` whose names start with the RPC's snake-case name.

const TESTS: &str = include_str!("rpcs.rs");

fn snake_case(name: &str) -> String {
    let mut snake = String::new();
    for (index, character) in name.chars().enumerate() {
        if character.is_ascii_uppercase() {
            if index > 0 {
                snake.push('_');
            }
            snake.push(character.to_ascii_lowercase());
        } else {
            snake.push(character);
        }
    }
    snake
}

#[test]
fn every_archived_workflow_rpc_has_a_test() {
    let pool = argo_proto::descriptor_pool().expect("descriptors decode");
    let service = pool
        .get_service_by_name("workflowarchive.ArchivedWorkflowService")
        .expect("the service is declared");
    let methods: Vec<String> = service.methods().map(|m| snake_case(m.name())).collect();
    assert_eq!(methods.len(), 7, "{methods:?}");
    let missing: Vec<&String> = methods
        .iter()
        .filter(|method| !TESTS.contains(&format!("async fn {method}_")))
        .collect();
    assert!(missing.is_empty(), "RPCs without tests: {missing:?}");
}
