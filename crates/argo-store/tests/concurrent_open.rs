//! Several processes opening the same new SQLite file at once (a controller, an `argoexec` per
//! pod, a server): every one of them opens it, the schema is applied exactly once, and every
//! process can write afterwards.
//!
//! The processes are this test binary itself: the parent test starts copies of the binary that
//! run only `one_process_opens_the_store_and_writes` with `ARGO_STORE_OPEN_CHILD` set (without
//! it that entry does nothing).
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::{Command, Stdio};

use argo_store::{
    Environment, ListParams, Object, ResourceKind, ResourceReader, ResourceWriter, Scope,
    SqliteConfig, SqliteStore,
};

const CHILD: &str = "ARGO_STORE_OPEN_CHILD";
const PROCESSES: usize = 8;
const ROUNDS: usize = 3;

fn kind() -> ResourceKind {
    ResourceKind::new("example.argoproj.io/v1", "Thing", Scope::Namespaced)
}

fn thing(name: &str) -> Object {
    Object::new(&kind(), Some("default"), name)
}

async fn open_and_write(path: &Path, name: &str) -> Result<(), String> {
    let store = SqliteStore::open(&SqliteConfig::file(path), Environment::system())
        .await
        .map_err(|e| format!("open: {e}"))?;
    store
        .create(&kind(), thing(name))
        .await
        .map_err(|e| format!("create {name}: {e}"))?;
    store.close().await;
    Ok(())
}

#[tokio::test]
async fn one_process_opens_the_store_and_writes() {
    let Some(path) = std::env::var_os(CHILD) else {
        return;
    };
    let name = format!("thing-{}", std::process::id());
    if let Err(error) = open_and_write(Path::new(&path), &name).await {
        panic!("{error}");
    }
}

#[tokio::test]
async fn several_processes_opening_a_new_file_at_once_all_succeed() {
    let exe = std::env::current_exe().unwrap();
    for round in 0..ROUNDS {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("argo.db");
        let children: Vec<_> = (0..PROCESSES)
            .map(|_| {
                Command::new(&exe)
                    .args([
                        "--exact",
                        "one_process_opens_the_store_and_writes",
                        "--nocapture",
                    ])
                    .env(CHILD, &path)
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let output = child.wait_with_output().unwrap();
            assert!(
                output.status.success(),
                "round {round}: a process failed to open the new store:\n{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let store = SqliteStore::open(&SqliteConfig::file(&path), Environment::system())
            .await
            .unwrap();
        let listed = store.list(&kind(), &ListParams::default()).await.unwrap();
        assert_eq!(
            listed.items.len(),
            PROCESSES,
            "round {round}: one write each"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn several_stores_opening_a_new_file_at_once_in_one_process_all_succeed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("argo.db");
    let opens = (0..PROCESSES).map(|i| {
        let path = path.clone();
        tokio::spawn(async move { open_and_write(&path, &format!("thing-{i}")).await })
    });
    for result in futures::future::join_all(opens).await {
        result.unwrap().unwrap();
    }
}
