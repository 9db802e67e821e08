//! The check every service crate runs over its own tests: each RPC of its services, as the
//! compiled schema declares them, has a success, a not-found and an invalid-argument test. Tests
//! are found by name: `fn <method_in_snake_case>_...`, with `not_found` or `invalid` in the name
//! for those outcomes, so a new RPC without tests fails the crate's suite.
//!
//! Must not: run any test itself; it reads test sources as text.

use std::path::Path;

/// An outcome an RPC cannot produce: (method, outcome, why).
pub type Exemption = (&'static str, &'static str, &'static str);

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
                if !is_exempt && !tests.iter().any(|name| name.contains(marker)) {
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
