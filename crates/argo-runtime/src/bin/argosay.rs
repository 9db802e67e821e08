//! The `argosay` test image's commands as a host program (see `argo_runtime::argosay`).

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = argo_runtime::argosay::run(&args, &mut std::io::stdout(), &mut std::io::stderr());
    std::process::ExitCode::from(u8::try_from(code & 0xff).unwrap_or(1))
}
