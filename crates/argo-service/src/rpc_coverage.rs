//! The check every service crate runs over its own tests: each RPC of its services, as the
//! compiled schema declares them, has a success, a not-found and an invalid-argument test. Tests
//! are found by name: `fn <method_in_snake_case>_...`, with `not_found` or `invalid` in the name
//! for those outcomes, so a new RPC without tests fails the crate's suite.
//!
//! [`DOMAINS`] says which crate serves which service of the schema, and this module's own test
//! walks every service the protos declare, so an RPC is never without its tests merely because
//! its crate forgot to run the check (or a service has no crate).
//!
//! Must not: run any test itself; it reads test sources as text.

use std::path::Path;

/// An outcome an RPC cannot produce: (method, outcome, why).
pub type Exemption = (&'static str, &'static str, &'static str);

/// One API domain: the crate directory (relative to the workspace root), the services it
/// serves, and the outcomes its RPCs cannot produce.
#[derive(Debug, Clone, Copy)]
pub struct Domain {
    pub crate_dir: &'static str,
    pub services: &'static [&'static str],
    pub exempt: &'static [Exemption],
}

const LIST_EMPTY: &str =
    "a list or watch of a namespace with nothing in it is empty, as in Kubernetes";

const NAME_ONLY: &str = "the request names a workflow and nothing else: an unknown name is not \
     found, and an operation that does not fit the workflow's state is Internal, as in Argo";

const STATE_NOT_ARGUMENT: &str = "whether a run can be resubmitted depends on its state, which \
     Argo reports as Internal; an unknown name is not found";

const CREATE_MAKES: &str = "create makes what is missing and refers to nothing else; a \
     duplicate is AlreadyExists";

/// Every service of the schema with the crate that serves it.
pub const DOMAINS: &[Domain] = &[
    Domain {
        crate_dir: "svc-workflow",
        services: &["workflow.WorkflowService"],
        exempt: &[
            ("ListWorkflows", "not found", LIST_EMPTY),
            ("WatchWorkflows", "not found", LIST_EMPTY),
            ("WatchEvents", "not found", LIST_EMPTY),
            ("GetWorkflow", "invalid argument", NAME_ONLY),
            ("DeleteWorkflow", "invalid argument", NAME_ONLY),
            ("ResubmitWorkflow", "invalid argument", STATE_NOT_ARGUMENT),
            ("SuspendWorkflow", "invalid argument", NAME_ONLY),
            ("TerminateWorkflow", "invalid argument", NAME_ONLY),
        ],
    },
    Domain {
        crate_dir: "svc-info",
        services: &["info.InfoService"],
        exempt: &[
            (
                "GetInfo",
                "not found",
                "answers the server's settings; nothing is looked up",
            ),
            ("GetInfo", "invalid argument", "the request has no fields"),
            (
                "GetVersion",
                "not found",
                "answers the build's version; nothing is looked up",
            ),
            (
                "GetVersion",
                "invalid argument",
                "the request has no fields",
            ),
            (
                "GetUserInfo",
                "not found",
                "answers the caller's identity; nothing is looked up",
            ),
            (
                "GetUserInfo",
                "invalid argument",
                "the request has no fields",
            ),
            (
                "CollectEvent",
                "not found",
                "records a named event; nothing is looked up",
            ),
        ],
    },
    Domain {
        crate_dir: "svc-template",
        services: &[
            "workflowtemplate.WorkflowTemplateService",
            "clusterworkflowtemplate.ClusterWorkflowTemplateService",
        ],
        exempt: &[],
    },
    Domain {
        crate_dir: "svc-cron",
        services: &["cronworkflow.CronWorkflowService"],
        exempt: &[],
    },
    Domain {
        crate_dir: "svc-archive",
        services: &["workflowarchive.ArchivedWorkflowService"],
        exempt: &[
            ("ListArchivedWorkflows", "not found", LIST_EMPTY),
            ("ListArchivedWorkflowLabelValues", "not found", LIST_EMPTY),
            (
                "ListArchivedWorkflowLabelKeys",
                "invalid argument",
                "the request is a namespace alone, and any namespace may be listed",
            ),
        ],
    },
    Domain {
        crate_dir: "svc-events",
        services: &[
            "event.EventService",
            "eventsource.EventSourceService",
            "sensor.SensorService",
        ],
        exempt: &[
            (
                "ReceiveEvent",
                "not found",
                "an event no binding selects is accepted and dropped, as Argo does",
            ),
            ("ListWorkflowEventBindings", "not found", LIST_EMPTY),
            ("CreateEventSource", "not found", CREATE_MAKES),
            ("CreateSensor", "not found", CREATE_MAKES),
            ("ListEventSources", "not found", LIST_EMPTY),
            ("WatchEventSources", "not found", LIST_EMPTY),
            ("ListSensors", "not found", LIST_EMPTY),
            ("WatchSensors", "not found", LIST_EMPTY),
        ],
    },
    Domain {
        crate_dir: "svc-sync",
        services: &["sync.SyncService"],
        exempt: &[(
            "CreateSyncLimit",
            "not found",
            "a missing ConfigMap is created and a missing limit is what create makes",
        )],
    },
];

/// Services of the schema that no crate serves yet, with why.
pub const NOT_SERVED: &[(&str, &str)] = &[(
    "artifact.ArtifactService",
    "svc-artifact is planned (ARCHITECTURE.md); its RPCs get their tests with it",
)];

