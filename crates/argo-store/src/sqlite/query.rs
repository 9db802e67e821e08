//! The SQL the SQLite backend runs. Statements are written in the portable subset (no `INSERT OR
//! REPLACE`, no `json_*`, `RETURNING` as PostgreSQL has it) and dynamic ones are built with
//! bind parameters ([`Sql`]), so the PostgreSQL backend can port this file nearly verbatim.
//! Label selectors become sub-queries on `object_labels`; requirements SQL cannot express
//! portably (`>`/`<`) are left to the caller's in-memory filter. A required label value (`=`,
//! `in`) is an `o.id IN (...)` list the label index answers, and without a page limit the query
//! is driven from it, so selecting the few task results of one workflow among thousands costs
//! the matches, not a scan of the kind.

use rusqlite::types::Value;

use crate::pagination::ContinueToken;
use crate::selector::{Field, Operator};
use crate::{ResourceKind, Selectors};

pub const BUMP_REVISION: &str =
    "UPDATE store_state SET revision = revision + 1 WHERE id = 1 RETURNING revision";

pub const CURRENT_REVISION: &str =
    "SELECT revision, compacted_through FROM store_state WHERE id = 1";

pub const SELECT_OBJECT_ID: &str = "SELECT id FROM objects \
     WHERE api_version = ? AND kind = ? AND namespace = ? AND name = ?";

pub const SELECT_OBJECT_ROW: &str = "SELECT id, namespace, name, resource_version, object \
     FROM objects WHERE api_version = ? AND kind = ? AND namespace = ? AND name = ?";

pub const INSERT_OBJECT: &str = "INSERT INTO objects \
     (api_version, kind, namespace, name, uid, resource_version, object) \
     VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id";

pub const UPDATE_OBJECT: &str = "UPDATE objects SET resource_version = ?, object = ? WHERE id = ?";

pub const DELETE_OBJECT: &str = "DELETE FROM objects WHERE id = ?";

pub const DELETE_LABELS: &str = "DELETE FROM object_labels WHERE object_id = ?";

pub const INSERT_LABEL: &str =
    "INSERT INTO object_labels (object_id, label_key, label_value) VALUES (?, ?, ?)";

pub const INSERT_EVENT: &str = "INSERT INTO events \
     (resource_version, api_version, kind, namespace, name, event_type, object, previous_labels) \
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

pub const SELECT_EVENTS_AFTER: &str = "SELECT resource_version, api_version, kind, event_type, \
     object, previous_labels FROM events WHERE api_version = ? AND kind = ? AND resource_version > ? \
     ORDER BY resource_version";

/// Events of every kind in (after, before): changes other processes committed.
pub const SELECT_EVENTS_BETWEEN: &str = "SELECT resource_version, api_version, kind, event_type, \
     object, previous_labels FROM events WHERE resource_version > ? AND resource_version < ? \
     ORDER BY resource_version";

pub const DELETE_EVENTS_THROUGH: &str = "DELETE FROM events WHERE resource_version <= ?";

pub const RAISE_COMPACTED_THROUGH: &str =
    "UPDATE store_state SET compacted_through = ? WHERE id = 1 AND compacted_through < ?";

/// A list query: the namespace, name, revision and object of matching rows in (namespace,
/// name) order.
pub struct ListQuery<'a> {
    pub kind: &'a ResourceKind,
    pub namespace: Option<&'a str>,
    pub selectors: &'a Selectors,
    pub after: Option<&'a ContinueToken>,
    /// Applied in SQL only when the selectors are fully expressed in SQL.
    pub limit: Option<usize>,
}

