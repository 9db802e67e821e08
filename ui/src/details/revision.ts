// Which of two copies of a workflow is the newer: the page receives copies from a GET, the watch
// stream and action responses, and they can arrive out of order. Pure; no I/O.

import type { Workflow } from '../api/types';

/** The resource version as a number, when the server sends a numeric one (ours and etcd's do). */
function revision(w: Workflow | undefined): number | undefined {
  const text = w?.metadata.resourceVersion;
  if (!text || !/^\d+$/.test(text)) return undefined;
  return Number(text);
}

/** Whether both are copies of one object (a page can move on to another workflow). */
function sameObject(a: Workflow, b: Workflow): boolean {
  if (a.metadata.uid && b.metadata.uid) return a.metadata.uid === b.metadata.uid;
  return a.metadata.namespace === b.metadata.namespace && a.metadata.name === b.metadata.name;
}

/** `incoming` unless `current` is a newer copy of the same workflow; with no comparable versions,
 * `incoming`. */
export function newerOf(current: Workflow | undefined, incoming: Workflow): Workflow {
  if (!current || !sameObject(current, incoming)) return incoming;
  const have = revision(current);
  const got = revision(incoming);
  return have !== undefined && got !== undefined && got < have ? current : incoming;
}
