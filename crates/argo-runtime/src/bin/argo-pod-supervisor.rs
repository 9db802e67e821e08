//! The detached process that drives one pod of the local runtime (see
//! `argo_runtime::supervisor`). It is started by the runtime, never by hand.

fn main() -> std::process::ExitCode {
    argo_runtime::supervisor::main_from_args(std::env::args().skip(1))
}
