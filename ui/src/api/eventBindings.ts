// REST call of EventService.ListWorkflowEventBindings. No caching, no UI state.

import { request } from './client';
import type { WorkflowEventBindingList } from './resourceTypes';

export const listEventBindings = (namespace: string): Promise<WorkflowEventBindingList> =>
  request<WorkflowEventBindingList>(`api/v1/workflow-event-bindings/${encodeURIComponent(namespace)}`);
