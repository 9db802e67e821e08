import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { NodeStatus, Workflow } from '../api/types';
import { App } from '../App';
import { navigate } from '../routing';
import { installFakeServer } from '../testing/fakeServer';

const item = (i: number): NodeStatus => ({ id: `p${i}`, name: `loops[0].print(${i}:x)`, displayName: `print(${i}:x)`, type: 'Pod', phase: 'Succeeded', boundaryID: 'loops', children: ['g1'] });

const workflow: Workflow = {
  metadata: {
    name: 'loops',
    namespace: 'argo',
    annotations: { 'workflows.argoproj.io/title': 'Nightly **loop**', 'workflows.argoproj.io/description': 'See [the runbook](https://example.com/rb)' },
  },
  spec: {},
  status: {
    phase: 'Succeeded',
    nodes: {
      loops: { id: 'loops', name: 'loops', type: 'Steps', children: ['g0'] },
      g0: { id: 'g0', name: 'loops[0]', type: 'StepGroup', boundaryID: 'loops', children: ['p0', 'p1', 'p2'] },
      p0: item(0),
      p1: item(1),
      p2: item(2),
      g1: { id: 'g1', name: 'loops[1]', type: 'StepGroup', boundaryID: 'loops' },
    },
  },
};

afterEach(() => {
  vi.unstubAllGlobals();
  window.history.replaceState(null, '', '/');
});

describe('workflow details', () => {
  it('groups loop items into one node that expands when chosen, and collapses again', async () => {
    installFakeServer({ 'GET /api/v1/workflows/argo/loops': workflow });
    act(() => navigate('/workflows/argo/loops'));
    render(<App />);
    expect(await screen.findByRole('img', { name: /Workflow graph with 4 nodes/ })).toBeTruthy();
    const search = screen.getByRole('searchbox', { name: 'Search nodes' });
    fireEvent.change(search, { target: { value: 'print' } });
    fireEvent.keyDown(search, { key: 'Enter' });
    expect(await screen.findByRole('img', { name: /Workflow graph with 6 nodes/ })).toBeTruthy();
    expect(window.location.search).toBe('');
    fireEvent.click(screen.getByRole('button', { name: 'Collapse loops' }));
    expect(await screen.findByRole('img', { name: /Workflow graph with 4 nodes/ })).toBeTruthy();
  });

  it('renders the title and description annotations as markdown', async () => {
    installFakeServer({ 'GET /api/v1/workflows/argo/loops': workflow });
    act(() => navigate('/workflows/argo/loops'));
    render(<App />);
    expect((await screen.findByText('loop')).tagName).toBe('STRONG');
    expect(screen.getByRole('link', { name: 'the runbook' }).getAttribute('href')).toBe('https://example.com/rb');
  });
});

describe('workflow summary', () => {
  it('links to the template or cron workflow the workflow came from', async () => {
    const fromTemplate: Workflow = { metadata: { name: 'g-1', namespace: 'argo' }, spec: { workflowTemplateRef: { name: 'greeting' } }, status: { nodes: {} } };
    installFakeServer({ 'GET /api/v1/workflows/argo/g-1': fromTemplate });
    act(() => navigate('/workflows/argo/g-1?tab=summary'));
    render(<App />);
    expect((await screen.findByRole('link', { name: 'greeting' })).getAttribute('href')).toBe('/workflow-templates/argo/greeting');
  });

  it('prefers the cron workflow label', async () => {
    const fromCron: Workflow = { metadata: { name: 'n-1', namespace: 'argo', labels: { 'workflows.argoproj.io/cron-workflow': 'nightly' } }, spec: {}, status: { nodes: {} } };
    installFakeServer({ 'GET /api/v1/workflows/argo/n-1': fromCron });
    act(() => navigate('/workflows/argo/n-1?tab=summary'));
    render(<App />);
    expect((await screen.findByRole('link', { name: 'nightly' })).getAttribute('href')).toBe('/cron-workflows/argo/nightly');
  });
});

describe('shareable node links', () => {
  it('?node=…&panel=logs opens that node with its logs, and the tab goes into the URL', async () => {
    const wf: Workflow = {
      metadata: { name: 'one', namespace: 'argo' },
      spec: {},
      status: { nodes: { one: { id: 'one', name: 'one', displayName: 'one', type: 'Pod', phase: 'Running' } } },
    };
    installFakeServer({ 'GET /api/v1/workflows/argo/one': wf });
    act(() => navigate('/workflows/argo/one?node=one&panel=logs'));
    render(<App />);
    const panel = await screen.findByRole('complementary', { name: 'Node one' });
    expect(panel.querySelector('[aria-label="Logs"]')).toBeTruthy();
    fireEvent.click(within(panel).getByRole('tab', { name: 'Summary' }));
    expect(window.location.search).toBe('?node=one');
    fireEvent.click(within(panel).getByRole('tab', { name: 'Logs' }));
    expect(window.location.search).toBe('?node=one&panel=logs');
  });

  it("a logs link keeps the container and grep, and asks the server for them", async () => {
    const wf: Workflow = {
      metadata: { name: 'one', namespace: 'argo' },
      spec: {},
      status: { nodes: { one: { id: 'one', name: 'one', displayName: 'one', type: 'Pod', phase: 'Running' } } },
    };
    const server = installFakeServer({ 'GET /api/v1/workflows/argo/one': wf });
    act(() => navigate('/workflows/argo/one?node=one&panel=logs&container=wait&grep=boom'));
    render(<App />);
    const panel = await screen.findByRole('complementary', { name: 'Node one' });
    expect((within(panel).getByRole('combobox', { name: 'Container' }) as HTMLSelectElement).value).toBe('wait');
    expect((within(panel).getByRole('searchbox', { name: 'Grep' }) as HTMLInputElement).value).toBe('boom');
    const logs = server.calls.find((c) => c.url.pathname === '/api/v1/workflows/argo/one/log');
    expect(logs?.url.searchParams.get('logOptions.container')).toBe('wait');
    expect(logs?.url.searchParams.get('grep')).toBe('boom');
    fireEvent.change(within(panel).getByRole('searchbox', { name: 'Grep' }), { target: { value: 'bang' } });
    expect(new URLSearchParams(window.location.search).get('grep')).toBe('bang');
    fireEvent.change(within(panel).getByRole('combobox', { name: 'Container' }), { target: { value: 'main' } });
    expect(new URLSearchParams(window.location.search).get('container')).toBe('main');
  });
});
