//! The CRDs checked in under k8s/crds must equal what the types generate today.
//! On a difference, regenerate with `cargo run -p argo-crds` and commit the result.

use std::path::PathBuf;

fn crd_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../k8s/crds")
}

#[test]
fn checked_in_crds_match_the_types() {
    let rendered = argo_crds::render_all().expect("CRDs render");
    assert_eq!(rendered.len(), 8, "one CRD per kind");
    let mut stale = Vec::new();
    for (name, text) in &rendered {
        let path = crd_dir().join(name);
        let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
        if &on_disk != text {
            stale.push(name.clone());
        }
    }
    assert!(
        stale.is_empty(),
        "CRDs out of date (run `cargo run -p argo-crds` and commit): {stale:?}"
    );
}

#[test]
fn every_crd_schema_is_structural() {
    for def in argo_crds::definitions() {
        let crd = argo_crds::crd(&def);
        let schema = &crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"];
        let mut problems = Vec::new();
        check_structural(schema, "openAPIV3Schema", &mut problems);
        assert!(problems.is_empty(), "{}: {problems:#?}", def.kind);
    }
}

/// Every node has a type unless it is int-or-string or preserves unknown fields, and no
/// `$ref`/`anyOf`/`oneOf`/`allOf` remains.
fn check_structural(node: &serde_json::Value, path: &str, problems: &mut Vec<String>) {
    let Some(map) = node.as_object() else {
        problems.push(format!("{path}: not an object"));
        return;
    };
    for banned in ["$ref", "anyOf", "oneOf", "allOf", "$defs", "nullable"] {
        if map.contains_key(banned) {
            problems.push(format!("{path}: has {banned}"));
        }
    }
    let typed = map.contains_key("type")
        || map.contains_key("x-kubernetes-int-or-string")
        || map.contains_key("x-kubernetes-preserve-unknown-fields");
    if !typed {
        problems.push(format!("{path}: no type"));
    }
    if let Some(properties) = map.get("properties").and_then(|p| p.as_object()) {
        for (key, child) in properties {
            check_structural(child, &format!("{path}.{key}"), problems);
        }
    }
    for key in ["items", "additionalProperties"] {
        if let Some(child) = map.get(key) {
            check_structural(child, &format!("{path}.{key}"), problems);
        }
    }
}
