//! The archive in the SQLite store's database (migration 0002): one row per archived workflow
//! with its indexed columns, and one row per label. Filters become SQL in the portable subset
//! (bind parameters, `EXISTS` on the label table, `substr` for prefixes, no JSON functions), so
//! PostgreSQL and MySQL backends can reuse the statements. What SQL cannot say exactly and
//! portably (case-sensitive `Contains`, numeric `>`/`<` label requirements) is re-checked with
//! [`ArchiveQuery::matches`], and such queries are paged in memory.
//!
//! Must not: touch the resource tables or publish watch events (archiving is not a resource
//! change).

use async_trait::async_trait;
use jiff::Timestamp;
use serde_json::Value;
use sqlx::sqlite::{SqlitePool, SqliteRow};
use sqlx::{QueryBuilder, Row, Sqlite};

use super::{ArchiveQuery, ArchiveStore, ArchivedWorkflow, NameMatch};
use crate::selector::Operator;
use crate::{Error, Result, SqliteStore};

const INSERT_WORKFLOW: &str = "INSERT INTO argo_archived_workflows \
     (uid, namespace, name, phase, creationtimestamp, startedat, finishedat, workflow) \
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

/// The workflow archive in a [`SqliteStore`]'s database. Clones share the pool.
#[derive(Debug, Clone)]
pub struct SqliteArchive {
    pool: SqlitePool,
}

fn backend(operation: &'static str) -> impl FnOnce(sqlx::Error) -> Error {
    move |source| Error::backend(operation, source)
}

fn micros(time: Option<Timestamp>) -> Option<i64> {
    time.map(Timestamp::as_microsecond)
}

impl SqliteArchive {
    /// The archive sharing `store`'s database (its migrations created the tables).
    pub fn new(store: &SqliteStore) -> Self {
        Self {
            pool: store.pool().clone(),
        }
    }

    /// Whether part of `query` must be checked after SQL (so SQL may not page).
    fn needs_recheck(query: &ArchiveQuery) -> bool {
        matches!(query.name, Some(NameMatch::Contains(_)))
            || query.labels.requirements.iter().any(|requirement| {
                matches!(
                    requirement.operator,
                    Operator::GreaterThan(_) | Operator::LessThan(_)
                )
            })
    }

    /// `SELECT <select> FROM argo_archived_workflows a WHERE <filters of query>`.
    fn filtered(select: &str, query: &ArchiveQuery) -> QueryBuilder<Sqlite> {
        let mut sql = QueryBuilder::new(format!(
            "SELECT {select} FROM argo_archived_workflows a WHERE 1 = 1"
        ));
        if let Some(namespace) = &query.namespace {
            sql.push(" AND a.namespace = ").push_bind(namespace.clone());
        }
        let prefix = |sql: &mut QueryBuilder<Sqlite>, prefix: &str| {
            let length = i64::try_from(prefix.chars().count()).unwrap_or(i64::MAX);
            sql.push(" AND substr(a.name, 1, ")
                .push_bind(length)
                .push(") = ")
                .push_bind(prefix.to_owned());
        };
        match &query.name {
            None => {}
            Some(NameMatch::Exact(name)) => {
                sql.push(" AND a.name = ").push_bind(name.clone());
            }
            Some(NameMatch::NotEqual(name)) => {
                sql.push(" AND a.name <> ").push_bind(name.clone());
            }
            Some(NameMatch::Prefix(name)) => prefix(&mut sql, name),
            Some(NameMatch::Contains(name)) => {
                // LIKE may ignore case; the exact check happens after SQL.
                let escaped = name
                    .replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_");
                sql.push(" AND a.name LIKE ")
                    .push_bind(format!("%{escaped}%"))
                    .push(" ESCAPE '\\'");
            }
        }
        if let Some(name_prefix) = &query.name_prefix {
            prefix(&mut sql, name_prefix);
        }
        let bounds = [
            ("a.startedat >= ", query.min_started_at),
            ("a.startedat <= ", query.max_started_at),
            ("a.creationtimestamp >= ", query.created_after),
            ("a.finishedat <= ", query.finished_before),
        ];
        for (condition, bound) in bounds {
            if let Some(bound) = micros(bound) {
                sql.push(" AND ").push(condition).push_bind(bound);
            }
        }
        for requirement in &query.labels.requirements {
            let (negated, values) = match &requirement.operator {
                Operator::In(values) => (false, Some(values)),
                Operator::NotIn(values) => (true, Some(values)),
                Operator::Exists | Operator::GreaterThan(_) | Operator::LessThan(_) => {
                    (false, None)
                }
                Operator::DoesNotExist => (true, None),
            };
            sql.push(if negated {
                " AND NOT EXISTS"
            } else {
                " AND EXISTS"
            });
            sql.push(" (SELECT 1 FROM argo_archived_workflows_labels l WHERE l.uid = a.uid AND l.name = ")
                .push_bind(requirement.key.clone());
            if let Some(values) = values {
                sql.push(" AND l.value IN (");
                let mut separated = sql.separated(", ");
                for value in values {
                    separated.push_bind(value.clone());
                }
                sql.push(")");
            }
            sql.push(")");
        }
        sql
    }

