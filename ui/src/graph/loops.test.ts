import { describe, expect, it } from 'vitest';
import type { NodeStatus, Workflow } from '../api/types';
import { findLoops, groupIdOf, loopBase } from './loops';
import { workflowGraph } from './model';

function wf(nodes: NodeStatus[]): Workflow {
  return { metadata: { name: 'w' }, spec: {}, status: { nodes: Object.fromEntries(nodes.map((n) => [n.id, n])) } };
}

const pod = (id: string, displayName: string, extra: Partial<NodeStatus> = {}): NodeStatus => ({ id, name: `w.${displayName}`, displayName, type: 'Pod', phase: 'Succeeded', ...extra });

// Steps: w -> w[0] -> print(0..3) -> w[1] -> done
const steps = wf([
  { id: 'w', name: 'w', type: 'Steps', children: ['g0'] },
  { id: 'g0', name: 'w[0]', displayName: '[0]', type: 'StepGroup', boundaryID: 'w', children: ['p0', 'p1', 'p2', 'p3'] },
  pod('p0', 'print(0:a)', { boundaryID: 'w', children: ['g1'] }),
  pod('p1', 'print(1:b)', { boundaryID: 'w', children: ['g1'], phase: 'Failed' }),
  pod('p2', 'print(2:c)', { boundaryID: 'w', children: ['g1'], phase: 'Running' }),
  pod('p3', 'print(3:d)', { boundaryID: 'w', children: ['g1'] }),
  { id: 'g1', name: 'w[1]', displayName: '[1]', type: 'StepGroup', boundaryID: 'w', children: ['done'] },
  pod('done', 'done', { boundaryID: 'w' }),
]);

describe('loop groups', () => {
  it('recognises loop item names', () => {
    expect(loopBase(pod('x', 'print(12:{"a":1})'))).toBe('print');
    expect(loopBase(pod('x', 'print'))).toBeUndefined();
    expect(loopBase({ id: 'x', name: 'w[0].fan(0:1)', type: 'Pod' })).toBe('fan');
  });

  it('folds a steps loop into one node between its step groups, with the worst phase', () => {
    const g = workflowGraph(steps);
    const group = groupIdOf('g0', 'print');
    expect(g.nodes.map((n) => n.id).sort()).toEqual(['done', 'g0', 'g1', group, 'w'].sort());
    expect(g.nodes.find((n) => n.id === group)).toMatchObject({ label: 'print (4 items)', loopItems: 4, phase: 'Failed', type: 'LoopGroup' });
    expect(g.edges).toEqual(expect.arrayContaining([{ from: 'g0', to: group }, { from: group, to: 'g1' }]));
    expect(g.edges.filter((e) => e.from === group)).toHaveLength(1);
  });

  it('shows every item when the group is expanded', () => {
    const g = workflowGraph(steps, { expandedLoops: new Set([groupIdOf('g0', 'print')]) });
    expect(g.nodes).toHaveLength(8);
    expect(g.edges.filter((e) => e.to === 'g1')).toHaveLength(4);
  });

  it('keeps loops below the minimum size as they are', () => {
    const small = wf([
      { id: 'w', name: 'w', type: 'DAG', children: ['a', 'b'] },
      pod('a', 'fan(0:1)', { boundaryID: 'w' }),
      pod('b', 'fan(1:2)', { boundaryID: 'w' }),
    ]);
    expect(workflowGraph(small).nodes).toHaveLength(3);
  });

  it('folds what is inside each item (nested DAGs and retry attempts) into the group', () => {
    const nested = wf([
      { id: 'w', name: 'w', type: 'DAG', children: ['tg'] },
      { id: 'tg', name: 'w.each', displayName: 'each', type: 'TaskGroup', boundaryID: 'w', children: ['i0', 'i1', 'i2'] },
      { id: 'i0', name: 'w.each(0:x)', displayName: 'each(0:x)', type: 'DAG', boundaryID: 'w', children: ['i0a'] },
      pod('i0a', 'inner', { boundaryID: 'i0', children: ['after'] }),
      { id: 'i1', name: 'w.each(1:y)', displayName: 'each(1:y)', type: 'Retry', boundaryID: 'w', children: ['i1r0', 'i1r1'] },
      pod('i1r0', 'each(1:y)(0)', { boundaryID: 'w', phase: 'Failed' }),
      pod('i1r1', 'each(1:y)(1)', { boundaryID: 'w', children: ['after'] }),
      pod('i2', 'each(2:z)', { boundaryID: 'w', children: ['after'] }),
      pod('after', 'after', { boundaryID: 'w' }),
    ]);
    const { owner } = findLoops(nested.status?.nodes ?? {});
    const group = groupIdOf('tg', 'each');
    expect([...owner].filter(([, g]) => g === group).map(([id]) => id).sort()).toEqual(['i0', 'i0a', 'i1', 'i1r0', 'i1r1', 'i2']);
    const g = workflowGraph(nested);
    expect(g.nodes.map((n) => n.id).sort()).toEqual([group, 'after', 'tg', 'w'].sort());
    expect(g.edges).toEqual(expect.arrayContaining([{ from: 'tg', to: group }, { from: group, to: 'after' }]));
    expect(g.edges).toHaveLength(3);
  });
});

describe('big loops', () => {
  it('a 10,000-item loop folds to one node, and expands to all of them', () => {
    const items = Array.from({ length: 10_000 }, (_, i) => pod(`i${i}`, `work(${i}:${i})`, { boundaryID: 'w', children: ['end'] }));
    const big = wf([{ id: 'w', name: 'w', type: 'DAG', children: ['tg'] }, { id: 'tg', name: 'w.work', type: 'TaskGroup', boundaryID: 'w', children: items.map((n) => n.id) }, ...items, pod('end', 'end', { boundaryID: 'w' })]);
    expect(workflowGraph(big).nodes).toHaveLength(4);
    const open = workflowGraph(big, { expandedLoops: new Set([groupIdOf('tg', 'work')]) });
    expect(open.nodes).toHaveLength(10_003);
    expect(open.edges).toHaveLength(20_001);
  });
});
