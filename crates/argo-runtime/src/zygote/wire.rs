//! The messages between the runtime and its zygote, one per datagram of a `SOCK_SEQPACKET`
//! socket pair, as JSON. A start request carries the container's lock as its one descriptor.
//! Must not: act on a message; the client and the server do.

use std::io::{IoSlice, IoSliceMut};
use std::os::fd::{AsRawFd, BorrowedFd, OwnedFd};
use std::path::PathBuf;

use nix::sys::socket::{ControlMessage, ControlMessageOwned, MsgFlags, recvmsg, sendmsg};
use serde::{Deserialize, Serialize};

use crate::sandbox::syscalls::own_received_descriptor;

/// Large enough for any message: paths and names are short.
const MAX_MESSAGE: usize = 16 * 1024;

/// Asks the zygote to start container `container` of the pod in `pod_dir`.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Start {
    pub(crate) id: u64,
    pub(crate) pod_dir: PathBuf,
    pub(crate) container: String,
    /// `init` in a new PID namespace (the sandbox); the shim's work without it.
    pub(crate) sandboxed: bool,
}

/// What the zygote tells about a request.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub(crate) enum Reply {
    /// The container's first process exists; `pid` as the runtime's process sees it.
    Started { id: u64, pid: i32 },
    /// It could not be started.
    Failed { id: u64, error: String },
    /// The first process ended, with this exit code or signal.
    Exited {
        id: u64,
        code: Option<i32>,
        signal: Option<i32>,
    },
}

/// Sends `message`, with `descriptor` attached when given.
pub(crate) fn send<T: Serialize>(
    socket: BorrowedFd<'_>,
    message: &T,
    descriptor: Option<BorrowedFd<'_>>,
) -> std::io::Result<()> {
    let bytes = serde_json::to_vec(message).map_err(std::io::Error::other)?;
    let fds = descriptor.map(|d| [d.as_raw_fd()]);
    let control: Vec<ControlMessage<'_>> = fds.as_ref().map_or_else(Vec::new, |fds| {
        vec![ControlMessage::ScmRights(fds.as_slice())]
    });
    let sent = sendmsg::<()>(
        socket.as_raw_fd(),
        &[IoSlice::new(&bytes)],
        &control,
        MsgFlags::MSG_NOSIGNAL,
        None,
    )?;
    if sent != bytes.len() {
        return Err(std::io::Error::other("a message was cut short"));
    }
    Ok(())
}

/// Receives one message and the descriptor that came with it; `None` at the end (the other side
/// closed its end).
pub(crate) fn receive<T: for<'de> Deserialize<'de>>(
    socket: BorrowedFd<'_>,
) -> std::io::Result<Option<(T, Option<OwnedFd>)>> {
    let mut buffer = vec![0u8; MAX_MESSAGE];
    let mut control = nix::cmsg_space!([std::os::fd::RawFd; 1]);
    let (length, descriptor) = {
        let mut iov = [IoSliceMut::new(&mut buffer)];
        let message = loop {
            match recvmsg::<()>(
                socket.as_raw_fd(),
                &mut iov,
                Some(&mut control),
                MsgFlags::MSG_CMSG_CLOEXEC,
            ) {
                Err(nix::errno::Errno::EINTR) => {}
                other => break other?,
            }
        };
        let mut descriptor = None;
        for cmsg in message.cmsgs()? {
            if let ControlMessageOwned::ScmRights(fds) = cmsg {
                for fd in fds {
                    let owned = own_received_descriptor(fd);
                    // One descriptor per message; any other is closed as it drops.
                    if descriptor.is_none() {
                        descriptor = Some(owned);
                    }
                }
            }
        }
        (message.bytes, descriptor)
    };
    if length == 0 {
        return Ok(None);
    }
    let message = serde_json::from_slice(&buffer[..length]).map_err(std::io::Error::other)?;
    Ok(Some((message, descriptor)))
}
