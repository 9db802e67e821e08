"""The official Python SDK (`argo-workflows`) against the other API domains of `argo server`:
WorkflowTemplateService (create, get, list, then submit from it), CronWorkflowService (create,
suspend, resume), ArchivedWorkflowService (list with label selectors, get by uid, label keys
and values) and EventService (an event that a WorkflowEventBinding turns into a workflow).

A CronWorkflow's status always carries `"active": null` (and other nulls), as Argo's Go
structs write it, which the SDK's type check refuses like the workflow nulls below; cron calls
therefore pass `_check_return_type=False` and read the answer as a dict.

Template and cron calls go to the first server; archive and event calls go to the archiving
one (see archiving_server.py). As in test_argo_workflows_sdk.py, reads of workflows that have
not finished pass `_check_return_type=False` (Argo answers `"startedAt": null`).
"""

import pytest
from argo_workflows import ApiClient, Configuration
from argo_workflows.api.archived_workflow_service_api import ArchivedWorkflowServiceApi
from argo_workflows.api.cron_workflow_service_api import CronWorkflowServiceApi
from argo_workflows.api.event_service_api import EventServiceApi
from argo_workflows.api.workflow_service_api import WorkflowServiceApi
from argo_workflows.api.workflow_template_service_api import WorkflowTemplateServiceApi
from argo_workflows.exceptions import NotFoundException
from argo_workflows.model.container import Container
from argo_workflows.model.io_argoproj_workflow_v1alpha1_arguments import (
    IoArgoprojWorkflowV1alpha1Arguments,
)
from argo_workflows.model.io_argoproj_workflow_v1alpha1_create_cron_workflow_request import (
    IoArgoprojWorkflowV1alpha1CreateCronWorkflowRequest,
)
from argo_workflows.model.io_argoproj_workflow_v1alpha1_cron_workflow import (
    IoArgoprojWorkflowV1alpha1CronWorkflow,
)
from argo_workflows.model.io_argoproj_workflow_v1alpha1_cron_workflow_resume_request import (
    IoArgoprojWorkflowV1alpha1CronWorkflowResumeRequest,
)
from argo_workflows.model.io_argoproj_workflow_v1alpha1_cron_workflow_spec import (
    IoArgoprojWorkflowV1alpha1CronWorkflowSpec,
)
from argo_workflows.model.io_argoproj_workflow_v1alpha1_cron_workflow_suspend_request import (
    IoArgoprojWorkflowV1alpha1CronWorkflowSuspendRequest,
)
from argo_workflows.model.io_argoproj_workflow_v1alpha1_parameter import (
    IoArgoprojWorkflowV1alpha1Parameter,
)
from argo_workflows.model.io_argoproj_workflow_v1alpha1_submit_opts import (
    IoArgoprojWorkflowV1alpha1SubmitOpts,
)
from argo_workflows.model.io_argoproj_workflow_v1alpha1_template import (
    IoArgoprojWorkflowV1alpha1Template,
)
from argo_workflows.model.io_argoproj_workflow_v1alpha1_workflow import (
    IoArgoprojWorkflowV1alpha1Workflow,
)
from argo_workflows.model.io_argoproj_workflow_v1alpha1_workflow_create_request import (
    IoArgoprojWorkflowV1alpha1WorkflowCreateRequest,
)
from argo_workflows.model.io_argoproj_workflow_v1alpha1_workflow_spec import (
    IoArgoprojWorkflowV1alpha1WorkflowSpec,
)
from argo_workflows.model.io_argoproj_workflow_v1alpha1_workflow_submit_request import (
    IoArgoprojWorkflowV1alpha1WorkflowSubmitRequest,
)
from argo_workflows.model.io_argoproj_workflow_v1alpha1_workflow_template import (
    IoArgoprojWorkflowV1alpha1WorkflowTemplate,
)
from argo_workflows.model.io_argoproj_workflow_v1alpha1_workflow_template_create_request import (
    IoArgoprojWorkflowV1alpha1WorkflowTemplateCreateRequest,
)
from argo_workflows.model.object_meta import ObjectMeta

from archiving_server import SDK_BINDING, archiving_server_url
from conftest import COMPLETED, NAMESPACE, log_lines, unique, wait_for

BINDING_LABEL = "workflows.argoproj.io/workflow-event-binding"


