import { describe, expect, it } from 'vitest';
import type { Workflow } from '../api/types';
import { assignLayers, FAST_LAYOUT_THRESHOLD, layoutGraph } from './layout';
import { syntheticGraph, workflowGraph } from './model';
import { SpatialIndex, fitTransform, zoomAt } from './viewport';
import { renderOverview } from './overview';

const diamond: Workflow = {
  metadata: { name: 'd' },
  spec: {},
  status: {
    nodes: {
      d: { id: 'd', name: 'd', type: 'DAG', children: ['a'] },
      a: { id: 'a', name: 'd.A', displayName: 'A', type: 'Pod', phase: 'Succeeded', children: ['b', 'c'] },
      b: { id: 'b', name: 'd.B', type: 'Pod', children: ['e'] },
      c: { id: 'c', name: 'd.C', type: 'Pod', children: ['e'] },
      e: { id: 'e', name: 'd.E', type: 'Pod' },
    },
  },
};

describe('workflow graph model', () => {
  it('turns status nodes and children into nodes and edges', () => {
    const g = workflowGraph(diamond);
    expect(g.nodes).toHaveLength(5);
    expect(g.edges).toContainEqual({ from: 'a', to: 'b' });
    expect(g.nodes.find((n) => n.id === 'a')?.label).toBe('A');
  });

  it('folds all but the last retry attempt into the retry node', () => {
    const wf: Workflow = {
      metadata: {},
      spec: {},
      status: {
        nodes: {
          r: { id: 'r', name: 'r', type: 'Retry', children: ['r0', 'r1', 'r2'] },
          r0: { id: 'r0', name: 'r(0)', type: 'Pod', phase: 'Failed' },
          r1: { id: 'r1', name: 'r(1)', type: 'Pod', phase: 'Failed' },
          r2: { id: 'r2', name: 'r(2)', type: 'Pod', phase: 'Succeeded' },
        },
      },
    };
    const g = workflowGraph(wf);
    expect(g.nodes.map((n) => n.id).sort()).toEqual(['r', 'r2']);
    expect(g.nodes.find((n) => n.id === 'r')?.collapsedAttempts).toBe(3);
    expect(g.edges).toEqual([{ from: 'r', to: 'r2' }]);
  });
});

describe('layered layout', () => {
  it('dagre places children below their parents', () => {
    const layout = layoutGraph(workflowGraph(diamond));
    expect(layout.engine).toBe('dagre');
    const y = (id: string) => layout.nodes.get(id)?.y ?? NaN;
    expect(y('a')).toBeLessThan(y('b'));
    expect(y('b')).toBeLessThan(y('e'));
    expect(y('b')).toBe(y('c'));
  });

  it('the fast layout layers by longest path', () => {
    const layers = assignLayers(workflowGraph(diamond));
    expect([...layers.entries()].sort()).toEqual([['a', 1], ['b', 2], ['c', 2], ['d', 0], ['e', 3]]);
    const layout = layoutGraph(workflowGraph(diamond), { engine: 'fast' });
    expect(layout.nodes.get('e')?.y).toBeGreaterThan(layout.nodes.get('b')?.y ?? Infinity);
  });

  it('the fast layout survives cycles', () => {
    const layers = assignLayers({ nodes: [{ id: 'x', label: 'x', type: 'Pod' }, { id: 'y', label: 'y', type: 'Pod' }], edges: [{ from: 'x', to: 'y' }, { from: 'y', to: 'x' }] });
    expect(layers.size).toBe(2);
  });

  it('large graphs use the fast layout; 10,000 nodes timed', () => {
    const graph = syntheticGraph(10_000);
    const started = performance.now();
    const layout = layoutGraph(graph);
    const elapsed = performance.now() - started;
    console.info(`fast layout of 10,000 nodes / ${graph.edges.length} edges: ${elapsed.toFixed(1)} ms`);
    expect(layout.engine).toBe('fast');
    expect(layout.nodes.size).toBe(10_000);
    const indexStarted = performance.now();
    const index = new SpatialIndex(layout.nodes.values());
    const visible = index.query(0, 0, 1600, 900);
    console.info(`spatial index build + one viewport query: ${(performance.now() - indexStarted).toFixed(1)} ms, ${visible.length} visible`);
    expect(visible.length).toBeLessThan(1000);
  });

  it('graphs at the threshold still use dagre, and are timed', () => {
    const graph = syntheticGraph(FAST_LAYOUT_THRESHOLD, 50);
    const started = performance.now();
    expect(layoutGraph(graph).engine).toBe('dagre');
    console.info(`dagre layout of ${FAST_LAYOUT_THRESHOLD} nodes: ${(performance.now() - started).toFixed(1)} ms`);
  }, 60_000);
});

describe('viewport', () => {
  it('hit-tests the node under a point', () => {
    const layout = layoutGraph(workflowGraph(diamond));
    const index = new SpatialIndex(layout.nodes.values());
    const a = layout.nodes.get('a');
    expect(a && index.hit(a.x + 5, a.y + 5)?.id).toBe('a');
    expect(index.hit(-1000, -1000)).toBeUndefined();
  });

  it('zooming keeps the point under the cursor fixed', () => {
    const t = zoomAt({ x: 10, y: 20, scale: 1 }, 2, 100, 100);
    expect((100 - t.x) / t.scale).toBeCloseTo(90);
    expect((100 - t.y) / t.scale).toBeCloseTo(80);
  });

  it('fit scales a large layout down into the view', () => {
    const t = fitTransform({ width: 4000, height: 2000 }, 800, 400);
    expect(t.scale).toBeCloseTo(0.2);
  });
});

describe('overview bitmap', () => {
  it('is not made for small graphs, which are painted live', () => {
    const layout = layoutGraph(workflowGraph(diamond));
    expect(renderOverview(layout, new Map(), false)).toBeUndefined();
  });
});
