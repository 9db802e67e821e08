import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Workflow } from './api/types';
import { App } from './App';
import { GraphCanvas } from './graph/GraphCanvas';
import { layoutGraph } from './graph/layout';
import { workflowGraph } from './graph/model';
import { NodePanel } from './details/NodePanel';
import { Summary } from './details/Summary';
import { navigate } from './routing';
import { installFakeServer } from './testing/fakeServer';

const workflow: Workflow = {
  metadata: { name: 'hello', namespace: 'argo', uid: 'u1', creationTimestamp: '2024-01-01T00:00:00Z', labels: { team: 'a' } },
  spec: {
    entrypoint: 'main',
    arguments: { parameters: [{ name: 'message', value: 'hi' }] },
    templates: [{ name: 'main', container: { image: 'busybox', command: ['echo'] } }, { name: 'approve', inputs: { parameters: [{ name: 'ok', enum: ['yes', 'no'] }] } }],
  },
  status: {
    phase: 'Running',
    startedAt: '2024-01-01T00:00:00Z',
    nodes: {
      hello: { id: 'hello', name: 'hello', type: 'Steps', phase: 'Running', children: ['p1', 's1'] },
      p1: { id: 'p1', name: 'hello[0].main', displayName: 'main', type: 'Pod', templateName: 'main', phase: 'Succeeded', outputs: { parameters: [{ name: 'out', value: '42' }] } },
      s1: { id: 's1', name: 'hello[1].approve', displayName: 'approve', type: 'Suspend', templateName: 'approve', phase: 'Running' },
    },
  },
};

afterEach(() => {
  vi.unstubAllGlobals();
  window.history.replaceState(null, '', '/');
});

