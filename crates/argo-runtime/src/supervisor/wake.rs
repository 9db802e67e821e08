//! What wakes a pod's supervisor between its looks at the pod: the exit of a shim it started (a
//! thread waits for each) and a stop request (the runtime writes `stop.json`, then sends
//! [`STOP_SIGNAL`]; a thread waits for it). Wake-ups carry nothing: the supervisor reads the pod's
//! files again, so a lost or spurious one costs only time, and it still looks on its own now and
//! then. Must not: read or write the pod's files.

use std::process::Child;
use std::sync::mpsc::{Receiver, Sender};
use std::time::Duration;

use nix::sys::signal::{SigSet, Signal};

/// Sent by the runtime after it wrote a stop request. Its default action is to be ignored, so a
/// supervisor that has not set up its waiter yet is not killed by it (it reads `stop.json` on
/// its first look anyway).
pub(crate) const STOP_SIGNAL: Signal = Signal::SIGWINCH;

/// Small stacks: the waiting threads only block in one system call.
const WAITER_STACK: usize = 64 * 1024;

pub(crate) struct Wakeups {
    sender: Sender<()>,
    receiver: Receiver<()>,
}

impl Wakeups {
    /// Blocks [`STOP_SIGNAL`] in the calling thread and starts the thread that waits for it.
    /// Called before the supervisor starts any other thread, so all of them inherit the block
    /// and the signal is only ever taken by the waiter (the shims it starts clear their mask
    /// for the containers).
    pub(crate) fn new() -> Self {
        let (sender, receiver) = std::sync::mpsc::channel();
        let mut stop = SigSet::empty();
        stop.add(STOP_SIGNAL);
        if let Err(error) = stop.thread_block() {
            tracing::debug!(%error, "stop requests are seen at the next look only");
            return Self { sender, receiver };
        }
        let wake = sender.clone();
        let waiter = std::thread::Builder::new()
            .name("stop-signal".into())
            .stack_size(WAITER_STACK)
            .spawn(move || {
                while stop.wait().is_ok() {
                    if wake.send(()).is_err() {
                        return;
                    }
                }
            });
        if let Err(error) = waiter {
            tracing::debug!(%error, "no stop signal waiter; stop requests are seen at the next look");
        }
        Self { sender, receiver }
    }

    /// Wakes the supervisor when `child` exits; false when no thread could wait for it (the
    /// caller must then look for the exit itself).
    pub(crate) fn on_exit(&self, mut child: Child) -> bool {
        let wake = self.sender.clone();
        // The waiter may lose the exit status to the supervisor's reaping; it wakes the loop
        // either way, which then reads the container's lock and exit report.
        std::thread::Builder::new()
            .name("shim-exit".into())
            .stack_size(WAITER_STACK)
            .spawn(move || {
                let _ = child.wait();
                let _ = wake.send(());
            })
            .map_err(|error| tracing::debug!(%error, "no exit waiter; the container's end is seen at the next look"))
            .is_ok()
    }

    /// Sleeps until a wake-up or for `timeout`, then drops the wake-ups that came meanwhile.
    pub(crate) fn wait(&self, timeout: Duration) {
        let _ = self.receiver.recv_timeout(timeout);
        while self.receiver.try_recv().is_ok() {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_child_exit_wakes_the_supervisor_before_its_timeout() {
        let wakeups = Wakeups::new();
        let child = std::process::Command::new("true")
            .spawn()
            .expect("spawn true");
        assert!(wakeups.on_exit(child));
        let started = std::time::Instant::now();
        wakeups.wait(Duration::from_secs(30));
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "woken by the exit"
        );
    }
}
