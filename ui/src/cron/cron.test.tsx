import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CronWorkflow } from '../api/resourceTypes';
import { App } from '../App';
import { navigate } from '../routing';
import { installFakeServer } from '../testing/fakeServer';
import { upcomingRuns } from './cronModel';

const cron: CronWorkflow = {
  metadata: { name: 'nightly', namespace: 'argo', uid: 'c1', resourceVersion: '3' },
  spec: {
    schedules: ['30 2 * * *'],
    timezone: 'UTC',
    concurrencyPolicy: 'Replace',
    workflowSpec: { entrypoint: 'main', arguments: { parameters: [{ name: 'day', value: 'mon' }] }, templates: [{ name: 'main' }] },
  },
  status: { lastScheduledTime: '2024-01-01T02:30:00Z', succeeded: 4, failed: 1, active: [{ name: 'nightly-1700000000', namespace: 'argo', uid: 'w1' }] },
};

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  window.history.replaceState(null, '', '/');
});

describe('cron workflow pages', () => {
  it('lists cron workflows with schedule, status and a next run', async () => {
    installFakeServer({ 'GET /api/v1/cron-workflows/argo': { items: [cron, { ...cron, metadata: { name: 'paused', uid: 'c2' }, spec: { ...cron.spec, suspend: true } }] } });
    act(() => navigate('/cron-workflows/argo'));
    render(<App />);
    expect(await screen.findByRole('link', { name: 'nightly' })).toBeTruthy();
    const rows = screen.getAllByRole('row');
    expect(rows[1]?.textContent).toContain('30 2 * * *');
    expect(rows[1]?.textContent).toContain('Active');
    expect(rows[2]?.textContent).toContain('Suspended');
  });

  it('suspends and then resumes from the details page', async () => {
    let suspended = false;
    const server = installFakeServer({
      'GET /api/v1/cron-workflows/argo/nightly': cron,
      'PUT /api/v1/cron-workflows/argo/nightly/suspend': () => { suspended = true; return { ...cron, spec: { ...cron.spec, suspend: true } }; },
      'PUT /api/v1/cron-workflows/argo/nightly/resume': () => { suspended = false; return cron; },
    });
    act(() => navigate('/cron-workflows/argo/nightly'));
    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: 'Suspend' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Resume' }));
    await screen.findByRole('button', { name: 'Suspend' });
    expect(suspended).toBe(false);
    expect(server.calls.filter((c) => c.method === 'PUT').map((c) => [c.url.pathname.split('/').pop(), c.body])).toEqual([
      ['suspend', { namespace: 'argo', name: 'nightly' }],
      ['resume', { namespace: 'argo', name: 'nightly' }],
    ]);
  });

  it('shows status counts, active workflows and five next runs', async () => {
    installFakeServer({ 'GET /api/v1/cron-workflows/argo/nightly': cron });
    act(() => navigate('/cron-workflows/argo/nightly'));
    render(<App />);
    expect(await screen.findByRole('link', { name: 'nightly-1700000000' })).toBeTruthy();
    expect(screen.getByRole('list', { name: 'Next runs' }).children).toHaveLength(5);
    expect(screen.getByText('Replace')).toBeTruthy();
  });

  it('lists the workflows it created by the cron label', async () => {
    const server = installFakeServer({
      'GET /api/v1/cron-workflows/argo/nightly': cron,
      'GET /api/v1/workflows/argo': { items: [{ metadata: { name: 'nightly-1', namespace: 'argo', uid: 'w1' }, spec: {}, status: { phase: 'Succeeded' } }] },
      'GET /api/v1/archived-workflows': { items: [{ metadata: { name: 'nightly-0', namespace: 'argo', uid: 'w0' }, spec: {}, status: { phase: 'Failed' } }] },
    });
    act(() => navigate('/cron-workflows/argo/nightly?tab=history'));
    render(<App />);
    expect(await screen.findByRole('link', { name: 'nightly-1' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'nightly-0' }).getAttribute('href')).toBe('/archived-workflows/argo/w0');
    const live = server.calls.find((c) => c.url.pathname === '/api/v1/workflows/argo');
    expect(live?.url.searchParams.get('listOptions.labelSelector')).toBe('workflows.argoproj.io/cron-workflow=nightly');
  });

  it('submits now with the workflow spec parameters', async () => {
    const server = installFakeServer({
      'GET /api/v1/cron-workflows/argo/nightly': cron,
      'POST /api/v1/workflows/argo/submit': { metadata: { name: 'nightly-manual', namespace: 'argo' }, spec: {} },
    });
    act(() => navigate('/cron-workflows/argo/nightly?tab=submit'));
    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: 'Submit' }));
    await waitFor(() => expect(window.location.pathname).toBe('/workflows/argo/nightly-manual'));
    expect(server.calls.find((c) => c.method === 'POST')?.body).toMatchObject({ resourceKind: 'CronWorkflow', resourceName: 'nightly', submitOptions: { parameters: ['day=mon'] } });
  });

  it('merges the next runs of several schedules and reports a bad one', () => {
    const now = Date.parse('2024-01-01T00:00:00Z');
    const both = { ...cron, spec: { ...cron.spec, schedule: undefined, schedules: ['0 6 * * *', '0 3 * * *'] } };
    expect(upcomingRuns(both, now, 3)).toEqual(['2024-01-01T03:00:00Z', '2024-01-01T06:00:00Z', '2024-01-02T03:00:00Z'].map(Date.parse));
    expect(upcomingRuns({ ...cron, spec: { ...cron.spec, schedule: '0 25 * * *' } }, now, 1)).toMatch(/hour/);
    expect(upcomingRuns({ ...cron, spec: { ...cron.spec, timezone: 'Mars/Olympus' } }, now, 1)).toMatch(/30 2 \* \* \*: .*time ?zone/i);
  });
});

describe('cron workflow editor', () => {
  it('checks schedules as you type and points at their line', async () => {
    installFakeServer({ 'GET /api/v1/cron-workflows/argo': { items: [] } });
    act(() => navigate('/cron-workflows/argo?new=true'));
    render(<App />);
    const editor = await screen.findByLabelText('CronWorkflow manifest (YAML)');
    fireEvent.change(editor, { target: { value: 'kind: CronWorkflow\nmetadata:\n  name: x\nspec:\n  schedules:\n    - "0 1 * * *"\n    - "0 25 * * *"\n  workflowSpec: {}\n' } });
    expect(await screen.findByText(/^Line 7: schedule "0 25 \* \* \*": hour/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Create' })).toHaveProperty('disabled', true);
  });
});
