//! The local runtime's synchronous pod operations on the state directory: create a pod
//! directory atomically, start its supervisor thread, tell whether a pod needs one, signal, stop and
//! remove. When a supervisor may start is the caller's decision (see `admission`).
//!
//! These functions block; the async trait methods run them on the blocking pool.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use k8s_openapi::api::core::v1::Pod;
use nix::sys::signal::Signal;

use crate::error::{Error, Result};
use crate::in_process::InProcess;
use crate::launch::{ConfigError, PodLaunch, VolumeFile};
use crate::layout::{PodDir, is_safe_component, read_json, write_bytes_atomic, write_json_atomic};
use crate::process_group::{lock_is_free, read_pgid, signal_group, try_lock};
use crate::record::{ContainerRecord, Phase, PodRecord};
use crate::supervisor::{Runtime, StopRequest, supervise};

static UNIQUE: AtomicU64 = AtomicU64::new(0);

fn unique_suffix() -> String {
    format!(
        "{}-{}",
        std::process::id(),
        UNIQUE.fetch_add(1, Ordering::Relaxed)
    )
}

/// The namespace and name of a pod, checked to be usable as directory names.
pub(crate) fn pod_key(pod: &Pod) -> Result<(String, String)> {
    let namespace = pod
        .metadata
        .namespace
        .clone()
        .unwrap_or_else(|| "default".into());
    let name = pod.metadata.name.clone().ok_or_else(|| Error::InvalidPod {
        reason: "metadata.name is required".into(),
    })?;
    check_key(&namespace, &name)?;
    // Container and volume names become directory names too.
    let spec = pod.spec.as_ref();
    let containers = spec
        .into_iter()
        .flat_map(|s| s.init_containers.iter().flatten().chain(&s.containers));
    let volumes = spec.into_iter().flat_map(|s| s.volumes.iter().flatten());
    let names = containers.map(|c| &c.name).chain(volumes.map(|v| &v.name));
    for part in names {
        if !is_safe_component(part) || part.starts_with('.') {
            return Err(Error::InvalidPod {
                reason: format!("{part:?} is not a valid container or volume name"),
            });
        }
    }
    Ok((namespace, name))
}

pub(crate) fn check_key(namespace: &str, name: &str) -> Result<()> {
    for part in [namespace, name] {
        if !is_safe_component(part) || part.starts_with('.') {
            return Err(Error::InvalidPod {
                reason: format!("{part:?} is not a valid namespace or pod name"),
            });
        }
    }
    Ok(())
}

/// The initial record of a pod: all containers waiting.
fn initial_record(pod: &Pod, config_error: Option<&ConfigError>) -> PodRecord {
    let spec = pod.spec.clone().unwrap_or_default();
    let has_init = spec.init_containers.as_ref().is_some_and(|c| !c.is_empty());
    let reason = |init: bool| match config_error {
        Some(_) => "CreateContainerConfigError",
        None if has_init || init => "PodInitializing",
        None => "ContainerCreating",
    };
    let records = |containers: &[k8s_openapi::api::core::v1::Container], init: bool| {
        containers
            .iter()
            .map(|c| {
                ContainerRecord::waiting(
                    &c.name,
                    c.image.as_deref().unwrap_or_default(),
                    reason(init),
                )
            })
            .collect()
    };
    PodRecord {
        generation: 1,
        phase: if config_error.is_some() {
            Phase::Failed
        } else {
            Phase::Pending
        },
        reason: config_error.map(|_| "CreateContainerConfigError".to_string()),
        message: config_error.map(|e| e.0.clone()),
        start_time: None,
        init_containers: records(spec.init_containers.as_deref().unwrap_or_default(), true),
        containers: records(&spec.containers, false),
    }
}

pub(crate) struct Creation<'a> {
    pub(crate) pods_root: &'a Path,
    pub(crate) pod: &'a Pod,
    pub(crate) resolved: Result<(PodLaunch, Vec<VolumeFile>), ConfigError>,
}

