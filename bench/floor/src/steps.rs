//! B1/B2 floor: spawn and wait of `/bin/true` with the durable bookkeeping an engine needs
//! (one committed row when a step starts, one when it ends), SQLite WAL with the chosen sync.
//!
//! It must not batch commits or skip the wait: it is the naive per-step cost an engine should
//! approach, not an optimised engine.

use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use rusqlite::Connection;
use serde_json::json;

use crate::percentile;

fn open(db: &str, sync: &str) -> Result<Connection, String> {
    let sync = match sync {
        "full" => "FULL",
        "normal" => "NORMAL",
        other => return Err(format!("--sync must be full or normal, not {other}")),
    };
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{db}{suffix}"));
    }
    let conn = Connection::open(db).map_err(|e| format!("open {db}: {e}"))?;
    conn.execute_batch(&format!(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous={sync};
         CREATE TABLE node(id INTEGER PRIMARY KEY, phase TEXT NOT NULL, at REAL NOT NULL);"
    ))
    .map_err(|e| format!("set up {db}: {e}"))?;
    Ok(conn)
}

fn commit(conn: &Connection, id: usize, phase: &str, at: f64) -> Result<(), String> {
    conn.execute(
        "INSERT INTO node(id, phase, at) VALUES (?1, ?2, ?3)
         ON CONFLICT(id) DO UPDATE SET phase = excluded.phase, at = excluded.at",
        rusqlite::params![id as i64, phase, at],
    )
    .map(|_| ())
    .map_err(|e| format!("commit: {e}"))
}

fn spawn_and_wait() -> Result<(), String> {
    let status = Command::new("/bin/true")
        .status()
        .map_err(|e| format!("spawn /bin/true: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("/bin/true exited with {status}"))
    }
}

/// B1: `steps` sequential steps; the gap is exit of step i to spawn of step i+1.
pub fn chain(steps: usize, sync: &str, db: &str) -> Result<serde_json::Value, String> {
    let conn = open(db, sync)?;
    let start = Instant::now();
    let mut gaps = Vec::with_capacity(steps);
    let mut last_exit: Option<Instant> = None;
    for id in 0..steps {
        commit(&conn, id, "Running", start.elapsed().as_secs_f64())?;
        if let Some(exit) = last_exit {
            gaps.push(exit.elapsed().as_secs_f64() * 1000.0);
        }
        spawn_and_wait()?;
        last_exit = Some(Instant::now());
        commit(&conn, id, "Succeeded", start.elapsed().as_secs_f64())?;
    }
    let wall = start.elapsed().as_secs_f64();
    gaps.sort_by(f64::total_cmp);
    Ok(json!({
        "workload": "chain", "steps": steps, "sync": sync, "wall_s": wall,
        "gap_p50_ms": percentile(&gaps, 50.0), "gap_p99_ms": percentile(&gaps, 99.0),
        "commits": steps * 2,
    }))
}

/// B2: `tasks` independent tasks, at most `parallel` in flight, one shared connection.
pub fn fanout(
    tasks: usize,
    parallel: usize,
    sync: &str,
    db: &str,
) -> Result<serde_json::Value, String> {
    let conn = Arc::new(Mutex::new(open(db, sync)?));
    let next = Arc::new(Mutex::new(0usize));
    let start = Instant::now();
    let workers: Vec<_> = (0..parallel.max(1))
        .map(|_| {
            let (conn, next) = (Arc::clone(&conn), Arc::clone(&next));
            std::thread::spawn(move || -> Result<(), String> {
                loop {
                    let id = {
                        let mut n = next.lock().map_err(|_| "task counter poisoned")?;
                        if *n >= tasks {
                            return Ok(());
                        }
                        *n += 1;
                        *n - 1
                    };
                    let record = |phase: &str| -> Result<(), String> {
                        let c = conn.lock().map_err(|_| "connection poisoned")?;
                        commit(&c, id, phase, start.elapsed().as_secs_f64())
                    };
                    record("Running")?;
                    spawn_and_wait()?;
                    record("Succeeded")?;
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().map_err(|_| "worker panicked")??;
    }
    let wall = start.elapsed().as_secs_f64();
    Ok(json!({
        "workload": "fanout", "tasks": tasks, "parallel": parallel, "sync": sync,
        "wall_s": wall, "per_task_ms": wall * 1000.0 / tasks.max(1) as f64, "commits": tasks * 2,
    }))
}
