"""Shared fixtures: the server under test (started by scripts/clients.sh) and small helpers.

ARGO_SERVER_URL names the server, e.g. http://127.0.0.1:30746. Workflows run their
containers as plain host processes (the server runs with --sandbox none), so `sh` and `echo`
come from the host.
"""

import json
import os
import time
import uuid

import pytest

NAMESPACE = "argo"
PATIENCE_SECONDS = 120
COMPLETED = ("Succeeded", "Failed", "Error")


@pytest.fixture(scope="session")
def server_url():
    url = os.environ.get("ARGO_SERVER_URL")
    if not url:
        pytest.fail("ARGO_SERVER_URL is not set: run the tests through scripts/clients.sh")
    return url.rstrip("/")


def unique(prefix):
    """A name no other test uses."""
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def wait_for(read_phase, wanted, what):
    """Polls read_phase() until it is one of `wanted`; fails after PATIENCE_SECONDS."""
    deadline = time.monotonic() + PATIENCE_SECONDS
    phase = None
    while time.monotonic() < deadline:
        phase = read_phase()
        if phase in wanted:
            return phase
        time.sleep(0.3)
    pytest.fail(f"{what}: phase {phase!r} after {PATIENCE_SECONDS}s, wanted one of {wanted}")


def log_lines(body):
    """The `content` of every `{"result": {...}}` line of a newline-delimited log response."""
    contents = []
    for line in body.splitlines():
        line = line.strip()
        if line:
            contents.append(json.loads(line)["result"].get("content", ""))
    return contents
