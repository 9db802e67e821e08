//! Every RPC this crate serves has tests for success, not found and invalid argument, by the
//! one table in `argo_service::rpc_coverage` (which also names the outcomes an RPC cannot
//! produce, with why). The methods come from the compiled schema, so a new RPC without tests
//! fails here as well as in argo-service's workspace-wide check.

use std::path::Path;

use argo_service::rpc_coverage::{DOMAINS, missing_in_domain};

#[test]
fn every_rpc_has_success_not_found_and_invalid_argument_tests() {
    let domain = DOMAINS
        .iter()
        .find(|domain| domain.crate_dir == "svc-workflow")
        .expect("the crate is a domain in the coverage table");
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let missing = missing_in_domain(&workspace, domain).expect("the tests directory reads");
    assert!(
        missing.is_empty(),
        "RPCs without tests:\n{}",
        missing.join("\n")
    );
}
