"""The official Python SDK (`argo-workflows` from PyPI) against `argo server`.

Each test drives one part of WorkflowService through the SDK's generated API classes and
models. Argo answers `"startedAt": null` / `"finishedAt": null` for workflows that have not
started or finished, which the SDK's type check refuses (argoproj/argo-workflows#9919,
#9122); as its users do, those calls pass `_check_return_type=False`. Reads of finished
workflows keep the check, so the server's JSON must fit Argo's OpenAPI schema there.
"""

import json

import pytest
from argo_workflows import ApiClient, Configuration
from argo_workflows.api.workflow_service_api import WorkflowServiceApi
from argo_workflows.exceptions import NotFoundException
from argo_workflows.model.container import Container
from argo_workflows.model.io_argoproj_workflow_v1alpha1_template import (
    IoArgoprojWorkflowV1alpha1Template,
)
from argo_workflows.model.io_argoproj_workflow_v1alpha1_workflow import (
    IoArgoprojWorkflowV1alpha1Workflow,
)
from argo_workflows.model.io_argoproj_workflow_v1alpha1_workflow_create_request import (
    IoArgoprojWorkflowV1alpha1WorkflowCreateRequest,
)
from argo_workflows.model.io_argoproj_workflow_v1alpha1_workflow_resubmit_request import (
    IoArgoprojWorkflowV1alpha1WorkflowResubmitRequest,
)
from argo_workflows.model.io_argoproj_workflow_v1alpha1_workflow_retry_request import (
    IoArgoprojWorkflowV1alpha1WorkflowRetryRequest,
)
from argo_workflows.model.io_argoproj_workflow_v1alpha1_workflow_spec import (
    IoArgoprojWorkflowV1alpha1WorkflowSpec,
)
from argo_workflows.model.io_argoproj_workflow_v1alpha1_workflow_stop_request import (
    IoArgoprojWorkflowV1alpha1WorkflowStopRequest,
)
from argo_workflows.model.object_meta import ObjectMeta

from conftest import COMPLETED, NAMESPACE, log_lines, unique, wait_for


@pytest.fixture(scope="module")
def api(server_url):
    configuration = Configuration(host=server_url)
    configuration.verify_ssl = False
    with ApiClient(configuration) as client:
        yield WorkflowServiceApi(client)


def shell_workflow(name, script, labels=None):
    return IoArgoprojWorkflowV1alpha1Workflow(
        metadata=ObjectMeta(name=name, labels=labels or {}),
        spec=IoArgoprojWorkflowV1alpha1WorkflowSpec(
            entrypoint="main",
            templates=[
                IoArgoprojWorkflowV1alpha1Template(
                    name="main",
                    container=Container(image="busybox", command=["sh", "-c", script]),
                )
            ],
        ),
    )


def create(api, workflow):
    return api.create_workflow(
        NAMESPACE,
        IoArgoprojWorkflowV1alpha1WorkflowCreateRequest(workflow=workflow),
        _check_return_type=False,
    )


def phase_of(api, name):
    def read():
        status = api.get_workflow(NAMESPACE, name, _check_return_type=False).get("status")
        return status.get("phase") if status else None

    return read


def test_create_get_list_logs_and_delete(api):
    name = unique("sdk-hello")
    created = create(api, shell_workflow(name, "echo hello from the sdk", {"suite": "sdk"}))
    assert created["metadata"]["name"] == name
    assert created["metadata"]["namespace"] == NAMESPACE

    assert wait_for(phase_of(api, name), COMPLETED, name) == "Succeeded"
    fetched = api.get_workflow(NAMESPACE, name)
    assert fetched.status.phase == "Succeeded"
    assert fetched.status.nodes, "the finished workflow reports its nodes"

    listed = api.list_workflows(
        NAMESPACE, list_options_label_selector="suite=sdk", _check_return_type=False
    )
    assert name in [item["metadata"]["name"] for item in listed["items"]]

    response = api.workflow_logs(
        NAMESPACE, name, log_options_container="main", _preload_content=False
    )
    assert "hello from the sdk" in log_lines(response.data.decode())

    api.delete_workflow(NAMESPACE, name)
    with pytest.raises(NotFoundException):
        api.get_workflow(NAMESPACE, name)


def test_watch_streams_the_workflows_events(api):
    name = unique("sdk-watch")
    create(api, shell_workflow(name, "echo watched"))
    response = api.watch_workflows(
        NAMESPACE,
        list_options_field_selector=f"metadata.name={name}",
        _preload_content=False,
    )
    phases = []
    try:
        for raw in response.stream(amt=None):
            for line in raw.decode().splitlines():
                if not line.strip():
                    continue
                event = json.loads(line)["result"]
                assert event["object"]["metadata"]["name"] == name
                phases.append(event["object"].get("status", {}).get("phase"))
            if phases and phases[-1] in COMPLETED:
                break
    finally:
        response.release_conn()
    assert phases[-1] == "Succeeded", phases


def test_stop_ends_a_running_workflow(api):
    name = unique("sdk-stop")
    create(api, shell_workflow(name, "sleep 300"))
    wait_for(phase_of(api, name), ("Running",), name)
    api.stop_workflow(
        NAMESPACE,
        name,
        IoArgoprojWorkflowV1alpha1WorkflowStopRequest(message="enough"),
        _check_return_type=False,
    )
    assert wait_for(phase_of(api, name), COMPLETED, name) == "Failed"
    # without a node selector the message is the controller's, as in Argo
    assert api.get_workflow(NAMESPACE, name).status.message == "Stopped with strategy 'Stop'"


def test_retry_runs_a_failed_workflow_again(api):
    name = unique("sdk-retry")
    create(api, shell_workflow(name, "echo attempt; exit 1"))
    assert wait_for(phase_of(api, name), COMPLETED, name) == "Failed"
    retried = api.retry_workflow(
        NAMESPACE,
        name,
        IoArgoprojWorkflowV1alpha1WorkflowRetryRequest(),
        _check_return_type=False,
    )
    assert retried["status"]["phase"] == "Running"
    assert wait_for(phase_of(api, name), COMPLETED, name) == "Failed"


def test_resubmit_creates_a_new_workflow_that_succeeds(api):
    name = unique("sdk-resubmit")
    create(api, shell_workflow(name, "echo once more"))
    assert wait_for(phase_of(api, name), COMPLETED, name) == "Succeeded"
    resubmitted = api.resubmit_workflow(
        NAMESPACE,
        name,
        IoArgoprojWorkflowV1alpha1WorkflowResubmitRequest(),
        _check_return_type=False,
    )
    new_name = resubmitted["metadata"]["name"]
    assert new_name != name
    assert wait_for(phase_of(api, new_name), COMPLETED, new_name) == "Succeeded"
