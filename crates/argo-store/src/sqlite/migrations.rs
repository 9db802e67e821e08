//! The SQLite schema, embedded in the binary (the SQL files under `migrations/sqlite/`) and applied
//! with sqlx's runtime migrator on open. Migrations are append-only: never edit a released one,
//! add the next number. This module only builds the migrator; it runs no other SQL.

use std::borrow::Cow;

use sqlx::SqlSafeStr;
use sqlx::migrate::{Migration, MigrationType, Migrator};

/// (version, description, SQL) of every migration, oldest first.
const MIGRATIONS: &[(i64, &str, &str)] = &[(
    1,
    "objects and events",
    include_str!("../../migrations/sqlite/0001_objects_and_events.sql"),
)];

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