/// The missing tests of the domain served from `crate_dir`, reading `<workspace>/<crate_dir>/tests`.
///
/// # Errors
/// When the tests directory cannot be read.
pub fn missing_in_domain(workspace: &Path, domain: &Domain) -> std::io::Result<Vec<String>> {
    let names = test_names(&workspace.join(domain.crate_dir).join("tests"))?;
    Ok(missing_tests(domain.services, &names, domain.exempt))
}

/// The outcomes checked, with the marker their test names carry.
const OUTCOMES: [(&str, &str); 3] = [
    ("success", ""),
    ("not found", "not_found"),
    ("invalid argument", "invalid"),
];

/// `ListWorkflowTemplates` -> `list_workflow_templates`.
pub fn snake_case(method: &str) -> String {
    let mut snake = String::new();
    for (index, character) in method.chars().enumerate() {
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

/// The names of the functions defined in the `.rs` files of `directory`.
pub fn test_names(directory: &Path) -> std::io::Result<Vec<String>> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(directory)? {
        let path = entry?.path();
        if path.extension().is_none_or(|extension| extension != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path)?;
        for line in text.lines() {
            let line = line.trim_start();
            let Some(rest) = line
                .strip_prefix("async fn ")
                .or_else(|| line.strip_prefix("fn "))
            else {
                continue;
            };
            names.push(
                rest.chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect(),
            );
        }
    }
    Ok(names)
}

/// Whether a test name (already known to start with the RPC's prefix) covers the outcome with
/// `marker`; a success test is one that carries no failure marker.
fn tests_outcome(name: &str, marker: &str) -> bool {
    if marker.is_empty() {
        return OUTCOMES
            .iter()
            .all(|(_, failure)| failure.is_empty() || !name.contains(failure));
    }
    name.contains(marker)
}

/// One line per missing test of `services`' RPCs among `test_names`; an unknown service is
/// reported too.
pub fn missing_tests(
    services: &[&str],
    test_names: &[String],
    exempt: &[Exemption],
) -> Vec<String> {
    let pool = match argo_proto::descriptor_pool() {
        Ok(pool) => pool,
        Err(error) => return vec![format!("the schema does not load: {error}")],
    };
    let mut missing = Vec::new();
    for service_name in services {
        let Some(service) = pool.get_service_by_name(service_name) else {
            missing.push(format!("{service_name} is not in the schema"));
            continue;
        };
        for method in service.methods() {
            let prefix = format!("{}_", snake_case(method.name()));
            let tests: Vec<&String> = test_names
                .iter()
                .filter(|name| name.starts_with(&prefix))
                .collect();
            for (outcome, marker) in OUTCOMES {
                let is_exempt = exempt
                    .iter()
                    .any(|(m, o, _)| *m == method.name() && *o == outcome);
                if !is_exempt && !tests.iter().any(|name| tests_outcome(name, marker)) {
                    missing.push(format!(
                        "{}: no {outcome} test (fn {prefix}...{marker}...)",
                        method.full_name()
                    ));
                }
            }
        }
    }
    missing
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workspace() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
    }

    #[test]
    fn every_service_in_the_protos_belongs_to_a_domain_or_is_listed_as_not_served() {
        let pool = argo_proto::descriptor_pool().expect("the schema loads");
        let mut unclaimed = Vec::new();
        for service in pool.services() {
            let name = service.full_name();
            if name.starts_with("grpc.") {
                continue;
            }
            let served = DOMAINS.iter().any(|domain| domain.services.contains(&name));
            let excused = NOT_SERVED.iter().any(|(excused, _)| *excused == name);
            if served == excused {
                unclaimed.push(name.to_owned());
            }
        }
        assert!(
            unclaimed.is_empty(),
            "services with no domain (or with both a domain and an excuse): {unclaimed:?}"
        );
    }

    #[test]
    fn every_rpc_of_every_domain_has_success_not_found_and_invalid_argument_tests() {
        let workspace = workspace();
        let mut missing = Vec::new();
        for domain in DOMAINS {
            match missing_in_domain(&workspace, domain) {
                Ok(lines) => missing.extend(lines),
                Err(error) => {
                    missing.push(format!("{}: tests unreadable: {error}", domain.crate_dir))
                }
            }
        }
        assert!(
            missing.is_empty(),
            "RPCs without tests:\n{}",
            missing.join("\n")
        );
    }

    #[test]
    fn method_names_become_snake_case_test_prefixes() {
        assert_eq!(
            snake_case("ListWorkflowTemplates"),
            "list_workflow_templates"
        );
        assert_eq!(snake_case("GetSyncLimit"), "get_sync_limit");
    }

    #[test]
    fn an_rpc_without_its_three_tests_is_reported_once_per_outcome() {
        let names = vec![
            "get_info_answers".to_owned(),
            "get_info_invalid_token".to_owned(),
        ];
        let missing = missing_tests(&["info.InfoService"], &names, &[]);
        assert!(
            missing.contains(
                &"info.InfoService.GetInfo: no not found test (fn get_info_...not_found...)"
                    .to_owned()
            ),
            "{missing:?}"
        );
        assert!(
            !missing
                .iter()
                .any(|line| line.starts_with("info.InfoService.GetInfo: no success"))
        );
        let exempt = [("GetInfo", "not found", "nothing to find")];
        let missing = missing_tests(&["info.InfoService"], &names, &exempt);
        assert!(
            !missing
                .iter()
                .any(|line| line.starts_with("info.InfoService.GetInfo:"))
        );
        assert_eq!(
            missing_tests(&["no.Such"], &names, &[]),
            vec!["no.Such is not in the schema"]
        );
    }
}
