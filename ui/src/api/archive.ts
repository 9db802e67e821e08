// REST calls of the ArchivedWorkflowService (list, get, delete, label keys/values, retry,
// resubmit). One function per RPC; no caching, no UI state.

import { request } from './client';
import type { LabelKeys, LabelValues } from './resourceTypes';
import type { Workflow, WorkflowList } from './types';

const enc = encodeURIComponent;

export interface ArchiveFilter {
  /** Empty means every namespace the user may read. */
  namespace: string;
  labels?: string[];
  namePrefix?: string;
  limit?: number;
  continueToken?: string;
}

export const listArchive = (filter: ArchiveFilter): Promise<WorkflowList> =>
  request<WorkflowList>('api/v1/archived-workflows', {
    query: {
      namespace: filter.namespace || undefined,
      'listOptions.labelSelector': (filter.labels ?? []).filter((l) => l.trim() !== '').join(',') || undefined,
      namePrefix: filter.namePrefix || undefined,
      'listOptions.limit': filter.limit,
      'listOptions.continue': filter.continueToken,
    },
  });

export const getArchived = (uid: string): Promise<Workflow> => request<Workflow>(`api/v1/archived-workflows/${enc(uid)}`);

export const deleteArchived = (uid: string): Promise<unknown> => request(`api/v1/archived-workflows/${enc(uid)}`, { method: 'DELETE' });

export const archiveLabelKeys = (namespace: string): Promise<LabelKeys> =>
  request<LabelKeys>('api/v1/archived-workflows-label-keys', { query: { namespace: namespace || undefined } });

export const archiveLabelValues = (namespace: string, key: string): Promise<LabelValues> =>
  request<LabelValues>('api/v1/archived-workflows-label-values', {
    query: { namespace: namespace || undefined, 'listOptions.labelSelector': key },
  });

export interface ArchivedRetryOptions {
  nodeFieldSelector?: string;
  restartSuccessful?: boolean;
  parameters?: string[];
}

export const retryArchived = (workflow: Workflow, options: ArchivedRetryOptions = {}): Promise<Workflow> =>
  request<Workflow>(`api/v1/archived-workflows/${enc(workflow.metadata.uid ?? '')}/retry`, {
    method: 'PUT',
    body: { uid: workflow.metadata.uid, namespace: workflow.metadata.namespace, name: workflow.metadata.name, ...options },
  });

export const resubmitArchived = (workflow: Workflow, options: { memoized?: boolean; parameters?: string[] } = {}): Promise<Workflow> =>
  request<Workflow>(`api/v1/archived-workflows/${enc(workflow.metadata.uid ?? '')}/resubmit`, {
    method: 'PUT',
    body: { uid: workflow.metadata.uid, namespace: workflow.metadata.namespace, name: workflow.metadata.name, ...options },
  });
