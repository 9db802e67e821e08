//! The `argo` binary: parses the command line and hands over to the `cli` library.

use std::process::ExitCode;

/// mimalloc, as in every binary that runs the engine (see the workspace Cargo.toml).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    cli::main()
}
