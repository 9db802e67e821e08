import { describe, expect, it } from 'vitest';
import type { Workflow } from '../api/types';
import { applyWatchEvent, mergeRows, paramsFromQuery, queryFromParams } from './listModel';

const wf = (name: string, created: string, phase = 'Running'): Workflow => ({
  metadata: { name, namespace: 'ns', uid: `uid-${name}`, creationTimestamp: created },
  spec: {},
  status: { phase: phase as 'Running' },
});

describe('workflow list model', () => {
  it('adds archived workflows that are not live, marked, newest first', () => {
    const rows = mergeRows([wf('a', '2024-01-02')], [wf('a', '2024-01-02'), wf('old', '2023-01-01')]);
    expect(rows.map((r) => [r.workflow.metadata.name, r.archived])).toEqual([['a', false], ['old', true]]);
  });

  it('watch events modify, add and delete rows', () => {
    let rows = mergeRows([wf('a', '2024-01-02')], []);
    rows = applyWatchEvent(rows, { type: 'MODIFIED', object: wf('a', '2024-01-02', 'Succeeded') });
    expect(rows[0]?.workflow.status?.phase).toBe('Succeeded');
    rows = applyWatchEvent(rows, { type: 'ADDED', object: wf('b', '2024-01-03') });
    expect(rows.map((r) => r.workflow.metadata.name)).toEqual(['b', 'a']);
    rows = applyWatchEvent(rows, { type: 'DELETED', object: wf('a', '2024-01-02') });
    expect(rows.map((r) => r.workflow.metadata.name)).toEqual(['b']);
  });

  it('filters round-trip through the URL query', () => {
    const params = { phases: ['Failed'], labels: ['x=y'], name: 'n', createdAfter: '', finishedBefore: '', limit: 100 };
    expect(paramsFromQuery(new URLSearchParams(queryFromParams(params)))).toEqual(params);
    expect(paramsFromQuery(new URLSearchParams('')).limit).toBe(50);
  });
});
