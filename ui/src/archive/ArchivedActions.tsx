// Actions on an archived workflow: retry (the server restores it as a live workflow), resubmit
// (optionally memoized, with new parameters) and delete from the archive.

import { useState } from 'react';
import { deleteArchived, resubmitArchived, retryArchived } from '../api/archive';
import type { Workflow } from '../api/types';
import { ErrorNotice } from '../components/ErrorNotice';
import { ResubmitForm } from '../components/ResubmitForm';
import { navigate } from '../routing';

export function ArchivedActions({ workflow }: { workflow: Workflow }) {
  const [error, setError] = useState<unknown>();
  const [showResubmit, setShowResubmit] = useState(false);
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
        <ResubmitForm parameters={workflow.spec.arguments?.parameters ?? []}
          onSubmit={(choice) => resubmitArchived(workflow, choice).then(open, setError)} />
      )}
      <ErrorNotice error={error} />
    </div>
  );
}
