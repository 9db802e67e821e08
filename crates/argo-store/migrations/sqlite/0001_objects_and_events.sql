-- The store-wide revision (resourceVersion) and how far the event history has been compacted.
CREATE TABLE store_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    revision BIGINT NOT NULL,
    compacted_through BIGINT NOT NULL
);

INSERT INTO store_state (id, revision, compacted_through) VALUES (1, 0, 0);

-- Every live object of every kind; cluster-scoped objects have namespace ''.
CREATE TABLE objects (
    id INTEGER PRIMARY KEY,
    api_version TEXT NOT NULL,
    kind TEXT NOT NULL,
    namespace TEXT NOT NULL,
    name TEXT NOT NULL,
    uid TEXT NOT NULL,
    resource_version BIGINT NOT NULL,
    object TEXT NOT NULL,
    UNIQUE (api_version, kind, namespace, name)
);

-- Labels, one row each, so label selectors become EXISTS sub-queries.
CREATE TABLE object_labels (
    object_id INTEGER NOT NULL REFERENCES objects (id) ON DELETE CASCADE,
    label_key TEXT NOT NULL,
    label_value TEXT NOT NULL,
    PRIMARY KEY (object_id, label_key)
);

CREATE INDEX object_labels_by_key_and_value ON object_labels (label_key, label_value);

-- The change history watches replay from; compacted from the oldest end.
CREATE TABLE events (
    resource_version BIGINT PRIMARY KEY,
    api_version TEXT NOT NULL,
    kind TEXT NOT NULL,
    namespace TEXT NOT NULL,
    name TEXT NOT NULL,
    event_type TEXT NOT NULL,
    object TEXT NOT NULL,
    previous_labels TEXT
);

CREATE INDEX events_by_kind ON events (api_version, kind, resource_version);