/// Creates the pod's directory. Returns its record and, unless the pod failed at once (a
/// configuration error), the held supervisor lock for the caller to start its supervisor with
/// or to drop while the pod waits; `None` when the pod already existed (someone else created it
/// first).
pub(crate) fn create(creation: Creation<'_>) -> Result<Option<(PodRecord, Option<fs::File>)>> {
    let (namespace, name) = pod_key(creation.pod)?;
    let final_dir = creation.pods_root.join(&namespace).join(&name);
    if final_dir.exists() {
        return Ok(None);
    }
    let ns_dir = creation.pods_root.join(&namespace);
    fs::create_dir_all(&ns_dir).map_err(Error::io("create", &ns_dir))?;
    let tmp = PodDir::new(ns_dir.join(format!(".creating-{name}-{}", unique_suffix())));
    let result = populate(&tmp, &creation);
    let (record, lock) = match result {
        Ok(done) => done,
        Err(e) => {
            let _ = fs::remove_dir_all(&tmp.path);
            return Err(e);
        }
    };
    if let Err(e) = fs::rename(&tmp.path, &final_dir) {
        let _ = fs::remove_dir_all(&tmp.path);
        if final_dir.exists() {
            return Ok(None);
        }
        return Err(Error::Io {
            action: "rename",
            path: final_dir,
            source: e,
        });
    }
    Ok(Some((record, lock)))
}

fn populate(tmp: &PodDir, creation: &Creation<'_>) -> Result<(PodRecord, Option<fs::File>)> {
    fs::create_dir_all(tmp.path.join("containers")).map_err(Error::io("create", &tmp.path))?;
    write_json_atomic(&tmp.pod_file(), creation.pod)?;
    let config_error = creation.resolved.as_ref().err();
    let record = initial_record(creation.pod, config_error);
    write_json_atomic(&tmp.status_file(), &record)?;
    let Ok((launch, files)) = &creation.resolved else {
        return Ok((record, None));
    };
    write_json_atomic(&tmp.launch_file(), launch)?;
    for volume in creation
        .pod
        .spec
        .iter()
        .flat_map(|s| s.volumes.iter().flatten())
    {
        if volume
            .host_path
            .as_ref()
            .is_some_and(|h| h.type_.as_deref() == Some("DirectoryOrCreate"))
        {
            let path = volume
                .host_path
                .as_ref()
                .map(|h| PathBuf::from(&h.path))
                .unwrap_or_default();
            fs::create_dir_all(&path).map_err(Error::io("create", &path))?;
        } else if volume.host_path.is_none() {
            let dir = tmp.volume(&volume.name);
            fs::create_dir_all(&dir).map_err(Error::io("create", &dir))?;
        }
    }
    for (relative, bytes) in files {
        let path = tmp.path.join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(Error::io("create", parent))?;
        }
        write_bytes_atomic(&path, bytes)?;
    }
    let lock = try_lock(&tmp.supervisor_lock())
        .map_err(Error::io("lock", tmp.supervisor_lock()))?
        .ok_or_else(|| Error::Task("a fresh pod lock is already held".into()))?;
    Ok((record, Some(lock)))
}

/// The stack of a supervisor thread (it parses small JSON records, nothing deep).
const SUPERVISOR_STACK: usize = 256 * 1024;

/// Starts the pod's supervisor on a thread of this process, handing it a handle of `lock` (the
/// pod's supervisor lock, held): it drives the pod while `runtime` lives.
pub(crate) fn start_supervisor(dir: &PodDir, lock: &fs::File, runtime: Runtime) -> Result<()> {
    let held = lock
        .try_clone()
        .map_err(Error::io("lock", dir.supervisor_lock()))?;
    let dir = dir.clone();
    std::thread::Builder::new()
        .name("argo-pod".into())
        .stack_size(SUPERVISOR_STACK)
        .spawn(move || {
            let path = dir.path.clone();
            if let Err(error) = supervise(dir, held, runtime) {
                tracing::warn!(pod = %path.display(), %error, "the pod's supervisor stopped");
            }
        })
        .map_err(|source| Error::SupervisorSpawn {
            program: "a supervisor thread".into(),
            source,
        })?;
    Ok(())
}

