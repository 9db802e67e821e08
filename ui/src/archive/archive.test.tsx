import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Workflow } from '../api/types';
import { App } from '../App';
import { navigate } from '../routing';
import { installFakeServer } from '../testing/fakeServer';

const archived: Workflow = {
  metadata: { name: 'old-run', namespace: 'argo', uid: 'u-9', labels: { team: 'a' } },
  spec: { entrypoint: 'main', arguments: { parameters: [{ name: 'n', value: '1' }] } },
  status: { phase: 'Failed', startedAt: '2024-01-01T00:00:00Z', finishedAt: '2024-01-01T00:01:00Z', message: 'step **main** failed', nodes: {} },
};

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  window.history.replaceState(null, '', '/');
});

describe('archived workflow pages', () => {
  it('filters by label and name prefix through the URL and suggests label keys', async () => {
    const server = installFakeServer({
      'GET /api/v1/archived-workflows': { items: [archived] },
      'GET /api/v1/archived-workflows-label-keys': { items: ['team', 'workflows.argoproj.io/phase'] },
    });
    act(() => navigate('/archived-workflows/argo'));
    render(<App />);
    expect(await screen.findByRole('link', { name: 'old-run' })).toHaveProperty('pathname', '/archived-workflows/argo/u-9');
    await waitFor(() => expect(document.querySelectorAll('#archive-label-keys option')).toHaveLength(2));
    fireEvent.change(screen.getByRole('combobox', { name: 'Labels' }), { target: { value: 'team=a' } });
    fireEvent.change(screen.getByRole('searchbox', { name: 'Name starts with' }), { target: { value: 'old' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    await waitFor(() => expect(window.location.search).toBe('?labels=team%3Da&prefix=old'));
    await waitFor(() => {
      const last = server.calls.filter((c) => c.url.pathname === '/api/v1/archived-workflows').pop();
      expect(last?.url.searchParams.get('listOptions.labelSelector')).toBe('team=a');
      expect(last?.url.searchParams.get('namePrefix')).toBe('old');
      expect(last?.url.searchParams.get('namespace')).toBe('argo');
    });
  });

  it('opens an archived workflow by uid with its message as markdown, and retries it', async () => {
    const server = installFakeServer({
      'GET /api/v1/archived-workflows/u-9': archived,
      'PUT /api/v1/archived-workflows/u-9/retry': { ...archived, metadata: { ...archived.metadata, name: 'old-run' } },
      'GET /api/v1/workflows/argo/old-run': archived,
    });
    act(() => navigate('/archived-workflows/argo/u-9?tab=summary'));
    render(<App />);
    expect(await screen.findByRole('heading', { name: /old-run/ })).toBeTruthy();
    expect(screen.getByText('main').tagName).toBe('STRONG');
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(window.location.pathname).toBe('/workflows/argo/old-run'));
    expect(server.calls.find((c) => c.method === 'PUT')?.body).toEqual({ uid: 'u-9', namespace: 'argo', name: 'old-run' });
  });

  it('resubmits with new parameters, memoized', async () => {
    const server = installFakeServer({
      'GET /api/v1/archived-workflows/u-9': archived,
      'PUT /api/v1/archived-workflows/u-9/resubmit': { metadata: { name: 'old-run-x2', namespace: 'argo' }, spec: {} },
    });
    act(() => navigate('/archived-workflows/argo/u-9'));
    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: 'Resubmit' }));
    expect((screen.getByLabelText('n') as HTMLInputElement).value).toBe('1');
    fireEvent.change(screen.getByLabelText('n'), { target: { value: '2' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Memoized' }));
    fireEvent.click(screen.getAllByRole('button', { name: 'Resubmit' })[1] as HTMLElement);
    await waitFor(() => expect(window.location.pathname).toBe('/workflows/argo/old-run-x2'));
    expect(server.calls.find((c) => c.method === 'PUT')?.body).toMatchObject({ memoized: true, parameters: ['n=2'] });
  });

  it('deletes from the archive after confirmation', async () => {
    const server = installFakeServer({
      'GET /api/v1/archived-workflows/u-9': archived,
      'DELETE /api/v1/archived-workflows/u-9': {},
      'GET /api/v1/archived-workflows': { items: [] },
    });
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    act(() => navigate('/archived-workflows/argo/u-9'));
    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(window.location.pathname).toBe('/archived-workflows/argo'));
    expect(server.calls.some((c) => c.method === 'DELETE')).toBe(true);
  });
});
