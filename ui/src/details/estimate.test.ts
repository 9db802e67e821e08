import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderHook, waitFor } from '@testing-library/react';
import type { Workflow } from '../api/types';
import { installFakeServer } from '../testing/fakeServer';
import { newestOther, originSelector, useBaseline, withEstimates } from './estimate';

const label = { 'workflows.argoproj.io/workflow-template': 'etl' };
const previous: Workflow = {
  metadata: { name: 'etl-abc', namespace: 'argo', labels: label },
  spec: {},
  status: {
    phase: 'Succeeded', startedAt: '2024-01-01T00:00:00Z', finishedAt: '2024-01-01T00:02:00Z',
    nodes: {
      a: { id: 'a', name: 'etl-abc', type: 'DAG', startedAt: '2024-01-01T00:00:00Z', finishedAt: '2024-01-01T00:02:00Z' },
      b: { id: 'b', name: 'etl-abc.extract', type: 'Pod', startedAt: '2024-01-01T00:00:00Z', finishedAt: '2024-01-01T00:00:30Z' },
    },
  },
};
const running: Workflow = {
  metadata: { name: 'etl-xyz', namespace: 'argo', labels: label },
  spec: {},
  status: {
    phase: 'Running', startedAt: '2024-02-01T00:00:00Z',
    nodes: {
      c: { id: 'c', name: 'etl-xyz', type: 'DAG', startedAt: '2024-02-01T00:00:00Z' },
      d: { id: 'd', name: 'etl-xyz.extract', type: 'Pod', startedAt: '2024-02-01T00:00:00Z' },
      e: { id: 'e', name: 'etl-xyz.load', type: 'Pod', startedAt: '2024-02-01T00:00:00Z', estimatedDuration: 7 },
    },
  },
};

afterEach(() => vi.unstubAllGlobals());

describe('estimates from the last run of the same template', () => {
  it('names the origin of a workflow by its labels', () => {
    expect(originSelector(running)).toBe('workflows.argoproj.io/workflow-template=etl');
    expect(originSelector({ metadata: { labels: { 'workflows.argoproj.io/cron-workflow': 'nightly' } }, spec: {} })).toBe('workflows.argoproj.io/cron-workflow=nightly');
    expect(originSelector({ metadata: {}, spec: {} })).toBeUndefined();
  });

  it('picks the newest finished run that is not the workflow itself', () => {
    const older = { ...previous, metadata: { name: 'etl-old' }, status: { ...previous.status, finishedAt: '2023-12-01T00:00:00Z' } };
    expect(newestOther(running, [older, previous, running])?.metadata.name).toBe('etl-abc');
    expect(newestOther(running, [running])).toBeUndefined();
  });

  it('fills missing estimates by node name and keeps the ones the server sent', () => {
    const estimated = withEstimates(running, previous);
    expect(estimated.status?.estimatedDuration).toBe(120);
    expect(estimated.status?.nodes?.d?.estimatedDuration).toBe(30);
    expect(estimated.status?.nodes?.e?.estimatedDuration).toBe(7);
    expect(withEstimates(running, undefined)).toBe(running);
  });

  it('loads the baseline of a running workflow without an estimate', async () => {
    const server = installFakeServer({
      'GET /api/v1/workflows/argo/etl-abc': previous,
      'GET /api/v1/workflows/argo': { items: [{ ...previous, status: { ...previous.status, nodes: undefined } }] },
    });
    const { result } = renderHook(() => useBaseline(running));
    await waitFor(() => expect(result.current?.metadata.name).toBe('etl-abc'));
    const list = server.calls.find((c) => c.url.pathname === '/api/v1/workflows/argo');
    expect(list?.url.searchParams.get('listOptions.labelSelector')).toBe('workflows.argoproj.io/workflow-template=etl,workflows.argoproj.io/phase in (Succeeded)');
  });

  it('does not look for a baseline once the workflow has finished', () => {
    const server = installFakeServer({});
    renderHook(() => useBaseline({ ...running, status: { ...running.status, finishedAt: '2024-02-01T00:01:00Z' } }));
    expect(server.calls).toHaveLength(0);
  });
});
