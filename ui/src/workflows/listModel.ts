// Pure list operations for the workflows page: merge archived rows into the live list (marking
// them), and apply one watch event. Must not fetch.

import type { Workflow, WorkflowWatchEvent } from '../api/types';

export interface Row {
  workflow: Workflow;
  archived: boolean;
}

const key = (w: Workflow): string => w.metadata.uid ?? `${w.metadata.namespace}/${w.metadata.name}`;

/** Live workflows first by creation time (newest first); archived ones not also live are added. */
export function mergeRows(live: Workflow[], archived: Workflow[]): Row[] {
  const seen = new Set(live.map(key));
  const rows: Row[] = live.map((workflow) => ({ workflow, archived: false }));
  for (const workflow of archived) if (!seen.has(key(workflow))) rows.push({ workflow, archived: true });
  return sortRows(rows);
}

export function sortRows(rows: Row[]): Row[] {
  return [...rows].sort((a, b) =>
    (b.workflow.metadata.creationTimestamp ?? '').localeCompare(a.workflow.metadata.creationTimestamp ?? ''),
  );
}

/** Applies a watch event: MODIFIED replaces in place, ADDED prepends, DELETED removes. */
export function applyWatchEvent(rows: Row[], event: WorkflowWatchEvent): Row[] {
  const k = key(event.object);
  const index = rows.findIndex((r) => !r.archived && key(r.workflow) === k);
  if (event.type === 'DELETED') return index < 0 ? rows : rows.filter((_, i) => i !== index);
  if (event.type !== 'ADDED' && event.type !== 'MODIFIED') return rows;
  const merged: Workflow = index < 0 ? event.object : { ...rows[index]?.workflow, ...event.object };
  if (index >= 0) return rows.map((r, i) => (i === index ? { workflow: merged, archived: false } : r));
  return sortRows([{ workflow: merged, archived: false }, ...rows.filter((r) => !(r.archived && key(r.workflow) === k))]);
}

export interface ListParams {
  phases: string[];
  labels: string[];
  name: string;
  createdAfter: string;
  finishedBefore: string;
  limit: number;
}

export const PHASES = ['Pending', 'Running', 'Succeeded', 'Failed', 'Error'];

export function paramsFromQuery(q: URLSearchParams): ListParams {
  const limit = Number(q.get('limit'));
  return {
    phases: q.getAll('phase'),
    labels: q.getAll('label'),
    name: q.get('name') ?? '',
    createdAfter: q.get('createdAfter') ?? '',
    finishedBefore: q.get('finishedBefore') ?? '',
    limit: Number.isFinite(limit) && limit > 0 ? limit : 50,
  };
}

export function queryFromParams(p: ListParams): string {
  const q = new URLSearchParams();
  p.phases.forEach((x) => q.append('phase', x));
  p.labels.forEach((x) => q.append('label', x));
  if (p.name) q.set('name', p.name);
  if (p.createdAfter) q.set('createdAfter', p.createdAfter);
  if (p.finishedBefore) q.set('finishedBefore', p.finishedBefore);
  if (p.limit !== 50) q.set('limit', String(p.limit));
  const text = q.toString();
  return text ? `?${text}` : '';
}
