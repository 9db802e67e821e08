import { describe, expect, it } from 'vitest';
import type { Workflow, WorkflowPhase } from '../api/types';
import { newerOf } from './revision';

const at = (resourceVersion: string | undefined, phase: WorkflowPhase): Workflow => ({
  metadata: { name: 'w', namespace: 'argo', resourceVersion },
  spec: {},
  status: { phase },
});

describe('newerOf', () => {
  it('keeps the current copy when the incoming one is older', () => {
    const current = at('12', 'Running');
    expect(newerOf(current, at('9', 'Pending'))).toBe(current);
  });

  it('takes the incoming copy when it is as new or newer', () => {
    const incoming = at('12', 'Succeeded');
    expect(newerOf(at('12', 'Running'), incoming)).toBe(incoming);
    expect(newerOf(at('3', 'Running'), incoming)).toBe(incoming);
  });

  it('takes the incoming copy when there is nothing yet or versions do not compare', () => {
    const incoming = at('abc', 'Running');
    expect(newerOf(undefined, incoming)).toBe(incoming);
    expect(newerOf(at('5', 'Running'), incoming)).toBe(incoming);
    expect(newerOf(at(undefined, 'Running'), at('1', 'Pending')).status?.phase).toBe('Pending');
  });

  it('takes a copy of another workflow whatever its version', () => {
    const other: Workflow = { metadata: { name: 'x', namespace: 'argo', resourceVersion: '2' }, spec: {} };
    expect(newerOf(at('40', 'Running'), other)).toBe(other);
  });
});