describe('pages', () => {
  it('the workflows list shows live and archived rows with info columns', async () => {
    installFakeServer({
      'GET /api/v1/workflows/argo': { items: [workflow], metadata: { continue: 'next' } },
      'GET /api/v1/archived-workflows': { items: [{ ...workflow, metadata: { ...workflow.metadata, name: 'old', uid: 'u0' } }] },
      'GET /api/v1/info': { columns: [{ name: 'Team', type: 'label', key: 'team' }] },
    });
    act(() => navigate('/workflows/argo'));
    render(<App />);
    expect(await screen.findByRole('link', { name: 'hello' })).toBeTruthy();
    expect(await screen.findByText('archived')).toBeTruthy();
    expect(await screen.findByRole('columnheader', { name: 'Team' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Next' })).toHaveProperty('disabled', false);
  });

  it('phase filters go into the URL and the label selector', async () => {
    const server = installFakeServer({ 'GET /api/v1/workflows/argo': { items: [] }, 'GET /api/v1/archived-workflows': { items: [] }, 'GET /api/v1/info': {} });
    act(() => navigate('/workflows/argo'));
    render(<App />);
    fireEvent.click(await screen.findByRole('checkbox', { name: 'Failed' }));
    await waitFor(() => expect(window.location.search).toBe('?phase=Failed'));
    await waitFor(() =>
      expect(server.calls.some((c) => c.url.searchParams.get('listOptions.labelSelector') === 'workflows.argoproj.io/phase in (Failed)')).toBe(true),
    );
  });

  it('an answer for a filter the user has since changed does not replace the current rows', async () => {
    let answerUnfiltered: (value: unknown) => void = () => undefined;
    installFakeServer({
      'GET /api/v1/workflows/argo': (url: URL) =>
        url.searchParams.get('listOptions.labelSelector')
          ? { items: [] }
          : new Promise((resolve) => { answerUnfiltered = resolve; }),
      'GET /api/v1/archived-workflows': { items: [] },
      'GET /api/v1/info': {},
    });
    act(() => navigate('/workflows/argo'));
    render(<App />);
    fireEvent.click(await screen.findByRole('checkbox', { name: 'Failed' }));
    await waitFor(() => expect(screen.getByRole('table').getAttribute('aria-busy')).toBe('false'));
    await act(async () => answerUnfiltered({ items: [workflow] }));
    expect(screen.queryByRole('link', { name: 'hello' })).toBeNull();
  });

  it('bulk stop sends one PUT per selected workflow', async () => {
    const server = installFakeServer({
      'GET /api/v1/workflows/argo': { items: [workflow] },
      'GET /api/v1/archived-workflows': { items: [] },
      'GET /api/v1/info': {},
      'PUT /api/v1/workflows/argo/hello/stop': workflow,
    });
    act(() => navigate('/workflows/argo'));
    render(<App />);
    fireEvent.click(await screen.findByRole('checkbox', { name: 'Select hello' }));
    fireEvent.click(screen.getByRole('button', { name: 'stop' }));
    await waitFor(() => expect(server.calls.some((c) => c.method === 'PUT' && c.url.pathname.endsWith('/hello/stop'))).toBe(true));
  });

  it('the details page shows the graph and the node panel of the selected node', async () => {
    installFakeServer({ 'GET /api/v1/workflows/argo/hello': workflow });
    act(() => navigate('/workflows/argo/hello?node=p1'));
    render(<App />);
    expect(await screen.findByRole('img', { name: /Workflow graph with 3 nodes/ })).toBeTruthy();
    expect(screen.getByRole('complementary', { name: 'Node main' })).toBeTruthy();
    expect(screen.getByText('42')).toBeTruthy();
    fireEvent.click(screen.getByRole('tab', { name: 'Yaml' }));
    expect(await screen.findByText(/entrypoint: main/)).toBeTruthy();
  });

  it('submit shows a YAML error at its line', async () => {
    installFakeServer({});
    act(() => navigate('/submit/argo'));
    render(<App />);
    const editor = await screen.findByLabelText('Workflow manifest (YAML)');
    fireEvent.change(editor, { target: { value: 'kind: Workflow\nspec: [\n' } });
    expect(await screen.findByText(/^Line 3:/)).toBeTruthy();
  });

  it('submit lints on the server and shows its message', async () => {
    installFakeServer({ 'POST /api/v1/workflows/argo/lint': () => new Response('{"message":"spec.entrypoint template not found"}', { status: 400 }) });
    act(() => navigate('/submit/argo'));
    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: 'Lint' }));
    expect(await screen.findByText(/Line 6: spec.entrypoint template not found/)).toBeTruthy();
  });

  it('login stores the token and shows SSO only when enabled', async () => {
    installFakeServer({ 'GET /api/v1/info': { ssoEnabled: true } });
    act(() => navigate('/login?redirect=/version'));
    render(<App />);
    expect(await screen.findByRole('link', { name: 'Login with SSO' })).toHaveProperty('href', expect.stringContaining('/oauth2/redirect'));
    fireEvent.change(screen.getByLabelText('Token'), { target: { value: 'Bearer abc' } });
    fireEvent.click(screen.getByRole('button', { name: 'Login' }));
    expect(document.cookie).toContain('authorization=Bearer%20abc');
    await waitFor(() => expect(window.location.pathname).toBe('/version'));
  });

  it('the version page lists the server version', async () => {
    installFakeServer({ 'GET /api/v1/version': { version: 'v4.1.2', platform: 'linux/amd64' } });
    act(() => navigate('/version'));
    render(<App />);
    expect(await screen.findByText('v4.1.2')).toBeTruthy();
  });
});

describe('components', () => {
  it('graph search counts matches and selects on Enter', () => {
    const graph = workflowGraph(workflow);
    const onSelect = vi.fn();
    render(<GraphCanvas graph={graph} layout={layoutGraph(graph)} onSelect={onSelect} />);
    const search = screen.getByRole('searchbox', { name: 'Search nodes' });
    fireEvent.change(search, { target: { value: 'main' } });
    expect(screen.getByText('1 match')).toBeTruthy();
    fireEvent.keyDown(search, { key: 'Enter' });
    expect(onSelect).toHaveBeenCalledWith('p1');
  });

  it('a suspended node offers its enum inputs as a dropdown and sets outputs', async () => {
    const server = installFakeServer({ 'PUT /api/v1/workflows/argo/hello/set': workflow });
    const node = workflow.status?.nodes?.s1;
    if (!node) throw new Error('fixture');
    render(<NodePanel workflow={workflow} node={node} onClose={() => undefined} onChanged={() => undefined} />);
    fireEvent.change(screen.getByRole('combobox', { name: 'ok' }), { target: { value: 'no' } });
    fireEvent.click(screen.getByRole('button', { name: 'Set and resume' }));
    await waitFor(() => expect(server.calls[0]?.body).toMatchObject({ nodeFieldSelector: 'id=s1', outputParameters: '{"ok":"no"}' }));
  });

  it('the summary lists parameters and labels', () => {
    render(<Summary workflow={workflow} />);
    expect(screen.getByText('message')).toBeTruthy();
    expect(screen.getByText('team')).toBeTruthy();
  });
});
