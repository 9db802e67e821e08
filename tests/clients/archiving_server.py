"""The second server scripts/clients.sh starts: its controller archives completed workflows
(`persistence: {archive: true}`), so the archive and event tests run there while the first
server keeps deleted workflows gone.

Argo's API has no call that creates a WorkflowEventBinding (with Kubernetes it is
`kubectl apply`). This server is started with `--manifests tests/clients/manifests`, which
applies the bindings in manifests/event-bindings.yaml at start; the tests create the
templates those bindings name and post the events their selectors match.
"""

import os

import pytest

# the bindings in manifests/event-bindings.yaml: (binding and template name, discriminator)
HERA_BINDING = ("hera-on-event", "hera-hook")
SDK_BINDING = ("sdk-on-event", "sdk-hook")


def archiving_server_url():
    url = os.environ.get("ARGO_ARCHIVE_SERVER_URL")
    if not url:
        pytest.fail("ARGO_ARCHIVE_SERVER_URL is not set: run the tests through scripts/clients.sh")
    return url.rstrip("/")
