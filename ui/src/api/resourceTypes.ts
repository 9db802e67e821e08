// JSON shapes of the template, cron, archive and event-binding resources the pages read. Only the
// fields the UI uses are typed; everything the server may omit is optional. No behaviour here.

import type { Condition, ListMeta, ObjectMeta, Parameter, WorkflowSpec } from './types';

export interface WorkflowTemplate {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: WorkflowSpec;
}

export interface WorkflowTemplateList {
  metadata?: ListMeta;
  items?: WorkflowTemplate[] | null;
}

export interface CronWorkflowSpec {
  /** Dropped in Argo v4 in favour of `schedules`; still read from older objects. */
  schedule?: string;
  schedules?: string[];
  timezone?: string;
  suspend?: boolean;
  concurrencyPolicy?: string;
  startingDeadlineSeconds?: number;
  successfulJobsHistoryLimit?: number;
  failedJobsHistoryLimit?: number;
  when?: string;
  stopStrategy?: { expression?: string };
  workflowSpec: WorkflowSpec;
  workflowMetadata?: ObjectMeta;
}

export interface ObjectReference {
  name?: string;
  namespace?: string;
  uid?: string;
}

export interface CronWorkflowStatus {
  active?: ObjectReference[] | null;
  lastScheduledTime?: string;
  conditions?: Condition[];
  succeeded?: number;
  failed?: number;
  phase?: string;
}

export interface CronWorkflow {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: CronWorkflowSpec;
  status?: CronWorkflowStatus;
}

export interface CronWorkflowList {
  metadata?: ListMeta;
  items?: CronWorkflow[] | null;
}

export interface EventBindingParameter extends Parameter {
  valueFrom?: { event?: string; default?: string };
}

export interface WorkflowEventBinding {
  metadata: ObjectMeta;
  spec: {
    event: { selector: string };
    submit?: {
      workflowTemplateRef: { name: string; clusterScope?: boolean };
      arguments?: { parameters?: EventBindingParameter[] };
      metadata?: ObjectMeta;
    };
  };
}

export interface WorkflowEventBindingList {
  metadata?: ListMeta;
  items?: WorkflowEventBinding[] | null;
}

export interface LabelKeys {
  items?: string[] | null;
}

export interface LabelValues {
  items?: string[] | null;
}
