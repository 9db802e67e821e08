//! The services as a client sees them: generated tonic clients over a loopback socket, with
//! health served beside them.

mod support;

use argo_proto::event::ListWorkflowEventBindingsRequest;
use argo_proto::event::event_service_client::EventServiceClient;
use argo_proto::eventsource::CreateEventSourceRequest;
use argo_proto::eventsource::event_source_service_client::EventSourceServiceClient;
use argo_proto::sensor::GetSensorRequest;
use argo_proto::sensor::sensor_service_client::SensorServiceClient;
use support::{big_stack, message, store};
use tonic::Code;
use tonic::transport::server::TcpIncoming;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_client::HealthClient;

const SERVICES: [&str; 3] = [
    "event.EventService",
    "eventsource.EventSourceService",
    "sensor.SensorService",
];

#[test]
fn generated_clients_reach_all_three_services_with_health() {
    big_stack(async {
        let store = store();
        let incoming = TcpIncoming::bind("127.0.0.1:0".parse().expect("address")).expect("bind");
        let address = format!("http://{}", incoming.local_addr().expect("bound address"));
        let router = argo_service::base_router(&SERVICES).await.expect("router");
        tokio::spawn(
            router
                .add_service(svc_events::event_service(
                    store.clone(),
                    svc_events::EventConfig::default(),
                ))
                .add_service(svc_events::event_source_service(store.clone()))
                .add_service(svc_events::sensor_service(store))
                .serve_with_incoming(incoming),
        );
        let channel = tonic::transport::Endpoint::from_shared(address)
            .expect("uri")
            .connect()
            .await
            .expect("connected");

        let bindings = EventServiceClient::new(channel.clone())
            .list_workflow_event_bindings(ListWorkflowEventBindingsRequest {
                namespace: "ci".into(),
                list_options: None,
            })
            .await
            .expect("listed")
            .into_inner();
        assert!(bindings.items.is_empty());
        EventSourceServiceClient::new(channel.clone())
            .create_event_source(CreateEventSourceRequest {
                namespace: "ci".into(),
                event_source: Some(message("webhook-source.json")),
            })
            .await
            .expect("created");
        let missing = SensorServiceClient::new(channel.clone())
            .get_sensor(GetSensorRequest {
                name: "none".into(),
                namespace: "ci".into(),
                get_options: None,
            })
            .await
            .expect_err("missing");
        assert_eq!(missing.code(), Code::NotFound);

        let mut health = HealthClient::new(channel);
        for service in SERVICES {
            let serving = health
                .check(HealthCheckRequest {
                    service: service.into(),
                })
                .await
                .expect("health")
                .into_inner();
            assert_eq!(serving.status, 1, "{service} SERVING");
        }
    });
}