    /// Rows matching `query` in list order, decoded; paged in SQL when SQL is exact.
    async fn matching(&self, query: &ArchiveQuery, page_in_sql: bool) -> Result<Vec<Value>> {
        let mut sql = Self::filtered("a.workflow", query);
        sql.push(" ORDER BY (a.startedat IS NULL), a.startedat DESC, a.uid");
        if page_in_sql {
            let limit = query
                .limit
                .map_or(-1, |limit| i64::try_from(limit).unwrap_or(i64::MAX));
            sql.push(" LIMIT ")
                .push_bind(limit)
                .push(" OFFSET ")
                .push_bind(i64::try_from(query.offset).unwrap_or(i64::MAX));
        }
        let rows = sql
            .build()
            .fetch_all(&self.pool)
            .await
            .map_err(backend("listing archived workflows"))?;
        rows.iter().map(workflow_of).collect()
    }

    async fn rechecked(&self, query: &ArchiveQuery) -> Result<Vec<Value>> {
        let candidates = self.matching(query, false).await?;
        let mut kept = Vec::new();
        for workflow in candidates {
            if query.matches(&ArchivedWorkflow::from_workflow(&workflow)?) {
                kept.push(workflow);
            }
        }
        Ok(kept)
    }

    async fn strings(&self, mut sql: QueryBuilder<Sqlite>) -> Result<Vec<String>> {
        sql.build_query_scalar::<String>()
            .fetch_all(&self.pool)
            .await
            .map_err(backend("listing archived workflow labels"))
    }
}

fn workflow_of(row: &SqliteRow) -> Result<Value> {
    let text: String = row
        .try_get("workflow")
        .map_err(backend("reading an archived workflow"))?;
    serde_json::from_str(&text).map_err(Error::Serialization)
}

#[async_trait]
impl ArchiveStore for SqliteArchive {
    async fn archive(&self, workflow: &Value) -> Result<()> {
        let record = ArchivedWorkflow::from_workflow(workflow)?;
        let json = serde_json::to_string(&record.workflow).map_err(Error::Serialization)?;
        let mut transaction = self
            .pool
            .begin()
            .await
            .map_err(backend("starting to archive"))?;
        // Deleting first takes the write lock and drops the old copy's labels (cascade).
        sqlx::query("DELETE FROM argo_archived_workflows WHERE uid = ?")
            .bind(&record.uid)
            .execute(&mut *transaction)
            .await
            .map_err(backend("replacing an archived workflow"))?;
        sqlx::query(INSERT_WORKFLOW)
            .bind(&record.uid)
            .bind(&record.namespace)
            .bind(&record.name)
            .bind(&record.phase)
            .bind(micros(record.created_at))
            .bind(micros(record.started_at))
            .bind(micros(record.finished_at))
            .bind(json)
            .execute(&mut *transaction)
            .await
            .map_err(backend("archiving a workflow"))?;
        for (key, value) in &record.labels {
            sqlx::query(
                "INSERT INTO argo_archived_workflows_labels (uid, name, value) VALUES (?, ?, ?)",
            )
            .bind(&record.uid)
            .bind(key)
            .bind(value)
            .execute(&mut *transaction)
            .await
            .map_err(backend("archiving a workflow's labels"))?;
        }
        transaction
            .commit()
            .await
            .map_err(backend("committing an archived workflow"))
    }

