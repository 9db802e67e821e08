// Parses manifests typed by the user (workflows, templates, cron workflows) and places server lint
// messages on a line. Pure.

import { load, YAMLException } from 'js-yaml';
import type { ObjectMeta, Workflow } from '../api/types';

export interface Problem {
  /** 1-based line, when known. */
  line?: number;
  message: string;
}

/** Parses a manifest of `kind` (the kind may be omitted in the text); errors carry their line. */
export function parseResource<T extends { metadata: ObjectMeta }>(text: string, kind: string): { value?: T; problem?: Problem } {
  try {
    const doc: unknown = load(text);
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return { problem: { line: 1, message: `expected a ${kind} object` } };
    const obj = doc as Record<string, unknown>;
    if (obj.kind !== undefined && obj.kind !== kind) return { problem: { line: 1, message: `expected kind ${kind}, got ${String(obj.kind)}` } };
    return { value: { ...obj, metadata: (obj.metadata as ObjectMeta | undefined) ?? {}, spec: obj.spec ?? {} } as unknown as T };
  } catch (e) {
    if (e instanceof YAMLException) return { problem: { line: e.mark ? e.mark.line + 1 : undefined, message: e.reason || e.message } };
    return { problem: { message: e instanceof Error ? e.message : String(e) } };
  }
}

export function parseManifest(text: string): { workflow?: Workflow; problem?: Problem } {
  const { value, problem } = parseResource<Workflow>(text, 'Workflow');
  return { workflow: value, problem };
}

/**
 * Finds the line a lint message refers to: the last dotted path segment or quoted name it mentions
 * (`templates.main.steps` -> `steps`, `"whalesay"`) that appears as a key or value in the text.
 */
export function locateMessage(text: string, message: string): number | undefined {
  const lines = text.split('\n');
  const candidates: string[] = [];
  for (const m of message.matchAll(/["'`]([^"'`]+)["'`]/g)) if (m[1]) candidates.push(m[1]);
  for (const m of message.matchAll(/\b([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+)\b/g)) {
    const parts = (m[1] ?? '').split('.');
    candidates.push(...parts.reverse());
  }
  for (const c of candidates) {
    const escaped = c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const re = new RegExp(`(^|[\\s:-])${escaped}(\\s*:|\\s*$)`);
    const index = lines.findIndex((l) => re.test(l));
    if (index >= 0) return index + 1;
  }
  return undefined;
}

export const EXAMPLE_WORKFLOW = `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: hello-world-
spec:
  entrypoint: main
  templates:
    - name: main
      container:
        image: busybox
        command: [echo]
        args: ["hello world"]
`;
