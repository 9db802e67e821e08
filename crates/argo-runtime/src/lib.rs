//! The pod runtime: the [`PodRuntime`] trait the controller drives, and [`LocalRuntime`], a tiny
//! kubelet that runs a Kubernetes `Pod` as sandboxed processes on this machine.
//!
//! The runtime is generic over pods: it knows nothing of Argo. Images are not pulled; commands
//! run with the host's tools, except for the images listed in an [`ImageShims`] table (by default
//! `argoproj/argosay`, whose commands this crate provides in [`argosay`]).
//!
//! Every pod is driven by a supervisor thread of the runtime's process that keeps the pod's
//! state on disk; its containers run in detached processes (started through the
//! `argo-pod-supervisor` binary of this crate, or any binary that calls
//! [`supervisor::main_from_args`]) that outlive the caller, so pods are found again by name
//! after the caller restarts. The caller's own programs can run as containers on runtime
//! threads instead ([`InProcessProgram`]).
//!
//! The crate's `README.md` documents the two modes ([`Sandbox::Namespaces`], needing root, and
//! the unprivileged [`Sandbox::None`]), the on-disk layout and the crash-safety guarantees.
//!
//! `unsafe` is denied for the crate and allowed in exactly one module, `sandbox::syscalls`, which
//! wraps the three system calls the standard library and `nix` do not offer safely (see there).
#![deny(unsafe_code)]

pub mod argosay;
mod changes;
mod error;
mod expand;
mod fake;
mod image;
mod in_process;
mod launch;
mod layout;
mod local;
mod logs;
mod process_group;
mod record;
mod runtime;
mod sandbox;
pub mod supervisor;
pub mod zygote;

pub use error::{Error, Result};
pub use fake::{FakeRuntime, SentSignal};
pub use image::{ImageShim, ImageShims};
pub use in_process::{ContainerLog, Ended, InProcessContainer, InProcessProgram, run_on_thread};
pub use launch::{
    ConfigLookup, HOST_CONTAINER_ANNOTATION_PREFIX, NoConfigLookup, RUN_AFTER_ANNOTATION_PREFIX,
};
pub use local::{LocalRuntime, LocalRuntimeConfig, ZygoteMode, volume_dir};
pub use logs::{LogLine, LogOptions, LogStream};
pub use nix::sys::signal::Signal;
pub use runtime::{PodEvent, PodRuntime};
pub use sandbox::Sandbox;
pub use zygote::ZygoteProgram;
