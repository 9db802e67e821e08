// REST calls of the CronWorkflowService. One function per RPC; no caching, no UI state.

import { request } from './client';
import type { CronWorkflow, CronWorkflowList } from './resourceTypes';

const enc = encodeURIComponent;
const base = (namespace: string): string => `api/v1/cron-workflows/${enc(namespace)}`;

export const listCronWorkflows = (namespace: string, labels: string[] = []): Promise<CronWorkflowList> =>
  request<CronWorkflowList>(base(namespace), {
    query: { 'listOptions.labelSelector': labels.filter((l) => l.trim() !== '').join(',') || undefined },
  });

export const getCronWorkflow = (namespace: string, name: string): Promise<CronWorkflow> =>
  request<CronWorkflow>(`${base(namespace)}/${enc(name)}`);

export const createCronWorkflow = (namespace: string, cronWorkflow: CronWorkflow): Promise<CronWorkflow> =>
  request<CronWorkflow>(base(namespace), { method: 'POST', body: { namespace, cronWorkflow } });

export const lintCronWorkflow = (namespace: string, cronWorkflow: CronWorkflow): Promise<CronWorkflow> =>
  request<CronWorkflow>(`${base(namespace)}/lint`, { method: 'POST', body: { namespace, cronWorkflow } });

export const updateCronWorkflow = (namespace: string, name: string, cronWorkflow: CronWorkflow): Promise<CronWorkflow> =>
  request<CronWorkflow>(`${base(namespace)}/${enc(name)}`, { method: 'PUT', body: { namespace, name, cronWorkflow } });

export const deleteCronWorkflow = (namespace: string, name: string): Promise<unknown> =>
  request(`${base(namespace)}/${enc(name)}`, { method: 'DELETE' });

export const suspendCronWorkflow = (namespace: string, name: string): Promise<CronWorkflow> =>
  request<CronWorkflow>(`${base(namespace)}/${enc(name)}/suspend`, { method: 'PUT', body: { namespace, name } });

export const resumeCronWorkflow = (namespace: string, name: string): Promise<CronWorkflow> =>
  request<CronWorkflow>(`${base(namespace)}/${enc(name)}/resume`, { method: 'PUT', body: { namespace, name } });
