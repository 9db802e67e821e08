"""The second server scripts/clients.sh starts: its controller archives completed workflows
(`persistence: {archive: true}`), so the archive and event tests run there while the first
server keeps deleted workflows gone.

Argo's API has no call that creates a WorkflowEventBinding: with Kubernetes it is
`kubectl apply`. Here the equivalent is a write into the server's store, which is built to be
shared between processes (one SQLite file in WAL mode, changes polled from its history);
`apply_binding` makes that write the way the store itself creates an object: one write
transaction takes the next store revision, inserts the object, its labels and an ADDED event.
"""

import json
import os
import sqlite3
import uuid
from datetime import datetime, timezone

import pytest

API_VERSION = "argoproj.io/v1alpha1"


def archiving_server_url():
    url = os.environ.get("ARGO_ARCHIVE_SERVER_URL")
    if not url:
        pytest.fail("ARGO_ARCHIVE_SERVER_URL is not set: run the tests through scripts/clients.sh")
    return url.rstrip("/")


def archiving_server_store():
    path = os.environ.get("ARGO_ARCHIVE_SERVER_STORE")
    if not path or not os.path.exists(path):
        pytest.fail(f"the archiving server's store {path!r} is missing: run scripts/clients.sh")
    return path


def event_binding(name, namespace, selector, template, parameters):
    """A WorkflowEventBinding submitting `template` when `selector` matches; `parameters` maps
    each template parameter to the event expression (`valueFrom.event`) that fills it."""
    return {
        "apiVersion": API_VERSION,
        "kind": "WorkflowEventBinding",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {
            "event": {"selector": selector},
            "submit": {
                "workflowTemplateRef": {"name": template},
                "arguments": {
                    "parameters": [
                        {"name": key, "valueFrom": {"event": expression}}
                        for key, expression in parameters.items()
                    ]
                },
            },
        },
    }


def apply_binding(binding):
    """Creates `binding` in the archiving server's store, as `kubectl create` would."""
    metadata = binding["metadata"]
    connection = sqlite3.connect(archiving_server_store(), timeout=10, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        (revision,) = connection.execute(
            "UPDATE store_state SET revision = revision + 1 WHERE id = 1 RETURNING revision"
        ).fetchone()
        stored = json.loads(json.dumps(binding))
        stored["metadata"].update(
            uid=str(uuid.uuid4()),
            resourceVersion=str(revision),
            generation=1,
            creationTimestamp=datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        )
        text = json.dumps(stored)
        (object_id,) = connection.execute(
            "INSERT INTO objects (api_version, kind, namespace, name, uid, resource_version, object)"
            " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (
                API_VERSION,
                binding["kind"],
                metadata["namespace"],
                metadata["name"],
                stored["metadata"]["uid"],
                revision,
                text,
            ),
        ).fetchone()
        for key, value in metadata.get("labels", {}).items():
            connection.execute(
                "INSERT INTO object_labels (object_id, label_key, label_value) VALUES (?, ?, ?)",
                (object_id, key, value),
            )
        connection.execute(
            "INSERT INTO events (resource_version, api_version, kind, namespace, name,"
            " event_type, object, previous_labels) VALUES (?, ?, ?, ?, ?, 'ADDED', ?, NULL)",
            (revision, API_VERSION, binding["kind"], metadata["namespace"], metadata["name"], text),
        )
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
    finally:
        connection.close()