    async fn list(&self, query: &ArchiveQuery) -> Result<Vec<Value>> {
        if Self::needs_recheck(query) {
            Ok(query.page(self.rechecked(query).await?))
        } else {
            self.matching(query, true).await
        }
    }

    async fn count(&self, query: &ArchiveQuery) -> Result<u64> {
        if Self::needs_recheck(query) {
            return Ok(self.rechecked(query).await?.len() as u64);
        }
        let count: i64 = Self::filtered("COUNT(*)", query)
            .build_query_scalar()
            .fetch_one(&self.pool)
            .await
            .map_err(backend("counting archived workflows"))?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    async fn get(&self, uid: &str) -> Result<Option<Value>> {
        let row = sqlx::query("SELECT workflow FROM argo_archived_workflows WHERE uid = ?")
            .bind(uid)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend("reading an archived workflow"))?;
        row.as_ref().map(workflow_of).transpose()
    }

    async fn get_by_name(&self, namespace: &str, name: &str) -> Result<Option<Value>> {
        let query = ArchiveQuery {
            namespace: Some(namespace.to_owned()),
            name: Some(NameMatch::Exact(name.to_owned())),
            limit: Some(1),
            ..ArchiveQuery::default()
        };
        Ok(self.matching(&query, true).await?.into_iter().next())
    }

    async fn delete(&self, uid: &str) -> Result<bool> {
        let done = sqlx::query("DELETE FROM argo_archived_workflows WHERE uid = ?")
            .bind(uid)
            .execute(&self.pool)
            .await
            .map_err(backend("deleting an archived workflow"))?;
        Ok(done.rows_affected() > 0)
    }

    async fn delete_finished_before(&self, before: Timestamp) -> Result<u64> {
        let done = sqlx::query("DELETE FROM argo_archived_workflows WHERE finishedat < ?")
            .bind(micros(Some(before)))
            .execute(&self.pool)
            .await
            .map_err(backend("deleting expired archived workflows"))?;
        Ok(done.rows_affected())
    }

    async fn label_keys(&self, namespace: Option<&str>) -> Result<Vec<String>> {
        let mut sql = QueryBuilder::new(
            "SELECT DISTINCT l.name FROM argo_archived_workflows_labels l \
             JOIN argo_archived_workflows a ON a.uid = l.uid WHERE 1 = 1",
        );
        if let Some(namespace) = namespace {
            sql.push(" AND a.namespace = ")
                .push_bind(namespace.to_owned());
        }
        sql.push(" ORDER BY l.name");
        self.strings(sql).await
    }

    async fn label_values(&self, key: &str, namespace: Option<&str>) -> Result<Vec<String>> {
        let mut sql = QueryBuilder::new(
            "SELECT DISTINCT l.value FROM argo_archived_workflows_labels l \
             JOIN argo_archived_workflows a ON a.uid = l.uid WHERE l.name = ",
        );
        sql.push_bind(key.to_owned());
        if let Some(namespace) = namespace {
            sql.push(" AND a.namespace = ")
                .push_bind(namespace.to_owned());
        }
        sql.push(" ORDER BY l.value");
        self.strings(sql).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Environment, SqliteConfig};

    async fn in_memory() -> SqliteArchive {
        let store = SqliteStore::open(&SqliteConfig::in_memory(), Environment::default())
            .await
            .expect("in-memory database");
        SqliteArchive::new(&store)
    }

    crate::archive_conformance_suite!(in_memory().await);

    #[tokio::test]
    async fn archived_workflows_survive_reopening_the_database() {
        let directory = tempfile::tempdir().expect("temporary directory");
        let config = SqliteConfig::file(directory.path().join("argo.db"));
        let store = SqliteStore::open(&config, Environment::default())
            .await
            .expect("open");
        let archive = SqliteArchive::new(&store);
        let workflow =
            serde_json::json!({"metadata": {"name": "kept", "namespace": "argo", "uid": "u-1"}});
        archive.archive(&workflow).await.expect("archived");
        store.close().await;
        let reopened = SqliteStore::open(&config, Environment::default())
            .await
            .expect("reopen");
        let archive = SqliteArchive::new(&reopened);
        assert_eq!(archive.get("u-1").await.expect("read"), Some(workflow));
    }
}
