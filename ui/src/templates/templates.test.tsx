import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WorkflowTemplate } from '../api/resourceTypes';
import { App } from '../App';
import { navigate } from '../routing';
import { installFakeServer } from '../testing/fakeServer';

const template: WorkflowTemplate = {
  metadata: {
    name: 'greeting',
    namespace: 'argo',
    uid: 't1',
    resourceVersion: '7',
    annotations: { 'workflows.argoproj.io/description': 'Says **hello** <script>x</script>' },
  },
  spec: {
    entrypoint: 'main',
    arguments: { parameters: [{ name: 'who', value: 'world' }, { name: 'mood', enum: ['happy', 'calm'], value: 'happy' }] },
    templates: [{ name: 'main', container: { image: 'busybox' } }, { name: 'other', container: { image: 'busybox' } }],
  },
};

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  window.history.replaceState(null, '', '/');
});

describe('workflow template pages', () => {
  it('lists templates with their description as markdown and sends the name filter', async () => {
    const server = installFakeServer({ 'GET /api/v1/workflow-templates/argo': { items: [template] } });
    act(() => navigate('/workflow-templates/argo?name=gree'));
    render(<App />);
    expect(await screen.findByRole('link', { name: 'greeting' })).toBeTruthy();
    expect(screen.getByText('hello').tagName).toBe('STRONG');
    expect(document.querySelector('script')).toBeNull();
    expect(server.calls[0]?.url.searchParams.get('namePattern')).toBe('gree');
  });

  it('lists cluster templates from the cluster-scoped path', async () => {
    const server = installFakeServer({ 'GET /api/v1/cluster-workflow-templates': { items: [{ ...template, metadata: { name: 'shared' } }] } });
    act(() => navigate('/cluster-workflow-templates'));
    render(<App />);
    const link = await screen.findByRole('link', { name: 'shared' });
    expect(link.getAttribute('href')).toBe('/cluster-workflow-templates/shared');
    expect(server.calls[0]?.url.pathname).toBe('/api/v1/cluster-workflow-templates');
  });

  it('creates a template from YAML after the server lints it, then opens it', async () => {
    const server = installFakeServer({
      'GET /api/v1/workflow-templates/argo': { items: [] },
      'POST /api/v1/workflow-templates/argo/lint': (_u: URL, init: RequestInit) => JSON.parse(String(init.body)).template,
      'POST /api/v1/workflow-templates/argo': (_u: URL, init: RequestInit) => JSON.parse(String(init.body)).template,
      'GET /api/v1/workflow-templates/argo/greeting': template,
    });
    act(() => navigate('/workflow-templates/argo'));
    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: 'Create new WorkflowTemplate' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Create' }));
    await waitFor(() => expect(window.location.pathname).toBe('/workflow-templates/argo/greeting'));
    const create = server.calls.find((c) => c.method === 'POST' && c.url.pathname === '/api/v1/workflow-templates/argo');
    expect(create?.body).toMatchObject({ namespace: 'argo', template: { kind: 'WorkflowTemplate', metadata: { name: 'greeting' } } });
    expect(server.calls.findIndex((c) => c.url.pathname.endsWith('/lint'))).toBeLessThan(server.calls.indexOf(create as never));
  });

  it('shows a YAML error at its line and a lint error from the server', async () => {
    installFakeServer({
      'GET /api/v1/workflow-templates/argo': { items: [] },
      'POST /api/v1/workflow-templates/argo/lint': () => new Response('{"code":3,"message":"spec.entrypoint: template \\"main\\" not found"}', { status: 400 }),
    });
    act(() => navigate('/workflow-templates/argo?new=true'));
    render(<App />);
    const editor = await screen.findByLabelText('WorkflowTemplate manifest (YAML)');
    fireEvent.change(editor, { target: { value: 'kind: WorkflowTemplate\nspec: [\n' } });
    expect(await screen.findByText(/^Line 3:/)).toBeTruthy();
    fireEvent.change(editor, { target: { value: 'kind: WorkflowTemplate\nmetadata:\n  name: x\nspec:\n  entrypoint: main\n' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create' }));
    expect(await screen.findByText(/Line 5: spec.entrypoint/)).toBeTruthy();
  });

  it('submits from the template with the generated parameter form', async () => {
    const server = installFakeServer({
      'GET /api/v1/workflow-templates/argo/greeting': template,
      'POST /api/v1/workflows/argo/submit': { metadata: { name: 'greeting-abc12', namespace: 'argo' }, spec: {} },
    });
    act(() => navigate('/workflow-templates/argo/greeting?tab=submit'));
    render(<App />);
    const mood = await screen.findByRole('combobox', { name: 'mood' });
    expect([...(mood as HTMLSelectElement).options].map((o) => o.value)).toEqual(['happy', 'calm']);
    fireEvent.change(mood, { target: { value: 'calm' } });
    fireEvent.change(screen.getByRole('textbox', { name: 'who' }), { target: { value: 'you' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Entrypoint' }), { target: { value: 'other' } });
    fireEvent.change(screen.getByRole('textbox', { name: 'Labels' }), { target: { value: 'team=a' } });
    fireEvent.click(screen.getByRole('button', { name: 'Submit' }));
    await waitFor(() => expect(window.location.pathname).toBe('/workflows/argo/greeting-abc12'));
    expect(server.calls.find((c) => c.method === 'POST')?.body).toEqual({
      namespace: 'argo',
      resourceKind: 'WorkflowTemplate',
      resourceName: 'greeting',
      submitOptions: { entryPoint: 'other', parameters: ['who=you', 'mood=calm'], labels: 'team=a' },
    });
  });

  it('updates the template from its YAML tab and deletes it', async () => {
    const server = installFakeServer({
      'GET /api/v1/workflow-templates/argo/greeting': template,
      'POST /api/v1/workflow-templates/argo/lint': template,
      'PUT /api/v1/workflow-templates/argo/greeting': { ...template, metadata: { ...template.metadata, resourceVersion: '8' } },
      'DELETE /api/v1/workflow-templates/argo/greeting': {},
      'GET /api/v1/workflow-templates/argo': { items: [] },
    });
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    act(() => navigate('/workflow-templates/argo/greeting?tab=yaml'));
    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: 'Update' }));
    expect(await screen.findByRole('status')).toBeTruthy();
    expect(server.calls.find((c) => c.method === 'PUT')?.body).toMatchObject({ namespace: 'argo', name: 'greeting', template: { metadata: { resourceVersion: '7' } } });
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(window.location.pathname).toBe('/workflow-templates/argo'));
  });

  it('the submit page offers templates to submit from', async () => {
    installFakeServer({
      'GET /api/v1/workflow-templates/argo': { items: [template] },
      'GET /api/v1/workflow-templates/argo/greeting': template,
    });
    act(() => navigate('/submit/argo'));
    render(<App />);
    fireEvent.click(await screen.findByRole('tab', { name: 'From template' }));
    const picker = await screen.findByRole('combobox', { name: 'Template' });
    await waitFor(() => expect((picker as HTMLSelectElement).options.length).toBe(2));
    fireEvent.change(picker, { target: { value: 'greeting' } });
    expect(await screen.findByRole('combobox', { name: 'mood' })).toBeTruthy();
    expect(window.location.search).toBe('?from=template');
  });

  it('the submit page also submits from cron workflows and cluster templates', async () => {
    const server = installFakeServer({
      'GET /api/v1/cron-workflows/argo': { items: [{ metadata: { name: 'nightly' }, spec: { workflowSpec: {} } }] },
      'GET /api/v1/cron-workflows/argo/nightly': { metadata: { name: 'nightly' }, spec: { workflowSpec: { entrypoint: 'main', arguments: { parameters: [{ name: 'day', enum: ['mon', 'tue'] }] } } } },
      'GET /api/v1/cluster-workflow-templates': { items: [] },
      'GET /api/v1/workflow-templates/argo': { items: [] },
      'POST /api/v1/workflows/argo/submit': { metadata: { name: 'nightly-x', namespace: 'argo' }, spec: {} },
    });
    act(() => navigate('/submit/argo?from=template&kind=CronWorkflow&name=nightly'));
    render(<App />);
    fireEvent.change(await screen.findByRole('combobox', { name: 'day' }), { target: { value: 'tue' } });
    fireEvent.click(screen.getByRole('button', { name: 'Submit' }));
    await waitFor(() => expect(window.location.pathname).toBe('/workflows/argo/nightly-x'));
    expect(server.calls.find((c) => c.method === 'POST')?.body).toMatchObject({ resourceKind: 'CronWorkflow', resourceName: 'nightly', submitOptions: { parameters: ['day=tue'] } });
  });

  it('says when a kind has nothing to submit from', async () => {
    installFakeServer({ 'GET /api/v1/workflow-templates/argo': { items: [] }, 'GET /api/v1/cluster-workflow-templates': { items: null } });
    act(() => navigate('/submit/argo?from=template'));
    render(<App />);
    expect(await screen.findByRole('option', { name: 'none found' })).toBeTruthy();
    fireEvent.change(screen.getByRole('combobox', { name: 'Kind' }), { target: { value: 'ClusterWorkflowTemplate' } });
    expect(await screen.findByRole('option', { name: 'none found' })).toBeTruthy();
  });
});