impl ListQuery<'_> {
    /// Whether every selector requirement became SQL (so `LIMIT` may be applied in SQL).
    pub fn fully_in_sql(&self) -> bool {
        self.selectors
            .labels
            .requirements
            .iter()
            .all(|requirement| {
                !matches!(
                    requirement.operator,
                    Operator::GreaterThan(_) | Operator::LessThan(_)
                )
            })
    }

    pub fn build(&self) -> Sql {
        let mut sql = Sql::new(
            "SELECT o.id, o.namespace, o.name, o.resource_version, o.object FROM objects o WHERE ",
        );
        // `+` keeps SQLite from scanning the kind's (namespace, name) index when a required
        // label value can drive the query instead. With a limit the ordered scan stays, as it
        // can stop after one page.
        let label_driven = self.limit.is_none()
            && self
                .selectors
                .labels
                .requirements
                .iter()
                .any(|requirement| matches!(requirement.operator, Operator::In(_)));
        sql.push(if label_driven {
            "+o.api_version = "
        } else {
            "o.api_version = "
        });
        sql.push_bind(self.kind.api_version.to_string());
        sql.push(" AND o.kind = ")
            .push_bind(self.kind.kind.to_string());
        if let Some(namespace) = self.namespace {
            sql.push(" AND o.namespace = ")
                .push_bind(namespace.to_owned());
        }
        if let Some(after) = self.after {
            sql.push(" AND (o.namespace > ")
                .push_bind(after.namespace.clone());
            sql.push(" OR (o.namespace = ")
                .push_bind(after.namespace.clone());
            sql.push(" AND o.name > ")
                .push_bind(after.name.clone())
                .push("))");
        }
        for requirement in &self.selectors.fields.requirements {
            let column = match requirement.field {
                Field::Name => "o.name",
                Field::Namespace => "o.namespace",
            };
            let operator = if requirement.equals { "=" } else { "<>" };
            sql.push(format_args!(" AND {column} {operator} "))
                .push_bind(requirement.value.clone());
        }
        for requirement in &self.selectors.labels.requirements {
            let (negated, values) = match &requirement.operator {
                Operator::In(values) => (false, Some(values)),
                Operator::NotIn(values) => (true, Some(values)),
                Operator::Exists | Operator::GreaterThan(_) | Operator::LessThan(_) => {
                    (false, None)
                }
                Operator::DoesNotExist => (true, None),
            };
            if let (false, Some(values)) = (negated, values) {
                sql.push(
                    " AND o.id IN (SELECT l.object_id FROM object_labels l WHERE l.label_key = ",
                )
                .push_bind(requirement.key.clone());
                push_values(&mut sql, values);
                sql.push(")");
                continue;
            }
            sql.push(if negated {
                " AND NOT EXISTS"
            } else {
                " AND EXISTS"
            });
            sql.push(" (SELECT 1 FROM object_labels l WHERE l.object_id = o.id AND l.label_key = ")
                .push_bind(requirement.key.clone());
            if let Some(values) = values {
                push_values(&mut sql, values);
            }
            sql.push(")");
        }
        sql.push(" ORDER BY o.namespace, o.name");
        if let Some(limit) = self.limit.filter(|_| self.fully_in_sql()) {
            // One more than the page, to learn whether another page follows.
            sql.push(" LIMIT ")
                .push_bind(i64::try_from(limit).unwrap_or(i64::MAX).saturating_add(1));
        }
        sql
    }
}

/// ` AND l.label_value IN (<values>)`, each value a bind parameter.
fn push_values<'v>(sql: &mut Sql, values: impl IntoIterator<Item = &'v String>) {
    sql.push(" AND l.label_value IN (");
    for (index, value) in values.into_iter().enumerate() {
        if index > 0 {
            sql.push(", ");
        }
        sql.push_bind(value.clone());
    }
    sql.push(")");
}

/// A statement being built: its text, with a `?` for each bind parameter, and the parameters
/// in order.
#[derive(Debug, Default)]
pub struct Sql {
    pub text: String,
    pub parameters: Vec<Value>,
}

impl Sql {
    fn new(start: &str) -> Self {
        Self {
            text: start.to_owned(),
            parameters: Vec::new(),
        }
    }

    fn push(&mut self, text: impl std::fmt::Display) -> &mut Self {
        use std::fmt::Write as _;
        // Writing to a String cannot fail.
        let _ = write!(self.text, "{text}");
        self
    }

    fn push_bind(&mut self, value: impl Into<Value>) -> &mut Self {
        self.text.push('?');
        self.parameters.push(value.into());
        self
    }
}
