//! Container sets inside one pod: which containers run user code, the order the emissary of
//! each container keeps (it starts its command only once every dependency wrote exit code 0)
//! and the set's retry strategy (a failed command is run again, `retries` times, `duration`
//! apart).
//! Must not: run commands (the emissary does) or collect outputs (`wait` does).

use std::time::Duration;

use argo_core::Template;

use crate::layout::VarRunArgo;

/// The exit code of an emissary that could not run its command (Argo's convention).
pub const EMISSARY_ERROR_EXIT_CODE: i32 = 64;

/// The containers running user code: the set's containers, or `main`.
pub fn main_container_names(template: Option<&Template>) -> Vec<String> {
    match template.and_then(|t| t.container_set.as_ref()) {
        Some(set) if !set.containers.is_empty() => set
            .containers
            .iter()
            .map(|c| c.container.name.clone())
            .collect(),
        _ => vec!["main".to_owned()],
    }
}

/// The containers `container` waits for.
pub fn dependencies(template: Option<&Template>, container: &str) -> Vec<String> {
    template
        .and_then(|t| t.container_set.as_ref())
        .and_then(|set| set.container(container))
        .map(|c| c.dependencies.clone())
        .unwrap_or_default()
}

/// How often to run the command again after a failure, and the pause between runs.
pub fn retries(template: Option<&Template>) -> (u32, Duration) {
    let Some(strategy) = template
        .and_then(|t| t.container_set.as_ref())
        .and_then(|set| set.retry_strategy.as_ref())
    else {
        return (0, Duration::ZERO);
    };
    let count = strategy
        .retries
        .as_ref()
        .and_then(|r| match r {
            argo_core::k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(n) => {
                u32::try_from(*n).ok()
            }
            argo_core::k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::String(s) => {
                s.trim().parse().ok()
            }
        })
        .unwrap_or(0);
    let pause = argo_core::parse_go_duration(&strategy.duration)
        .ok()
        .and_then(|d| Duration::try_from(d).ok())
        .unwrap_or(Duration::ZERO);
    (count, pause)
}

/// Waits until every dependency wrote its exit code; `Err` names the first that failed.
pub async fn wait_for_dependencies(
    layout: &VarRunArgo,
    dependencies: &[String],
) -> Result<(), String> {
    for dependency in dependencies {
        let path = layout.exit_code(dependency);
        loop {
            match std::fs::read_to_string(&path) {
                Ok(text) => {
                    let code = text.trim().parse::<i32>().unwrap_or(1);
                    if code != 0 {
                        return Err(format!(
                            "dependency {dependency:?} exited with non-zero code: {code}"
                        ));
                    }
                    break;
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(json: &str) -> Template {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn names_dependencies_and_retries_come_from_the_set() {
        let template = set(r#"{"name": "t", "containerSet": {
                "retryStrategy": {"retries": "2", "duration": "1s"},
                "containers": [{"name": "a", "image": "x"},
                               {"name": "b", "image": "x", "dependencies": ["a"]}]}}"#);
        assert_eq!(main_container_names(Some(&template)), ["a", "b"]);
        assert_eq!(dependencies(Some(&template), "b"), ["a"]);
        assert!(dependencies(Some(&template), "a").is_empty());
        assert_eq!(retries(Some(&template)), (2, Duration::from_secs(1)));
        assert_eq!(main_container_names(None), ["main"]);
        assert_eq!(retries(None), (0, Duration::ZERO));
    }

    #[tokio::test]
    async fn a_failed_dependency_stops_the_wait_and_a_good_one_lets_it_pass() {
        let temp = tempfile::tempdir().unwrap();
        let layout = VarRunArgo::new(temp.path());
        for (name, code) in [("a", "0"), ("b", "2")] {
            std::fs::create_dir_all(layout.container(name)).unwrap();
            std::fs::write(layout.exit_code(name), code).unwrap();
        }
        assert_eq!(
            wait_for_dependencies(&layout, &["a".to_owned()]).await,
            Ok(())
        );
        let error = wait_for_dependencies(&layout, &["a".to_owned(), "b".to_owned()])
            .await
            .unwrap_err();
        assert!(error.contains("\"b\"") && error.contains('2'), "{error}");
    }
}
