// REST calls of the WorkflowTemplateService and ClusterWorkflowTemplateService, plus SubmitWorkflow
// (a workflow from a template or cron workflow). One function per RPC; no caching, no UI state.

import { request } from './client';
import type { WorkflowTemplate, WorkflowTemplateList } from './resourceTypes';
import type { Workflow } from './types';

/** Namespaced WorkflowTemplates or cluster-scoped ClusterWorkflowTemplates. */
export type TemplateScope = 'namespaced' | 'cluster';

const enc = encodeURIComponent;

function collection(scope: TemplateScope, namespace: string): string {
  return scope === 'cluster' ? 'api/v1/cluster-workflow-templates' : `api/v1/workflow-templates/${enc(namespace)}`;
}

export interface TemplateFilter {
  labels?: string[];
  namePattern?: string;
}

export const listTemplates = (scope: TemplateScope, namespace: string, filter: TemplateFilter = {}): Promise<WorkflowTemplateList> =>
  request<WorkflowTemplateList>(collection(scope, namespace), {
    query: {
      'listOptions.labelSelector': (filter.labels ?? []).filter((l) => l.trim() !== '').join(',') || undefined,
      namePattern: filter.namePattern,
    },
  });

export const getTemplate = (scope: TemplateScope, namespace: string, name: string): Promise<WorkflowTemplate> =>
  request<WorkflowTemplate>(`${collection(scope, namespace)}/${enc(name)}`);

const scoped = (scope: TemplateScope, namespace: string, rest: Record<string, unknown>): Record<string, unknown> =>
  scope === 'cluster' ? rest : { namespace, ...rest };

export const createTemplate = (scope: TemplateScope, namespace: string, template: WorkflowTemplate): Promise<WorkflowTemplate> =>
  request<WorkflowTemplate>(collection(scope, namespace), { method: 'POST', body: scoped(scope, namespace, { template }) });

export const lintTemplate = (scope: TemplateScope, namespace: string, template: WorkflowTemplate): Promise<WorkflowTemplate> =>
  request<WorkflowTemplate>(`${collection(scope, namespace)}/lint`, { method: 'POST', body: scoped(scope, namespace, { template }) });

export const updateTemplate = (scope: TemplateScope, namespace: string, name: string, template: WorkflowTemplate): Promise<WorkflowTemplate> =>
  request<WorkflowTemplate>(`${collection(scope, namespace)}/${enc(name)}`, { method: 'PUT', body: scoped(scope, namespace, { name, template }) });

export const deleteTemplate = (scope: TemplateScope, namespace: string, name: string): Promise<unknown> =>
  request(`${collection(scope, namespace)}/${enc(name)}`, { method: 'DELETE' });

/** The `resourceKind` values SubmitWorkflow accepts. */
export type SubmittableKind = 'WorkflowTemplate' | 'ClusterWorkflowTemplate' | 'CronWorkflow';

export interface SubmitOptions {
  entryPoint?: string;
  /** `name=value` pairs. */
  parameters?: string[];
  /** Comma-separated `key=value` labels. */
  labels?: string;
  generateName?: string;
  serviceAccount?: string;
}

/** POST /api/v1/workflows/{ns}/submit: creates a Workflow from a template or cron workflow. */
export const submitFrom = (namespace: string, resourceKind: SubmittableKind, resourceName: string, submitOptions: SubmitOptions): Promise<Workflow> =>
  request<Workflow>(`api/v1/workflows/${enc(namespace)}/submit`, {
    method: 'POST',
    body: { namespace, resourceKind, resourceName, submitOptions },
  });
