//! Compiles the .proto schema without a system `protoc`.
//!
//! protox parses `protos/` into a FileDescriptorSet; tonic-prost-build turns that set into
//! prost messages and tonic clients and servers; the encoded set itself is written next to
//! the generated code so the crate can hand it to gRPC reflection and the REST transcoder.
//! This script must not reach the network or depend on anything installed on the machine.

use std::path::PathBuf;

use anyhow::Context as _;

/// The service files are the roots; everything else is reached through their imports.
const SERVICE_FILES: &[&str] = &[
    "services/artifact.proto",
    "services/clusterworkflowtemplate.proto",
    "services/cronworkflow.proto",
    "services/event.proto",
    "services/eventsource.proto",
    "services/info.proto",
    "services/sensor.proto",
    "services/sync.proto",
    "services/workflow.proto",
    "services/workflowarchive.proto",
    "services/workflowtemplate.proto",
];

fn main() -> anyhow::Result<()> {
    let manifest_dir =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").context("CARGO_MANIFEST_DIR")?);
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").context("OUT_DIR")?);
    let proto_root = manifest_dir.join("protos");
    println!("cargo:rerun-if-changed={}", proto_root.display());

    let mut compiler = protox::Compiler::new([&proto_root]).context("set up the proto compiler")?;
    compiler
        .include_imports(true)
        .include_source_info(false)
        .open_files(SERVICE_FILES)
        .map_err(|error| anyhow::anyhow!("compile the .proto files: {error}"))?;

    // The encoded form keeps custom options (google.api.http, argors.json.field); the
    // prost-types form handed to codegen below would drop them, so the two are taken apart.
    std::fs::write(
        out_dir.join("argo_descriptor_set.bin"),
        compiler.encode_file_descriptor_set(),
    )
    .context("write the descriptor set")?;
    let descriptor_set = compiler.file_descriptor_set();

    tonic_prost_build::configure()
        .build_server(true)
        .build_client(true)
        .include_file("argo_proto_modules.rs")
        .compile_fds_with_config(descriptor_set, codegen_config())
        .context("generate Rust from the descriptor set")?;
    Ok(())
}

/// Every message implements `prost::Name`, so callers can find its descriptor by type.
fn codegen_config() -> tonic_prost_build::Config {
    let mut config = tonic_prost_build::Config::new();
    config.enable_type_names();
    config
}
