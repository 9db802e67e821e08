//! The `argo` binary: parses the command line and hands over to the `cli` library.

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main()
}
