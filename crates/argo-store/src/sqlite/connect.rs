//! Connecting the pool to a file that other processes may be opening at the same moment.
//!
//! Turning a new file into WAL mode needs an exclusive lock that SQLite does not wait for with the
//! busy timeout: when several processes (a controller, an `argoexec` per pod, a server) open a new
//! file together, the losers' `PRAGMA journal_mode = WAL` fails at once with "database is locked".
//! [`connect`] retries such busy failures with a short, growing pause until the busy timeout has
//! passed, so they behave like any other lock wait. It runs no statements of its own.

use std::time::{Duration, Instant};

use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};

/// The first pause after a busy failure; it doubles up to [`LONGEST_PAUSE`].
const FIRST_PAUSE: Duration = Duration::from_millis(2);
const LONGEST_PAUSE: Duration = Duration::from_millis(100);

/// Connects the pool, retrying while the file is busy for at most `patience`.
pub(super) async fn connect(
    pool: SqlitePoolOptions,
    options: SqliteConnectOptions,
    patience: Duration,
) -> Result<SqlitePool, sqlx::Error> {
    let started = Instant::now();
    let mut pause = FIRST_PAUSE;
    // Processes that collide tend to retry in step: spread them by their process id.
    let spread = Duration::from_micros(u64::from(std::process::id() % 997));
    loop {
        match pool.clone().connect_with(options.clone()).await {
            Err(error) if is_busy(&error) && started.elapsed() < patience => {
                tracing::debug!(%error, "the database file is busy; connecting again");
                tokio::time::sleep(pause + spread).await;
                pause = (pause * 2).min(LONGEST_PAUSE);
            }
            outcome => return outcome,
        }
    }
}

/// Whether `error` is SQLite's SQLITE_BUSY (any extended form): another connection holds a lock.
fn is_busy(error: &sqlx::Error) -> bool {
    let sqlx::Error::Database(database) = error else {
        return false;
    };
    let primary = database
        .code()
        .and_then(|code| code.parse::<i32>().ok())
        .map(|code| code & 0xff);
    primary == Some(SQLITE_BUSY) || database.message().contains("database is locked")
}

const SQLITE_BUSY: i32 = 5;

#[cfg(test)]
mod tests {
    use super::*;

    /// A new file whose one connection holds SQLite's exclusive lock (in a schema change).
    struct LockedFile {
        options: SqliteConnectOptions,
        holder: SqlitePool,
        lock: sqlx::Transaction<'static, sqlx::Sqlite>,
    }

    impl LockedFile {
        async fn new(dir: &tempfile::TempDir) -> Self {
            let options = SqliteConnectOptions::new()
                .filename(dir.path().join("locked.db"))
                .create_if_missing(true);
            let holder = SqlitePoolOptions::new()
                .max_connections(1)
                .connect_with(options.clone())
                .await
                .unwrap();
            let mut lock = holder.begin_with("BEGIN EXCLUSIVE").await.unwrap();
            sqlx::query("CREATE TABLE t (x)")
                .execute(&mut *lock)
                .await
                .unwrap();
            Self {
                options,
                holder,
                lock,
            }
        }
    }

    #[test]
    fn only_database_errors_can_be_busy() {
        assert!(!is_busy(&sqlx::Error::PoolTimedOut));
        assert!(!is_busy(&sqlx::Error::RowNotFound));
    }

    #[tokio::test]
    async fn a_locked_file_is_waited_for_then_opened() {
        let dir = tempfile::tempdir().unwrap();
        let LockedFile {
            options,
            holder,
            lock,
        } = LockedFile::new(&dir).await;
        // Switching to WAL needs the exclusive lock the holder has, and is not waited for by
        // SQLite itself: without retries this connect fails at once.
        let waiting = tokio::spawn(connect(
            SqlitePoolOptions::new().max_connections(1),
            options
                .clone()
                .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
                .busy_timeout(Duration::ZERO),
            Duration::from_secs(10),
        ));
        tokio::time::sleep(Duration::from_millis(150)).await;
        assert!(
            !waiting.is_finished(),
            "connected while the file was locked"
        );
        lock.commit().await.unwrap();
        holder.close().await;
        let pool = waiting.await.unwrap().unwrap();
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(mode, "wal");
    }

    #[tokio::test]
    async fn a_file_locked_for_longer_than_the_patience_fails_with_the_busy_error() {
        let dir = tempfile::tempdir().unwrap();
        let LockedFile {
            options,
            holder: _holder,
            lock,
        } = LockedFile::new(&dir).await;
        let error = connect(
            SqlitePoolOptions::new().max_connections(1),
            options
                .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
                .busy_timeout(Duration::ZERO),
            Duration::from_millis(50),
        )
        .await
        .unwrap_err();
        assert!(is_busy(&error), "{error}");
        lock.rollback().await.unwrap();
    }
}
