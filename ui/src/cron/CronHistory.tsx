// The workflows a CronWorkflow created (live and archived), found by the controller's label.

import { useEffect, useState } from 'react';
import type { Workflow } from '../api/types';
import { listArchivedWorkflows, listWorkflows } from '../api/workflows';
import { ErrorNotice } from '../components/ErrorNotice';
import { PhaseBadge } from '../components/PhaseBadge';
import { formatTime } from '../format';
import { Link } from '../routing';
import { mergeRows } from '../workflows/listModel';
import { CRON_LABEL } from './cronModel';

export function CronHistory({ namespace, name }: { namespace: string; name: string }) {
  const [rows, setRows] = useState<{ workflow: Workflow; archived: boolean }[]>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    const filter = { namespace, labels: [`${CRON_LABEL}=${name}`] };
    Promise.all([listWorkflows(filter), listArchivedWorkflows(filter).catch(() => ({ items: [] }))]).then(
      ([live, archived]) => setRows(mergeRows(live.items ?? [], archived.items ?? [])),
      setError,
    );
  }, [namespace, name]);
  return (
    <section aria-label="History">
      <ErrorNotice error={error} />
      <table aria-busy={rows === undefined}>
        <thead><tr><th scope="col">Workflow</th><th scope="col">Phase</th><th scope="col">Started</th></tr></thead>
        <tbody>
          {(rows ?? []).map(({ workflow: w, archived }) => {
            const ns = w.metadata.namespace ?? namespace;
            const to = archived && w.metadata.uid
              ? `/archived-workflows/${encodeURIComponent(ns)}/${encodeURIComponent(w.metadata.uid)}`
              : `/workflows/${encodeURIComponent(ns)}/${encodeURIComponent(w.metadata.name ?? '')}`;
            return (
              <tr key={w.metadata.uid ?? w.metadata.name}>
                <td><Link to={to}>{w.metadata.name}</Link>{archived && <span className="tag">archived</span>}</td>
                <td><PhaseBadge phase={w.status?.phase} /></td>
                <td>{formatTime(w.status?.startedAt)}</td>
              </tr>
            );
          })}
          {rows?.length === 0 && <tr><td colSpan={3}>This cron workflow has not run yet.</td></tr>}
        </tbody>
      </table>
    </section>
  );
}