def client_for(url):
    configuration = Configuration(host=url)
    configuration.verify_ssl = False
    return ApiClient(configuration)


@pytest.fixture(scope="module")
def client(server_url):
    with client_for(server_url) as client:
        yield client


@pytest.fixture(scope="module")
def archiving_client():
    with client_for(archiving_server_url()) as client:
        yield client


def echo_spec(text_parameter=None, script="echo {{workflow.parameters.text}}"):
    arguments = None
    if text_parameter is not None:
        arguments = IoArgoprojWorkflowV1alpha1Arguments(
            parameters=[IoArgoprojWorkflowV1alpha1Parameter(name="text", value=text_parameter)]
        )
    spec = IoArgoprojWorkflowV1alpha1WorkflowSpec(
        entrypoint="main",
        templates=[
            IoArgoprojWorkflowV1alpha1Template(
                name="main",
                container=Container(image="busybox", command=["sh", "-c", script]),
            )
        ],
    )
    if arguments is not None:
        spec.arguments = arguments
    return spec


def create_template(client, name, labels):
    return WorkflowTemplateServiceApi(client).create_workflow_template(
        NAMESPACE,
        IoArgoprojWorkflowV1alpha1WorkflowTemplateCreateRequest(
            template=IoArgoprojWorkflowV1alpha1WorkflowTemplate(
                metadata=ObjectMeta(name=name, labels=labels),
                spec=echo_spec(text_parameter="the default"),
            )
        ),
    )


def phase_of(workflows, name):
    def read():
        status = workflows.get_workflow(NAMESPACE, name, _check_return_type=False).get("status")
        return status.get("phase") if status else None

    return read


def logs_of(workflows, name):
    response = workflows.workflow_logs(
        NAMESPACE, name, log_options_container="main", _preload_content=False
    )
    return log_lines(response.data.decode())


def test_a_workflow_submitted_from_a_template_succeeds(client):
    templates = WorkflowTemplateServiceApi(client)
    workflows = WorkflowServiceApi(client)
    name = unique("sdk-template")
    created = create_template(client, name, {"suite": "sdk-domains"})
    assert created.metadata.name == name
    assert templates.get_workflow_template(NAMESPACE, name).spec.entrypoint == "main"
    listed = templates.list_workflow_templates(
        NAMESPACE, list_options_label_selector="suite=sdk-domains"
    )
    assert name in [item.metadata.name for item in listed.items]

    submitted = workflows.submit_workflow(
        NAMESPACE,
        IoArgoprojWorkflowV1alpha1WorkflowSubmitRequest(
            resource_kind="WorkflowTemplate",
            resource_name=name,
            submit_options=IoArgoprojWorkflowV1alpha1SubmitOpts(
                parameters=["text=submitted by the sdk"], labels="origin=sdk-submit"
            ),
        ),
        _check_return_type=False,
    )
    workflow = submitted["metadata"]["name"]
    assert submitted["metadata"]["labels"]["origin"] == "sdk-submit"
    assert submitted["metadata"]["labels"]["workflows.argoproj.io/workflow-template"] == name
    assert wait_for(phase_of(workflows, workflow), COMPLETED, workflow) == "Succeeded"
    assert "submitted by the sdk" in logs_of(workflows, workflow)

    templates.delete_workflow_template(NAMESPACE, name)
    with pytest.raises(NotFoundException):
        templates.get_workflow_template(NAMESPACE, name)


