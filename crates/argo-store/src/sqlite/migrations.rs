//! The SQLite schema, embedded in the binary (the SQL files under `migrations/sqlite/`) and applied
//! on open. Migrations are append-only: never edit a released one, add the next number.
//!
//! Several processes may open a new file at once (a controller, an `argoexec` per pod, a server).
//! sqlx's migrator takes no lock on SQLite, so two of them would both apply migration 1 and one
//! would fail; [`apply`] instead checks and applies every pending migration inside one
//! `BEGIN IMMEDIATE` transaction, which takes the database's write lock first (waiting up to the
//! busy timeout): the first process migrates, the others then find nothing to do. The
//! bookkeeping table and its rows are sqlx's own, so files migrated either way agree.
//! This module runs no SQL but the schema's.

use std::borrow::Cow;

use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{SqlSafeStr, SqlitePool};

use crate::{Error, Result};

/// sqlx's bookkeeping table, created as sqlx creates it.
const BOOKKEEPING: &str = "CREATE TABLE IF NOT EXISTS _sqlx_migrations (
    version BIGINT PRIMARY KEY,
    description TEXT NOT NULL,
    installed_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    success BOOLEAN NOT NULL,
    checksum BLOB NOT NULL,
    execution_time BIGINT NOT NULL
)";

/// (version, description, SQL) of every migration, oldest first.
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "objects and events",
        include_str!("../../migrations/sqlite/0001_objects_and_events.sql"),
    ),
    (
        2,
        "archived workflows",
        include_str!("../../migrations/sqlite/0002_archived_workflows.sql"),
    ),
];

/// The migrator for the embedded schema.
pub fn migrator() -> Migrator {
    let migrations = MIGRATIONS
        .iter()
        .map(|(version, description, sql)| {
            Migration::new(
                *version,
                Cow::Borrowed(*description),
                MigrationType::Simple,
                sql.into_sql_str(),
                false,
            )
        })
        .collect::<Vec<_>>();
    Migrator {
        migrations: Cow::Owned(migrations),
        ..Migrator::DEFAULT
    }
}

fn failed(operation: &'static str) -> impl FnOnce(sqlx::Error) -> Error {
    move |source| Error::Backend {
        operation,
        source: Box::new(source),
    }
}

fn schema_error(message: String) -> Error {
    Error::Backend {
        operation: "migrating the database",
        source: message.into(),
    }
}

const SELECT_APPLIED: &str =
    "SELECT version, checksum, success FROM _sqlx_migrations ORDER BY version";

/// Checks the migrations recorded in a file against this program's; `Ok(true)` when every one
/// of ours is applied.
fn check_applied(applied: &[(i64, Vec<u8>, bool)], known: &Migrator) -> Result<bool> {
    for (version, checksum, success) in applied {
        let Some(migration) = known.migrations.iter().find(|m| m.version == *version) else {
            return Err(schema_error(format!(
                "the database has migration {version}, which this program does not know \
                 (a newer version of it wrote the file)"
            )));
        };
        if !success {
            return Err(schema_error(format!(
                "migration {version} was left half-applied"
            )));
        }
        if migration.checksum.as_ref() != checksum.as_slice() {
            return Err(schema_error(format!(
                "migration {version} in the database differs from this program's"
            )));
        }
    }
    Ok(known
        .migrations
        .iter()
        .all(|m| applied.iter().any(|(done, _, _)| *done == m.version)))
}

/// Applies every pending migration in one write transaction (see the module documentation).
/// A file already up to date is recognised by a plain read first, so the many short-lived
/// processes that open it (an executor per pod) do not queue for its write lock.
pub(crate) async fn apply(pool: &SqlitePool) -> Result<()> {
    let known = migrator();
    // A missing table (a new file) fails this read: migrate below.
    if let Ok(applied) = sqlx::query_as::<_, (i64, Vec<u8>, bool)>(SELECT_APPLIED)
        .fetch_all(pool)
        .await
        && check_applied(&applied, &known)?
    {
        return Ok(());
    }
    let mut transaction = pool
        .begin_with("BEGIN IMMEDIATE")
        .await
        .map_err(failed("locking the database to migrate it"))?;
    sqlx::query(BOOKKEEPING)
        .execute(&mut *transaction)
        .await
        .map_err(failed("creating the migrations table"))?;
    let applied: Vec<(i64, Vec<u8>, bool)> = sqlx::query_as(SELECT_APPLIED)
        .fetch_all(&mut *transaction)
        .await
        .map_err(failed("reading the applied migrations"))?;
    check_applied(&applied, &known)?;
    for (migration, (version, _, sql)) in known.migrations.iter().zip(MIGRATIONS) {
        if applied.iter().any(|(done, _, _)| done == version) {
            continue;
        }
        sqlx::raw_sql(*sql)
            .execute(&mut *transaction)
            .await
            .map_err(failed("applying a migration"))?;
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
             VALUES (?, ?, TRUE, ?, -1)",
        )
        .bind(version)
        .bind(migration.description.as_ref())
        .bind(migration.checksum.as_ref())
        .execute(&mut *transaction)
        .await
        .map_err(failed("recording a migration"))?;
    }
    transaction
        .commit()
        .await
        .map_err(failed("committing the migrations"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_numbered_in_order_from_one() {
        let versions: Vec<i64> = MIGRATIONS.iter().map(|(version, _, _)| *version).collect();
        let expected: Vec<i64> = (1..=MIGRATIONS.len() as i64).collect();
        assert_eq!(versions, expected);
        assert_eq!(migrator().migrations.len(), MIGRATIONS.len());
    }
}
