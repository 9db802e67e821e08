"""Hera (`hera` from PyPI) against `argo server`: workflows built with Hera's DSL are
created, waited on, listed, steered and deleted through its WorkflowsService, whose pydantic
models parse every response.

Hera has no watch call, and its `workflow_logs` parses the newline-delimited stream as one
JSON object (so against Argo it yields an empty entry); logs are read here through the same
service's HTTP session, the way Hera users do.
"""

import pytest
from hera.exceptions import NotFound
from hera.workflows import Container, Workflow, WorkflowsService
from hera.workflows.models import (
    WorkflowResubmitRequest,
    WorkflowRetryRequest,
    WorkflowStopRequest,
)

from conftest import COMPLETED, NAMESPACE, log_lines, unique, wait_for


@pytest.fixture(scope="module")
def service(server_url):
    with WorkflowsService(host=server_url, verify_ssl=False, namespace=NAMESPACE) as service:
        yield service


def shell_workflow(service, name, script, labels=None):
    with Workflow(
        name=name,
        namespace=NAMESPACE,
        entrypoint="main",
        labels=labels or {},
        workflows_service=service,
    ) as workflow:
        Container(name="main", image="busybox", command=["sh", "-c", script])
    return workflow


def phase_of(service, name):
    def read():
        workflow = service.get_workflow(name)
        return workflow.status.phase if workflow.status else None

    return read


def test_a_hera_workflow_runs_to_succeeded_and_is_listed_logged_and_deleted(service, server_url):
    name = unique("hera-hello")
    workflow = shell_workflow(service, name, "echo hello from hera", {"suite": "hera"})
    finished = workflow.create(wait=True, poll_interval=1)
    assert finished.metadata.name == name
    assert finished.status.phase == "Succeeded"

    listed = service.list_workflows(label_selector="suite=hera")
    assert name in [item.metadata.name for item in listed.items]

    entry = service.workflow_logs(name, container="main", grep="hello from hera")
    assert entry is not None
    response = service.session.get(
        f"{server_url}/api/v1/workflows/{NAMESPACE}/{name}/log",
        params={"logOptions.container": "main"},
        verify=False,
    )
    response.raise_for_status()
    assert "hello from hera" in log_lines(response.text)

    service.delete_workflow(name)
    with pytest.raises(NotFound):
        service.get_workflow(name)


def test_stop_retry_and_resubmit_through_hera(service):
    stopped = unique("hera-stop")
    shell_workflow(service, stopped, "sleep 300").create()
    wait_for(phase_of(service, stopped), ("Running",), stopped)
    service.stop_workflow(stopped, WorkflowStopRequest(message="stopped by hera"))
    assert wait_for(phase_of(service, stopped), COMPLETED, stopped) == "Failed"

    failing = unique("hera-retry")
    shell_workflow(service, failing, "exit 2").create()
    assert wait_for(phase_of(service, failing), COMPLETED, failing) == "Failed"
    retried = service.retry_workflow(failing, WorkflowRetryRequest())
    assert retried.status.phase == "Running"
    assert wait_for(phase_of(service, failing), COMPLETED, failing) == "Failed"

    original = unique("hera-resubmit")
    shell_workflow(service, original, "echo again").create(wait=True, poll_interval=1)
    resubmitted = service.resubmit_workflow(original, WorkflowResubmitRequest())
    assert resubmitted.metadata.name != original
    name = resubmitted.metadata.name
    assert wait_for(phase_of(service, name), COMPLETED, name) == "Succeeded"


def test_server_info_and_version_parse_as_hera_models(service):
    version = service.get_version()
    assert version.version
    info = service.get_info()
    assert info is not None
