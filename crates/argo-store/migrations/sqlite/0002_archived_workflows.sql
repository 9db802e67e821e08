-- The workflow archive: completed workflows kept after the live object is gone, with the
-- columns lists filter and order on. Times are microseconds since the Unix epoch (NULL when
-- the workflow has none). Table and column names follow Argo's archive schema.
CREATE TABLE argo_archived_workflows (
    uid TEXT PRIMARY KEY,
    namespace TEXT NOT NULL,
    name TEXT NOT NULL,
    phase TEXT NOT NULL,
    creationtimestamp BIGINT,
    startedat BIGINT,
    finishedat BIGINT,
    workflow TEXT NOT NULL
);

CREATE INDEX argo_archived_workflows_by_namespace_and_name
    ON argo_archived_workflows (namespace, name);

CREATE INDEX argo_archived_workflows_by_start ON argo_archived_workflows (startedat);

-- Labels of archived workflows, one row each ("name" because "key" is reserved in SQL).
CREATE TABLE argo_archived_workflows_labels (
    uid TEXT NOT NULL REFERENCES argo_archived_workflows (uid) ON DELETE CASCADE,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (uid, name)
);

CREATE INDEX argo_archived_workflows_labels_by_name_and_value
    ON argo_archived_workflows_labels (name, value);
