// Estimated durations for a running workflow when the server sent none: like Argo's estimator,
// the baseline is the newest succeeded workflow from the same cron workflow or template, and each
// node is expected to take what the node of the same name took there. Must not render anything.

import { useEffect, useState } from 'react';
import type { Workflow } from '../api/types';
import { getWorkflow, listWorkflows } from '../api/workflows';
import { durationSeconds } from '../format';

const ORIGIN_LABELS = [
  'workflows.argoproj.io/cron-workflow',
  'workflows.argoproj.io/workflow-template',
  'workflows.argoproj.io/cluster-workflow-template',
];

/** `label=value` naming where the workflow came from, if it came from a template or cron workflow. */
export function originSelector(workflow: Workflow): string | undefined {
  const labels = workflow.metadata.labels ?? {};
  const key = ORIGIN_LABELS.find((k) => labels[k]);
  return key ? `${key}=${labels[key]}` : undefined;
}

/** The newest finished run in `candidates` other than `workflow` itself. */
export function newestOther(workflow: Workflow, candidates: Workflow[]): Workflow | undefined {
  return candidates
    .filter((w) => w.metadata.name !== workflow.metadata.name && w.status?.finishedAt && w.status.startedAt)
    .sort((a, b) => (b.status?.finishedAt ?? '').localeCompare(a.status?.finishedAt ?? ''))[0];
}

/**
 * `workflow` with `estimatedDuration` filled from `baseline` where the server left it out: the
 * workflow's from the baseline's duration, each node's from the baseline node of the same name
 * (node names start with the workflow name, which differs between runs).
 */
export function withEstimates(workflow: Workflow, baseline: Workflow | undefined): Workflow {
  const status = workflow.status;
  if (!baseline?.status || !status) return workflow;
  const base = baseline.status;
  const oldName = baseline.metadata.name ?? '';
  const newName = workflow.metadata.name ?? '';
  const byName = new Map<string, number>();
  for (const n of Object.values(base.nodes ?? {})) {
    const took = durationSeconds(n.startedAt, n.finishedAt);
    if (took !== undefined && n.finishedAt) byName.set(n.name.startsWith(oldName) ? newName + n.name.slice(oldName.length) : n.name, took);
  }
  const nodes = status.nodes
    ? Object.fromEntries(Object.entries(status.nodes).map(([id, n]) => [id, n.estimatedDuration || !byName.has(n.name) ? n : { ...n, estimatedDuration: byName.get(n.name) }]))
    : undefined;
  return {
    ...workflow,
    status: { ...status, nodes, estimatedDuration: status.estimatedDuration || durationSeconds(base.startedAt, base.finishedAt) },
  };
}

/** The baseline run of a running workflow that has no estimate from the server (loaded once). */
export function useBaseline(workflow: Workflow | undefined): Workflow | undefined {
  const [baseline, setBaseline] = useState<Workflow>();
  const namespace = workflow?.metadata.namespace;
  const selector = workflow ? originSelector(workflow) : undefined;
  const needed = Boolean(workflow && !workflow.status?.finishedAt && !workflow.status?.estimatedDuration && selector);
  const name = workflow?.metadata.name;
  useEffect(() => {
    if (!needed || !namespace || !selector || !name) return undefined;
    let live = true;
    listWorkflows({ namespace, labels: [selector], phases: ['Succeeded'], limit: 20 })
      .then((list) => {
        const newest = newestOther({ metadata: { name }, spec: {} }, list.items ?? []);
        return newest?.metadata.name ? getWorkflow(namespace, newest.metadata.name) : undefined;
      })
      .then((found) => live && found && setBaseline(found))
      // No estimate is not an error worth showing.
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [needed, namespace, selector, name]);
  return needed ? baseline : undefined;
}
