// Workflow-level actions: retry, resubmit (a parameter form prefilled with the values it ran with;
// memoized optional), suspend, resume,
// stop, terminate, delete. Each calls the server and reports the outcome.

import { useState } from 'react';
import type { Workflow } from '../api/types';
import { deleteWorkflow, workflowAction, type WorkflowAction } from '../api/workflows';
import { ErrorNotice } from '../components/ErrorNotice';
import { ResubmitForm } from '../components/ResubmitForm';
import { navigate } from '../routing';

export function WorkflowActions({ workflow, onChanged }: { workflow: Workflow; onChanged: (w?: Workflow) => void }) {
  const [error, setError] = useState<unknown>();
  const [showResubmit, setShowResubmit] = useState(false);
  const ns = workflow.metadata.namespace ?? '';
  const name = workflow.metadata.name ?? '';
  const running = !workflow.status?.finishedAt;

  const run = (action: WorkflowAction, body: Record<string, unknown> = {}) => {
    setError(undefined);
    workflowAction(ns, name, action, body).then((w) => {
      if (action === 'resubmit' && w.metadata.name) navigate(`/workflows/${encodeURIComponent(ns)}/${encodeURIComponent(w.metadata.name)}`);
      else onChanged(w);
    }, setError);
  };

  return (
    <div className="actions" role="toolbar" aria-label="Workflow actions">
      <button type="button" disabled={running} onClick={() => run('retry')}>Retry</button>
      <button type="button" onClick={() => setShowResubmit((s) => !s)} aria-expanded={showResubmit}>Resubmit</button>
      <button type="button" disabled={!running} onClick={() => run('suspend')}>Suspend</button>
      <button type="button" disabled={!running} onClick={() => run('resume')}>Resume</button>
      <button type="button" disabled={!running} onClick={() => run('stop')}>Stop</button>
      <button type="button" disabled={!running} onClick={() => run('terminate')}>Terminate</button>
      <button
        type="button"
        className="danger"
        onClick={() => {
          if (!window.confirm(`Delete workflow ${name}?`)) return;
          deleteWorkflow(ns, name).then(() => navigate(`/workflows/${encodeURIComponent(ns)}`), setError);
        }}
      >
        Delete
      </button>
      {showResubmit && (
        <ResubmitForm parameters={workflow.spec.arguments?.parameters ?? []}
          onSubmit={({ parameters, memoized }) => run('resubmit', { ...(parameters ? { parameters } : {}), ...(memoized ? { memoized } : {}) })} />
      )}
      <ErrorNotice error={error} />
    </div>
  );
}
