//! The container's PID 1 in sandboxed mode: builds the container's root (overlay, `/proc`,
//! `/tmp`, volumes), starts the container's command and reaps every orphan until the command
//! exits, then exits with its status; the kernel then kills whatever is left in the namespace.
//!
//! Like any PID 1 without handlers it ignores SIGTERM from outside; the command, in the same
//! process group, receives it. Failures to set up are written to the container's `start-error`
//! file (opened before the root changes) and end with exit code 128.

use std::io::Write;
use std::process::{ExitCode, Stdio};

use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::Pid;

use crate::launch::PodLaunch;
use crate::layout::{PodDir, read_json};
use crate::sandbox::enter_root;
use crate::supervisor::shim::{exec_error_message, user_command};

const START_ERROR_CODE: u8 = 128;

pub(crate) fn run(dir: &PodDir, name: &str) -> ExitCode {
    let cdir = dir.container(name);
    let mut error_file = std::fs::File::create(cdir.start_error()).ok();
    let mut fail = |message: String| {
        eprintln!("{message}");
        if let Some(file) = error_file.as_mut() {
            let _ = file.write_all(message.as_bytes());
        }
        ExitCode::from(START_ERROR_CODE)
    };
    let launch: PodLaunch = match read_json(&dir.launch_file()) {
        Ok(Some(launch)) => launch,
        Ok(None) => return fail("launch.json is missing".into()),
        Err(e) => return fail(e.to_string()),
    };
    let Some(container) = launch.container(name) else {
        return fail(format!("no container {name} in launch.json"));
    };
    if let Err(message) = enter_root(&cdir, container, &launch.hostname) {
        return fail(message);
    }
    let working_dir = std::path::PathBuf::from(container.working_dir.as_deref().unwrap_or("/"));
    if let Err(e) = std::fs::create_dir_all(&working_dir) {
        return fail(format!(
            "create the working directory {}: {e}",
            working_dir.display()
        ));
    }
    let mut command = user_command(container, &working_dir);
    command.stdin(Stdio::null());
    let child = match command.spawn() {
        Ok(child) => child,
        Err(e) => {
            return fail(exec_error_message(
                &command.get_program().to_string_lossy(),
                &e,
            ));
        }
    };
    let main = Pid::from_raw(i32::try_from(child.id()).unwrap_or(0));
    loop {
        match waitpid(Pid::from_raw(-1), None) {
            Ok(WaitStatus::Exited(pid, code)) if pid == main => {
                return ExitCode::from(u8::try_from(code & 0xff).unwrap_or(1));
            }
            Ok(WaitStatus::Signaled(pid, signal, _)) if pid == main => {
                return ExitCode::from(u8::try_from(128 + signal as i32).unwrap_or(1));
            }
            Ok(_) | Err(nix::errno::Errno::EINTR) => {}
            Err(_) => return ExitCode::from(1),
        }
    }
}
