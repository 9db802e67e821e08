//! Every RPC of the services this crate serves has tests for success, not found and invalid
//! argument (`argo_service::rpc_coverage`: tests are found by name, `fn <method_snake>_...` with
//! `not_found` or `invalid` in the name). The methods come from the compiled schema, so a new RPC
//! without tests fails here.

use std::path::Path;

use argo_service::rpc_coverage::{Exemption, missing_tests, test_names};

const SERVICES: &[&str] = &[svc_sync::SERVICE_NAME];

/// Outcomes an RPC cannot produce.
const EXEMPT: &[Exemption] = &[(
    "CreateSyncLimit",
    "not found",
    "a missing ConfigMap is created and a missing limit is what create makes",
)];

#[test]
fn every_rpc_has_success_not_found_and_invalid_argument_tests() {
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let names = test_names(&tests).expect("the tests directory reads");
    let missing = missing_tests(SERVICES, &names, EXEMPT);
    assert!(
        missing.is_empty(),
        "RPCs without tests:\n{}",
        missing.join("\n")
    );
}
