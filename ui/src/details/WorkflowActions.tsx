// Workflow-level actions: retry, resubmit (optionally with new parameters), suspend, resume,
// stop, terminate, delete. Each calls the server and reports the outcome.

import { useState } from 'react';
import type { Workflow } from '../api/types';
import { deleteWorkflow, workflowAction, type WorkflowAction } from '../api/workflows';
import { ErrorNotice } from '../components/ErrorNotice';
import { navigate } from '../routing';

export function WorkflowActions({ workflow, onChanged }: { workflow: Workflow; onChanged: (w?: Workflow) => void }) {
  const [error, setError] = useState<unknown>();
  const [params, setParams] = useState<string>('');
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
        <form
          className="resubmit"
          onSubmit={(e) => {
            e.preventDefault();
            const parameters = params.split('\n').map((l) => l.trim()).filter(Boolean);
            run('resubmit', parameters.length > 0 ? { parameters } : {});
          }}
        >
          <label htmlFor="resubmit-params">Parameters (one name=value per line)</label>
          <textarea id="resubmit-params" rows={3} value={params} onChange={(e) => setParams(e.target.value)}
            placeholder={(workflow.spec.arguments?.parameters ?? []).map((p) => `${p.name}=${p.value ?? ''}`).join('\n')} />
          <button type="submit">Resubmit</button>
        </form>
      )}
      <ErrorNotice error={error} />
    </div>
  );
}
