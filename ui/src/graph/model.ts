// Turns a Workflow's status.nodes into a plain graph (nodes + parent->child edges) for layout and
// drawing: retries fold into their Retry node, loops into one group node each unless expanded.
// Pure: no DOM, no layout positions.

import type { NodePhase, NodeStatus, Workflow } from '../api/types';
import { findLoops, groupPhase } from './loops';

export interface GraphNode {
  id: string;
  label: string;
  type: string;
  phase?: NodePhase;
  /** Number of retry attempts folded into this node (retries collapsed into a group). */
  collapsedAttempts?: number;
  /** Set on a folded loop: how many items it stands for (click expands it). */
  loopItems?: number;
}

export interface GraphEdge {
  from: string;
  to: string;
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** Attempts of a Retry node except the last are folded into it; their children are kept. */
function hiddenRetryAttempts(nodes: Record<string, NodeStatus>): Set<string> {
  const hidden = new Set<string>();
  for (const node of Object.values(nodes)) {
    if (node.type !== 'Retry' || !node.children || node.children.length < 2) continue;
    node.children.slice(0, -1).forEach((id) => hidden.add(id));
  }
  return hidden;
}

export interface GraphOptions {
  /** Loop groups (ids from loops.ts) the user expanded; all others of LOOP_GROUP_MIN items fold. */
  expandedLoops?: ReadonlySet<string>;
}

export function workflowGraph(workflow: Workflow, options: GraphOptions = {}): Graph {
  const statusNodes = workflow.status?.nodes ?? {};
  const hidden = hiddenRetryAttempts(statusNodes);
  const { groups, owner } = findLoops(statusNodes, options.expandedLoops);
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const seenEdges = new Set<string>();
  const shown = (id: string): string | undefined => (hidden.has(id) || !statusNodes[id] ? undefined : (owner.get(id) ?? id));
  for (const node of Object.values(statusNodes)) {
    if (hidden.has(node.id)) continue;
    const from = owner.get(node.id) ?? node.id;
    if (from === node.id) {
      const attempts = node.type === 'Retry' ? (node.children?.length ?? 0) : 0;
      nodes.push({
        id: node.id,
        label: node.displayName ?? node.name,
        type: node.type,
        phase: node.phase,
        collapsedAttempts: attempts > 1 ? attempts : undefined,
      });
    }
    for (const child of node.children ?? []) {
      const to = shown(child);
      if (to === undefined || to === from) continue;
      const key = `${from}\u0000${to}`;
      if (seenEdges.has(key)) continue;
      seenEdges.add(key);
      edges.push({ from, to });
    }
  }
  for (const g of groups.values()) {
    nodes.push({ id: g.id, label: `${g.label} (${g.items.length} items)`, type: 'LoopGroup', phase: groupPhase(statusNodes, g.items), loopItems: g.items.length });
  }
  return { nodes, edges };
}

/** A synthetic layered graph (`width` nodes per layer) used by tests and the performance check. */
export function syntheticGraph(count: number, width = 100): Graph {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  for (let i = 0; i < count; i++) {
    nodes.push({ id: `n${i}`, label: `node-${i}`, type: 'Pod', phase: i % 7 === 0 ? 'Failed' : 'Succeeded' });
    if (i >= width) {
      edges.push({ from: `n${i - width}`, to: `n${i}` });
      if (i % 3 === 0) edges.push({ from: `n${i - width + (i % width === width - 1 ? 0 : 1)}`, to: `n${i}` });
    } else if (i > 0) {
      edges.push({ from: 'n0', to: `n${i}` });
    }
  }
  return { nodes, edges };
}
