//! The API services mounted in local mode: one in-process tonic router over the embedded store,
//! and the health of the schema's services that are not mounted (yet) reported NOT_SERVING.
//!
//! Must not: configure the services beyond handing them the store, the runtime's logs and
//! their settings.

use std::sync::Arc;

use argo_store::ArchiveStore;
use controller::Embedded;
use svc_info::InfoConfig;
use tonic_health::ServingStatus;
use tonic_health::server::HealthReporter;

use crate::logs::RuntimeLogs;

/// The router of every mounted service, and their gRPC names.
pub(crate) struct Mounted {
    pub routes: tonic::service::Routes,
    pub names: Vec<&'static str>,
}

/// Mounts every service this build has over `embedded`; `instance_id` is the controller's
/// (Argo's `--instanceid`), empty for the default instance.
pub(crate) fn mount(
    embedded: &Embedded,
    archive: Arc<dyn ArchiveStore>,
    info: InfoConfig,
    instance_id: &str,
) -> Mounted {
    let store = embedded.cluster.store.clone();
    let events = svc_events::event_service(
        store.clone(),
        svc_events::EventConfig {
            instance_id: instance_id.to_owned(),
        },
    );
    let event_sources = svc_events::event_source_service(store.clone());
    let sensors = svc_events::sensor_service(store.clone());
    let instance_id = Some(instance_id.to_owned()).filter(|id| !id.is_empty());
    let logs = Arc::new(RuntimeLogs::new(embedded.cluster.runtime.clone()));
    // GetWorkflow and ListWorkflows also read the archive, as Argo's server does.
    let workflow = svc_workflow::WorkflowEndpoint::new(
        svc_workflow::WorkflowServer::new(
            store.clone(),
            logs,
            svc_workflow::WorkflowConfig::default(),
        )
        .with_archive(archive.clone()),
    );
    let info = svc_info::service(info, svc_info::Identity::default());
    let templates = svc_template::service(
        store.clone(),
        svc_template::Config {
            instance_id: instance_id.clone(),
        },
    );
    let cron = svc_cron::service(store.clone(), svc_cron::Config { instance_id });
    let sync = svc_sync::service(store.clone(), svc_sync::Config::default());
    let archived = svc_archive::service(archive, store, svc_archive::ArchiveConfig::default());
    let routes = tonic::service::Routes::new(workflow)
        .add_service(info)
        .add_service(templates.workflow_templates)
        .add_service(templates.cluster_workflow_templates)
        .add_service(cron)
        .add_service(sync)
        .add_service(archived)
        .add_service(events)
        .add_service(event_sources)
        .add_service(sensors);
    Mounted {
        routes,
        names: vec![
            "workflow.WorkflowService",
            "info.InfoService",
            "workflowtemplate.WorkflowTemplateService",
            "clusterworkflowtemplate.ClusterWorkflowTemplateService",
            "cronworkflow.CronWorkflowService",
            "sync.SyncService",
            "workflowarchive.ArchivedWorkflowService",
            "event.EventService",
            "eventsource.EventSourceService",
            "sensor.SensorService",
        ],
    }
}

/// Marks the schema's services that are not in `mounted` as NOT_SERVING, so health checks
/// tell what this server really answers.
pub(crate) async fn report_unmounted(health: &HealthReporter, mounted: &[&str]) {
    let Ok(pool) = argo_proto::descriptor_pool() else {
        return;
    };
    for service in pool.services() {
        let name = service.full_name();
        let answered_by_gateway = name.starts_with("grpc.");
        if !answered_by_gateway && !mounted.contains(&name) {
            health
                .set_service_status(name, ServingStatus::NotServing)
                .await;
        }
    }
}
