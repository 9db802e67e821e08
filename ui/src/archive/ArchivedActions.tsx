// Actions on an archived workflow: retry (the server restores it as a live workflow), resubmit
// (optionally memoized, with new parameters) and delete from the archive.

import { useState } from 'react';
import { deleteArchived, resubmitArchived, retryArchived } from '../api/archive';
import type { Workflow } from '../api/types';
import { ErrorNotice } from '../components/ErrorNotice';
import { navigate } from '../routing';

/** `name=value` lines typed by the user, blanks dropped. */
export function parameterLines(text: string): string[] {
  return text.split('\n').map((l) => l.trim()).filter(Boolean);
}

export function ArchivedActions({ workflow }: { workflow: Workflow }) {
  const [error, setError] = useState<unknown>();
  const [showResubmit, setShowResubmit] = useState(false);
  const [params, setParams] = useState('');
  const [memoized, setMemoized] = useState(false);
  const ns = workflow.metadata.namespace ?? '';
  const open = (w: Workflow) => navigate(`/workflows/${encodeURIComponent(w.metadata.namespace ?? ns)}/${encodeURIComponent(w.metadata.name ?? '')}`);
  const failed = workflow.status?.phase === 'Failed' || workflow.status?.phase === 'Error';

  return (
    <div className="actions" role="toolbar" aria-label="Archived workflow actions">
      <button type="button" disabled={!failed} title={failed ? undefined : 'Only failed or errored workflows can be retried'}
        onClick={() => { setError(undefined); retryArchived(workflow).then(open, setError); }}>
        Retry
      </button>
      <button type="button" aria-expanded={showResubmit} onClick={() => setShowResubmit((s) => !s)}>Resubmit</button>
      <button type="button" className="danger" onClick={() => {
        if (!window.confirm(`Delete archived workflow ${workflow.metadata.name ?? ''}?`)) return;
        deleteArchived(workflow.metadata.uid ?? '').then(() => navigate(`/archived-workflows/${encodeURIComponent(ns)}`), setError);
      }}>
        Delete
      </button>
      {showResubmit && (
        <form className="resubmit" onSubmit={(e) => {
          e.preventDefault();
          const parameters = parameterLines(params);
          resubmitArchived(workflow, { memoized, parameters: parameters.length > 0 ? parameters : undefined }).then(open, setError);
        }}>
          <label htmlFor="archived-resubmit-params">Parameters (one name=value per line)</label>
          <textarea id="archived-resubmit-params" rows={3} value={params} onChange={(e) => setParams(e.target.value)}
            placeholder={(workflow.spec.arguments?.parameters ?? []).map((p) => `${p.name}=${p.value ?? ''}`).join('\n')} />
          <label className="inline"><input type="checkbox" checked={memoized} onChange={(e) => setMemoized(e.target.checked)} />Memoized</label>
          <button type="submit">Resubmit</button>
        </form>
      )}
      <ErrorNotice error={error} />
    </div>
  );
}
