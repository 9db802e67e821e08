//! Every RPC of the three services, as the proto descriptors declare them, has tests whose
//! names start with the RPC's snake-case name.

const TESTS: &[&str] = &[include_str!("events.rs"), include_str!("sources.rs")];

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
fn every_event_event_source_and_sensor_rpc_has_a_test() {
    let pool = argo_proto::descriptor_pool().expect("descriptors decode");
    let mut methods = Vec::new();
    for name in [
        "event.EventService",
        "eventsource.EventSourceService",
        "sensor.SensorService",
    ] {
        let service = pool
            .get_service_by_name(name)
            .expect("the service is declared");
        methods.extend(service.methods().map(|m| snake_case(m.name())));
    }
    assert_eq!(methods.len(), 16, "{methods:?}");
    let missing: Vec<&String> = methods
        .iter()
        .filter(|method| {
            !TESTS
                .iter()
                .any(|tests| tests.contains(&format!("async fn {method}_")))
        })
        .collect();
    assert!(missing.is_empty(), "RPCs without tests: {missing:?}");
}
