// Typed calls of the WorkflowService, InfoService and ArchivedWorkflowService REST paths used by
// the pages. Thin: one function per RPC, no caching, no UI state.

import { request, type Query } from './client';
import { openStream } from './sse';
import type { Info, LogEntry, UserInfo, Version, Workflow, WorkflowList, WorkflowWatchEvent } from './types';

const ns = (namespace: string): string => encodeURIComponent(namespace);
const nm = (name: string): string => encodeURIComponent(name);

export interface ListFilter {
  namespace: string;
  phases?: string[];
  labels?: string[];
  name?: string;
  createdAfter?: string;
  finishedBefore?: string;
  limit?: number;
  continueToken?: string;
}

/** The label selector the server expects: user labels plus `workflows.argoproj.io/phase in (...)`. */
export function labelSelector(filter: Pick<ListFilter, 'phases' | 'labels'>): string | undefined {
  const parts = [...(filter.labels ?? []).filter((l) => l.trim() !== '')];
  if (filter.phases && filter.phases.length > 0) parts.push(`workflows.argoproj.io/phase in (${filter.phases.join(',')})`);
  return parts.length > 0 ? parts.join(',') : undefined;
}

export function listQuery(filter: ListFilter): Query {
  return {
    'listOptions.labelSelector': labelSelector(filter),
    'listOptions.limit': filter.limit,
    'listOptions.continue': filter.continueToken,
    'listOptions.fieldSelector': filter.name ? `metadata.name=${filter.name}` : undefined,
    nameFilter: filter.name ? 'Contains' : undefined,
    createdAfter: filter.createdAfter,
    finishedBefore: filter.finishedBefore,
    fields: '-items.status.nodes,-items.spec,-items.status.storedTemplates,-items.status.storedWorkflowTemplateSpec',
  };
}

export const listWorkflows = (filter: ListFilter): Promise<WorkflowList> =>
  request<WorkflowList>(`api/v1/workflows/${ns(filter.namespace)}`, { query: listQuery(filter) });

export const getWorkflow = (namespace: string, name: string): Promise<Workflow> =>
  request<Workflow>(`api/v1/workflows/${ns(namespace)}/${nm(name)}`);

export const deleteWorkflow = (namespace: string, name: string): Promise<unknown> =>
  request(`api/v1/workflows/${ns(namespace)}/${nm(name)}`, { method: 'DELETE' });

export type WorkflowAction = 'retry' | 'resubmit' | 'suspend' | 'resume' | 'stop' | 'terminate' | 'set';

/** PUT /api/v1/workflows/{ns}/{name}/{action}; `body` carries nodeFieldSelector, parameters, ... */
export const workflowAction = (namespace: string, name: string, action: WorkflowAction, body: Record<string, unknown> = {}): Promise<Workflow> =>
  request<Workflow>(`api/v1/workflows/${ns(namespace)}/${nm(name)}/${action}`, {
    method: 'PUT',
    body: { namespace, name, ...body },
  });

export const createWorkflow = (namespace: string, workflow: Workflow): Promise<Workflow> =>
  request<Workflow>(`api/v1/workflows/${ns(namespace)}`, { method: 'POST', body: { namespace, workflow } });

export const lintWorkflow = (namespace: string, workflow: Workflow): Promise<Workflow> =>
  request<Workflow>(`api/v1/workflows/${ns(namespace)}/lint`, { method: 'POST', body: { namespace, workflow } });

export const listArchivedWorkflows = (filter: ListFilter): Promise<WorkflowList> =>
  request<WorkflowList>('api/v1/archived-workflows', {
    query: { namespace: filter.namespace, ...listQuery(filter), fields: undefined },
  });

export const getVersion = (): Promise<Version> => request<Version>('api/v1/version');
export const getInfo = (): Promise<Info> => request<Info>('api/v1/info');
export const getUserInfo = (): Promise<UserInfo> => request<UserInfo>('api/v1/userinfo');

/** Watches workflows in a namespace; returns the close function. */
export function watchWorkflows(
  filter: ListFilter,
  onEvent: (event: WorkflowWatchEvent) => void,
  onError?: (e: Error) => void,
): () => void {
  return openStream<WorkflowWatchEvent>(
    `api/v1/workflow-events/${ns(filter.namespace)}`,
    { onMessage: onEvent, onError },
    { query: { 'listOptions.labelSelector': labelSelector(filter), fields: 'result.type,result.object.metadata,result.object.status.phase,result.object.status.startedAt,result.object.status.finishedAt,result.object.status.progress,result.object.status.message' } },
  );
}

/** Watches one workflow by name (full object, nodes included). */
export function watchWorkflow(namespace: string, name: string, onEvent: (event: WorkflowWatchEvent) => void, onError?: (e: Error) => void): () => void {
  return openStream<WorkflowWatchEvent>(
    `api/v1/workflow-events/${ns(namespace)}`,
    { onMessage: onEvent, onError },
    { query: { 'listOptions.fieldSelector': `metadata.name=${name}` } },
  );
}

/** Streams logs of a workflow, or of one pod when `podName` is set. */
export function streamLogs(
  namespace: string,
  name: string,
  opts: { podName?: string; container?: string; follow?: boolean; grep?: string },
  onEntry: (entry: LogEntry) => void,
  onError?: (e: Error) => void,
  onEnd?: () => void,
): () => void {
  return openStream<LogEntry>(
    `api/v1/workflows/${ns(namespace)}/${nm(name)}/log`,
    { onMessage: onEntry, onError, onEnd },
    {
      reconnect: false,
      query: {
        podName: opts.podName,
        'logOptions.container': opts.container ?? 'main',
        'logOptions.follow': opts.follow ? true : undefined,
        grep: opts.grep,
      },
    },
  );
}
