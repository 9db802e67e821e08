// Finds loop expansions (withItems/withParam/withSequence children, named `task(0:…)`,
// `task(1:…)`, …) and folds each loop of at least LOOP_GROUP_MIN items under one parent into a
// single group, together with everything inside those items (nodes whose boundary chain, or
// retry parent, leads to an item). Pure; linear in nodes plus edges.

import type { NodePhase, NodeStatus } from '../api/types';

export const LOOP_GROUP_MIN = 3;

const LOOP_ITEM = /^(.*)\((\d+):[\s\S]*\)$/;

export interface LoopGroup {
  id: string;
  parentId: string;
  label: string;
  items: string[];
}

export interface LoopFolding {
  groups: Map<string, LoopGroup>;
  /** For every folded node (items and what is inside them), its group id. */
  owner: Map<string, string>;
}

/** The loop base name of a node (`print` for `print(3:c)`), or undefined when not a loop item. */
export function loopBase(node: NodeStatus): string | undefined {
  const m = LOOP_ITEM.exec(node.displayName ?? node.name.split('.').pop() ?? '');
  return m ? m[1] : undefined;
}

export function groupIdOf(parentId: string, base: string): string {
  return `${parentId}/loop:${base}`;
}

export function findLoops(nodes: Record<string, NodeStatus>, expanded: ReadonlySet<string> = new Set()): LoopFolding {
  const groups = new Map<string, LoopGroup>();
  const owner = new Map<string, string>();
  for (const parent of Object.values(nodes)) {
    if (parent.type === 'Retry') continue;
    const byBase = new Map<string, string[]>();
    for (const childId of parent.children ?? []) {
      const child = nodes[childId];
      const base = child && loopBase(child);
      if (base === undefined) continue;
      byBase.set(base, [...(byBase.get(base) ?? []), childId]);
    }
    for (const [base, items] of byBase) {
      const id = groupIdOf(parent.id, base);
      if (items.length < LOOP_GROUP_MIN || expanded.has(id)) continue;
      groups.set(id, { id, parentId: parent.id, label: base, items });
      for (const item of items) if (!owner.has(item)) owner.set(item, id);
    }
  }
  if (groups.size === 0) return { groups, owner };
  // Attempts of a folded Retry item belong to the item's group.
  for (const [id, group] of [...owner]) {
    const node = nodes[id];
    if (node?.type === 'Retry') for (const attempt of node.children ?? []) if (!owner.has(attempt)) owner.set(attempt, group);
  }
  // Anything whose boundary chain reaches a folded node is inside that loop item.
  const resolved = new Map<string, string | null>();
  const resolve = (id: string): string | null => {
    const chain: string[] = [];
    let current: string | undefined = id;
    let found: string | null = null;
    while (current !== undefined) {
      const known = owner.get(current) ?? resolved.get(current);
      if (known !== undefined) {
        found = known;
        break;
      }
      chain.push(current);
      const boundary: string | undefined = nodes[current]?.boundaryID;
      current = boundary && boundary !== current && !chain.includes(boundary) ? boundary : undefined;
    }
    for (const c of chain) resolved.set(c, found);
    return found;
  };
  for (const id of Object.keys(nodes)) {
    if (owner.has(id)) continue;
    const group = resolve(id);
    if (group) owner.set(id, group);
  }
  return { groups, owner };
}

const RANK: Record<NodePhase, number> = { Error: 6, Failed: 5, Running: 4, Pending: 3, Succeeded: 2, Omitted: 1, Skipped: 0 };

/** The phase a group shows: the most pressing phase among its items. */
export function groupPhase(nodes: Record<string, NodeStatus>, items: string[]): NodePhase | undefined {
  let best: NodePhase | undefined;
  for (const id of items) {
    const phase = nodes[id]?.phase;
    if (phase && (best === undefined || RANK[phase] > RANK[best])) best = phase;
  }
  return best;
}
