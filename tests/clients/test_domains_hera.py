"""Hera (`hera`) against the other API domains of `argo server`: a WorkflowTemplate and a
CronWorkflow built with Hera's DSL and created through its WorkflowsService, a submission from
the template, suspending and resuming the cron workflow, archived workflows listed by label and
fetched by uid, and an event that a WorkflowEventBinding turns into a workflow. Hera's pydantic
models parse every response.

Template and cron calls go to the first server; archive and event calls go to the archiving
one (see archiving_server.py), which applied the event binding at start. Hera has no
EventService, so the event is posted through the service's own HTTP session to Argo's `POST /api/v1/events/{namespace}/{discriminator}`.
"""

import pytest
from hera.exceptions import NotFound
from hera.workflows import (
    Container,
    CronWorkflow,
    Parameter,
    Workflow,
    WorkflowsService,
    WorkflowTemplate,
)
from hera.workflows.models import (
    CronWorkflowResumeRequest,
    CronWorkflowSuspendRequest,
    SubmitOpts,
    WorkflowSubmitRequest,
)

from archiving_server import HERA_BINDING, archiving_server_url
from conftest import COMPLETED, NAMESPACE, log_lines, unique, wait_for

BINDING_LABEL = "workflows.argoproj.io/workflow-event-binding"
ECHO_TEXT = ["sh", "-c", "echo {{workflow.parameters.text}}"]


def service_for(url):
    return WorkflowsService(host=url, verify_ssl=False, namespace=NAMESPACE)


@pytest.fixture(scope="module")
def service(server_url):
    with service_for(server_url) as service:
        yield service


@pytest.fixture(scope="module")
def archiving_service():
    url = archiving_server_url()
    with service_for(url) as service:
        yield url, service


def echo_template(service, name, labels):
    with WorkflowTemplate(
        name=name,
        namespace=NAMESPACE,
        entrypoint="main",
        labels=labels,
        arguments=Parameter(name="text", value="the default"),
        workflows_service=service,
    ) as template:
        Container(name="main", image="busybox", command=ECHO_TEXT)
    return template


def phase_of(service, name):
    def read():
        workflow = service.get_workflow(name)
        return workflow.status.phase if workflow.status else None

    return read


def logs_of(service, url, name):
    response = service.session.get(
        f"{url}/api/v1/workflows/{NAMESPACE}/{name}/log",
        params={"logOptions.container": "main"},
        verify=False,
    )
    response.raise_for_status()
    return log_lines(response.text)


def test_a_hera_template_is_created_and_a_submission_from_it_succeeds(service, server_url):
    name = unique("hera-template")
    created = echo_template(service, name, {"suite": "hera-domains"}).create()
    assert created.metadata.name == name
    assert service.get_workflow_template(name).spec.entrypoint == "main"
    listed = service.list_workflow_templates(label_selector="suite=hera-domains")
    assert name in [item.metadata.name for item in listed.items]

    submitted = service.submit_workflow(
        WorkflowSubmitRequest(
            resource_kind="WorkflowTemplate",
            resource_name=name,
            submit_options=SubmitOpts(parameters=["text=submitted by hera"]),
        )
    )
    workflow = submitted.metadata.name
    assert submitted.metadata.labels["workflows.argoproj.io/workflow-template"] == name
    assert wait_for(phase_of(service, workflow), COMPLETED, workflow) == "Succeeded"
    assert "submitted by hera" in logs_of(service, server_url, workflow)

    service.delete_workflow_template(name)
    with pytest.raises(NotFound):
        service.get_workflow_template(name)


def test_a_hera_cron_workflow_is_suspended_and_resumed(service):
    name = unique("hera-cron")
    with CronWorkflow(
        name=name,
        namespace=NAMESPACE,
        # once a year: the test never waits for a run
        schedules=["0 0 1 1 *"],
        timezone="Europe/Paris",
        entrypoint="main",
        workflows_service=service,
    ) as cron:
        Container(name="main", image="busybox", command=["sh", "-c", "echo from cron"])
    created = cron.create()
    assert created.metadata.name == name
    assert created.spec.schedules == ["0 0 1 1 *"]
    assert not created.spec.suspend

    suspended = service.suspend_cron_workflow(name, CronWorkflowSuspendRequest())
    assert suspended.spec.suspend is True
    assert service.get_cron_workflow(name).spec.suspend is True

    resumed = service.resume_cron_workflow(name, CronWorkflowResumeRequest())
    assert not resumed.spec.suspend
    assert not service.get_cron_workflow(name).spec.suspend

    service.delete_cron_workflow(name)
    with pytest.raises(NotFound):
        service.get_cron_workflow(name)


def test_hera_lists_archived_workflows_by_label_and_fetches_one_by_uid(archiving_service):
    _, service = archiving_service
    run = unique("run")
    names = {}
    for keep in ("yes", "no"):
        name = unique(f"hera-archived-{keep}")
        with Workflow(
            name=name,
            namespace=NAMESPACE,
            entrypoint="main",
            labels={"run": run, "keep": keep},
            workflows_service=service,
        ) as workflow:
            Container(name="main", image="busybox", command=["sh", "-c", f"echo {keep}"])
        assert workflow.create(wait=True, poll_interval=1).status.phase == "Succeeded"
        names[keep] = name

    everything = service.list_archived_workflows(label_selector=f"run={run}", namespace=NAMESPACE)
    assert sorted(item.metadata.name for item in everything.items) == sorted(names.values())
    kept = service.list_archived_workflows(
        label_selector=f"run={run},keep in (yes)", namespace=NAMESPACE
    )
    assert [item.metadata.name for item in kept.items] == [names["yes"]]
    by_prefix = service.list_archived_workflows(
        label_selector=f"run={run}", name_prefix="hera-archived-no", namespace=NAMESPACE
    )
    assert [item.metadata.name for item in by_prefix.items] == [names["no"]]

    fetched = service.get_archived_workflow(kept.items[0].metadata.uid)
    assert fetched.metadata.name == names["yes"]
    assert fetched.status.phase == "Succeeded"

    assert "keep" in service.list_archived_workflow_label_keys(namespace=NAMESPACE).items
    values = service.list_archived_workflow_label_values(label_selector="keep", namespace=NAMESPACE)
    assert {"yes", "no"} <= set(values.items)


def test_an_event_posted_beside_hera_runs_the_bound_hera_template(archiving_service):
    url, service = archiving_service
    # the binding comes from manifests/event-bindings.yaml; it names this template
    binding, discriminator = HERA_BINDING
    template = binding
    echo_template(service, template, {"suite": "hera-events"}).create()

    response = service.session.post(
        f"{url}/api/v1/events/{NAMESPACE}/{discriminator}",
        json={"greeting": "hello hera, from an event"},
        verify=False,
    )
    assert response.status_code == 200, response.text
    started = service.list_workflows(label_selector=f"{BINDING_LABEL}={binding}")
    names = [item.metadata.name for item in started.items]
    assert len(names) == 1, names
    assert wait_for(phase_of(service, names[0]), COMPLETED, names[0]) == "Succeeded"
    assert "hello hera, from an event" in logs_of(service, url, names[0])