/// True when the pod of `record` (just read from `dir`) should have a supervisor: it has not
/// ended, it can start, and nobody asked it to stop.
pub(crate) fn wants_driver(dir: &PodDir, record: &PodRecord) -> bool {
    !record.phase.is_terminal() && dir.launch_file().exists() && !dir.stop_request().exists()
}

/// Signals the running containers of a pod (all, or the one named), those run in this process
/// through `in_process`.
pub(crate) fn signal(
    dir: &PodDir,
    record: &PodRecord,
    container: Option<&str>,
    signal: Signal,
    in_process: &InProcess,
) -> Result<()> {
    for c in record
        .all_containers()
        .filter(|c| container.is_none_or(|name| c.name == name))
    {
        let cdir = dir.container(&c.name);
        if lock_is_free(&cdir.lock()) || in_process.signal(&cdir.path, signal) {
            continue;
        }
        if let Some(pgid) = read_pgid(&cdir.pgid()) {
            signal_group(pgid, signal).map_err(|source| Error::Signal { pgid, source })?;
        }
    }
    Ok(())
}

/// Stops a pod and removes its directory. Blocks for at most `grace` plus a bounded margin.
pub(crate) fn delete(
    dir: &PodDir,
    record: Option<&PodRecord>,
    trash: &Path,
    grace: Duration,
    in_process: &InProcess,
) -> Result<()> {
    write_json_atomic(
        &dir.stop_request(),
        &StopRequest {
            grace_millis: u64::try_from(grace.as_millis()).unwrap_or(u64::MAX),
        },
    )?;
    let margin = Duration::from_secs(10);
    let started = Instant::now();
    while !lock_is_free(&dir.supervisor_lock()) && started.elapsed() < grace + margin {
        std::thread::sleep(Duration::from_millis(50));
    }
    // Containers a dead supervisor left behind, or that outlived a killed one.
    if let Some(record) = record {
        let running = |record: &PodRecord| {
            record
                .all_containers()
                .any(|c| !lock_is_free(&dir.container(&c.name).lock()))
        };
        if running(record) {
            signal(dir, record, None, Signal::SIGTERM, in_process)?;
            let term_sent = Instant::now();
            while running(record) && term_sent.elapsed() < grace {
                std::thread::sleep(Duration::from_millis(50));
            }
            signal(dir, record, None, Signal::SIGKILL, in_process)?;
            while running(record) && term_sent.elapsed() < grace + margin {
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        for c in record.all_containers() {
            let links = dir.container(&c.name).host_links();
            if let Ok(Some(links)) = read_json::<Vec<PathBuf>>(&links) {
                crate::sandbox::unlink_mounts(&links, &dir.path);
            }
        }
    }
    fs::create_dir_all(trash).map_err(Error::io("create", trash))?;
    let doomed = trash.join(unique_suffix());
    fs::rename(&dir.path, &doomed).map_err(Error::io("rename", &dir.path))?;
    if let Err(e) = fs::remove_dir_all(&doomed) {
        tracing::warn!(path = %doomed.display(), error = %e, "cannot remove a deleted pod's files");
    }
    Ok(())
}

/// All pod directories under `pods_root`, optionally of one namespace.
pub(crate) fn list_keys(
    pods_root: &Path,
    namespace: Option<&str>,
) -> Result<Vec<(String, String)>> {
    let mut keys = Vec::new();
    let namespaces: Vec<String> = match namespace {
        Some(ns) => vec![ns.to_string()],
        None => match fs::read_dir(pods_root) {
            Ok(entries) => entries
                .filter_map(|e| e.ok()?.file_name().into_string().ok())
                .collect(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => {
                return Err(Error::Io {
                    action: "list",
                    path: pods_root.into(),
                    source: e,
                });
            }
        },
    };
    for ns in namespaces {
        let Ok(entries) = fs::read_dir(pods_root.join(&ns)) else {
            continue;
        };
        for entry in entries.flatten() {
            if let Ok(name) = entry.file_name().into_string()
                && !name.starts_with('.')
            {
                keys.push((ns.clone(), name));
            }
        }
    }
    keys.sort();
    Ok(keys)
}