def test_a_cron_workflow_is_suspended_and_resumed(client):
    crons = CronWorkflowServiceApi(client)
    name = unique("sdk-cron")
    created = crons.create_cron_workflow(
        NAMESPACE,
        IoArgoprojWorkflowV1alpha1CreateCronWorkflowRequest(
            cron_workflow=IoArgoprojWorkflowV1alpha1CronWorkflow(
                metadata=ObjectMeta(name=name),
                spec=IoArgoprojWorkflowV1alpha1CronWorkflowSpec(
                    # once a year: the test never waits for a run. `schedules`, because
                    # Argo 4 dropped the singular `schedule` this SDK still offers
                    schedules=["0 0 1 1 *"],
                    workflow_spec=echo_spec(script="echo from cron"),
                ),
            )
        ),
        _check_return_type=False,
    )
    assert created["metadata"]["name"] == name
    assert created["spec"]["schedules"] == ["0 0 1 1 *"]
    assert not created["spec"].get("suspend", False)

    def suspend_flag():
        cron = crons.get_cron_workflow(NAMESPACE, name, _check_return_type=False)
        return cron["spec"].get("suspend", False)

    suspended = crons.suspend_cron_workflow(
        NAMESPACE,
        name,
        IoArgoprojWorkflowV1alpha1CronWorkflowSuspendRequest(),
        _check_return_type=False,
    )
    assert suspended["spec"]["suspend"] is True
    assert suspend_flag() is True

    resumed = crons.resume_cron_workflow(
        NAMESPACE,
        name,
        IoArgoprojWorkflowV1alpha1CronWorkflowResumeRequest(),
        _check_return_type=False,
    )
    assert not resumed["spec"].get("suspend", False)
    assert not suspend_flag()

    crons.delete_cron_workflow(NAMESPACE, name)
    with pytest.raises(NotFoundException):
        crons.get_cron_workflow(NAMESPACE, name, _check_return_type=False)


def test_archived_workflows_are_listed_by_label_and_fetched_by_uid(archiving_client):
    workflows = WorkflowServiceApi(archiving_client)
    archive = ArchivedWorkflowServiceApi(archiving_client)
    run = unique("run")
    names = {}
    for keep in ("yes", "no"):
        name = unique(f"sdk-archived-{keep}")
        workflows.create_workflow(
            NAMESPACE,
            IoArgoprojWorkflowV1alpha1WorkflowCreateRequest(
                workflow=IoArgoprojWorkflowV1alpha1Workflow(
                    metadata=ObjectMeta(name=name, labels={"run": run, "keep": keep}),
                    spec=echo_spec(script=f"echo archived {keep}"),
                )
            ),
            _check_return_type=False,
        )
        names[keep] = name
    for name in names.values():
        assert wait_for(phase_of(workflows, name), COMPLETED, name) == "Succeeded"

    everything = archive.list_archived_workflows(
        namespace=NAMESPACE, list_options_label_selector=f"run={run}"
    )
    assert sorted(item.metadata.name for item in everything.items) == sorted(names.values())
    kept = archive.list_archived_workflows(
        namespace=NAMESPACE, list_options_label_selector=f"run={run},keep=yes"
    )
    assert [item.metadata.name for item in kept.items] == [names["yes"]]
    not_kept = archive.list_archived_workflows(
        namespace=NAMESPACE, list_options_label_selector=f"run={run},keep!=yes"
    )
    assert [item.metadata.name for item in not_kept.items] == [names["no"]]

    uid = kept.items[0].metadata.uid
    fetched = archive.get_archived_workflow(uid)
    assert fetched.metadata.name == names["yes"]
    assert fetched.status.phase == "Succeeded"

    assert "run" in archive.list_archived_workflow_label_keys(namespace=NAMESPACE).items
    values = archive.list_archived_workflow_label_values(
        namespace=NAMESPACE, list_options_label_selector="run"
    )
    assert run in values.items


def test_an_event_runs_the_bound_template(archiving_client):
    workflows = WorkflowServiceApi(archiving_client)
    events = EventServiceApi(archiving_client)
    # the binding comes from manifests/event-bindings.yaml; it names this template
    binding, discriminator = SDK_BINDING
    template = binding
    create_template(archiving_client, template, {"suite": "sdk-events"})
    bindings = events.list_workflow_event_bindings(NAMESPACE, _check_return_type=False)
    assert binding in [item["metadata"]["name"] for item in bindings["items"]]

    # an event the selector refuses starts nothing
    events.receive_event(NAMESPACE, discriminator, {"kind": "farewell", "message": "no"})
    events.receive_event(
        NAMESPACE, discriminator, {"kind": "greeting", "message": "hello from an event"}
    )
    started = workflows.list_workflows(
        NAMESPACE,
        list_options_label_selector=f"{BINDING_LABEL}={binding}",
        _check_return_type=False,
    )
    names = [item["metadata"]["name"] for item in started["items"]]
    assert len(names) == 1, names
    assert wait_for(phase_of(workflows, names[0]), COMPLETED, names[0]) == "Succeeded"
    assert "hello from an event" in logs_of(workflows, names[0])
