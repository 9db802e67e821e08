// CronWorkflows of a namespace: schedule, time zone, suspended or active, last and next run, and
// a create-from-YAML panel (`?new=true`).

import { useEffect, useState } from 'react';
import { deliverUnlessCancelled } from '../api/delivery';
import { createCronWorkflow, lintCronWorkflow, listCronWorkflows } from '../api/cron';
import type { CronWorkflow } from '../api/resourceTypes';
import { ErrorNotice } from '../components/ErrorNotice';
import { ResourceEditor } from '../components/ResourceEditor';
import { formatTime } from '../format';
import { Link, navigate, useRoute } from '../routing';
import { EXAMPLE_CRON, nextRunOf, scheduleProblem, schedulesOf } from './cronModel';

export function CronListPage({ namespace }: { namespace: string }) {
  const { query } = useRoute();
  const creating = query.get('new') === 'true';
  const labels = query.get('labels') ?? '';
  const [items, setItems] = useState<CronWorkflow[]>();
  const [error, setError] = useState<unknown>();
  const [ns, setNs] = useState(namespace);
  const [labelInput, setLabelInput] = useState(labels);
  const [now] = useState(() => Date.now());

  useEffect(() => {
    setItems(undefined);
    return deliverUnlessCancelled(
      listCronWorkflows(namespace, labels.split(',')),
      (l) => { setItems(l.items ?? []); setError(undefined); },
      setError,
    );
  }, [namespace, labels]);
  useEffect(() => {
    document.title = 'Cron workflows · Argo Workflows';
  }, []);

  const go = (q: Record<string, string>, targetNs = namespace) => {
    const text = new URLSearchParams(Object.entries(q).filter(([, v]) => v !== '')).toString();
    navigate(`/cron-workflows/${encodeURIComponent(targetNs)}${text ? `?${text}` : ''}`, { replace: targetNs === namespace });
  };

  return (
    <main className="page">
      <header className="page-header">
        <h1>Cron workflows in {namespace}</h1>
        <button type="button" aria-expanded={creating} onClick={() => go({ labels, new: creating ? '' : 'true' })}>
          {creating ? 'Close editor' : 'Create new CronWorkflow'}
        </button>
      </header>
      {creating && (
        <section aria-label="New CronWorkflow" className="panel">
          <h2>New CronWorkflow</h2>
          <ResourceEditor<CronWorkflow>
            kind="CronWorkflow"
            validate={scheduleProblem}
            initialText={EXAMPLE_CRON}
            lint={(c) => lintCronWorkflow(namespace, c)}
            save={(c) => createCronWorkflow(namespace, c)}
            saveLabel="Create"
            onSaved={(c) => navigate(`/cron-workflows/${encodeURIComponent(c.metadata.namespace ?? namespace)}/${encodeURIComponent(c.metadata.name ?? '')}`)}
          />
        </section>
      )}
      <form className="filters" aria-label="Cron workflow filters" onSubmit={(e) => { e.preventDefault(); go({ labels: labelInput }, ns); }}>
        <label>Namespace<input value={ns} onChange={(e) => setNs(e.target.value)} /></label>
        <label>Labels<input value={labelInput} placeholder="key=value,..." onChange={(e) => setLabelInput(e.target.value)} /></label>
        <button type="submit">Apply</button>
      </form>
      <ErrorNotice error={error} />
      <div className="table-wrap">
        <table aria-busy={items === undefined}>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Schedule</th>
              <th scope="col">Time zone</th>
              <th scope="col">Status</th>
              <th scope="col">Last run</th>
              <th scope="col">Next run</th>
            </tr>
          </thead>
          <tbody>
            {(items ?? []).map((c) => {
              const name = c.metadata.name ?? '';
              const next = nextRunOf(c, now);
              return (
                <tr key={c.metadata.uid ?? name}>
                  <td><Link to={`/cron-workflows/${encodeURIComponent(c.metadata.namespace ?? namespace)}/${encodeURIComponent(name)}`}>{name}</Link></td>
                  <td><code>{schedulesOf(c).join(', ')}</code></td>
                  <td>{c.spec.timezone || 'UTC'}</td>
                  <td>{c.spec.suspend ? 'Suspended' : 'Active'}</td>
                  <td>{formatTime(c.status?.lastScheduledTime)}</td>
                  <td>{c.spec.suspend ? '-' : typeof next === 'number' ? formatTime(new Date(next).toISOString()) : next}</td>
                </tr>
              );
            })}
            {items?.length === 0 && <tr><td colSpan={6}>No cron workflows found.</td></tr>}
          </tbody>
        </table>
      </div>
    </main>
  );
}
