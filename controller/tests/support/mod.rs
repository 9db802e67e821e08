//! Shared by the controller's process-level tests: building the binaries pods run.
#![allow(dead_code)]

use std::path::Path;

/// Builds `argoexec` and `argo-pod-supervisor`, which the local runtime starts (a no-op when
/// they are fresh, as in CI where the workspace's test build already made them).
pub fn build_pod_binaries() {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let status = std::process::Command::new(cargo)
        .current_dir(&workspace)
        .args(["build", "--locked", "-p", "executor", "-p", "argo-runtime"])
        .status()
        .expect("running cargo build for argoexec and argo-pod-supervisor");
    assert!(
        status.success(),
        "cargo build -p executor -p argo-runtime failed"
    );
}
