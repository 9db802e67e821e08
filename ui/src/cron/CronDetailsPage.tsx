// One CronWorkflow: status (last run, active workflows, succeeded/failed counts, conditions),
// the next runs, suspend/resume, submit now (parameter form), its history (the workflows it
// created, by label), a YAML editor that updates it, and delete.

import { dump } from 'js-yaml';
import { useEffect, useState } from 'react';
import { deleteCronWorkflow, getCronWorkflow, lintCronWorkflow, resumeCronWorkflow, suspendCronWorkflow, updateCronWorkflow } from '../api/cron';
import type { CronWorkflow } from '../api/resourceTypes';
import { ErrorNotice } from '../components/ErrorNotice';
import { ResourceEditor } from '../components/ResourceEditor';
import { Description } from '../components/ResourceSummary';
import { formatTime } from '../format';
import { Link, navigate, useRoute } from '../routing';
import { SubmitFromResource } from '../submit/SubmitFromResource';
import { CronHistory } from './CronHistory';
import { scheduleProblem, schedulesOf, upcomingRuns } from './cronModel';

const TABS = ['summary', 'submit', 'history', 'yaml'] as const;
type Tab = (typeof TABS)[number];

function CronSummary({ cron, now }: { cron: CronWorkflow; now: number }) {
  const s = cron.status ?? {};
  const runs = cron.spec.suspend ? [] : upcomingRuns(cron, now, 5);
  const timezone = cron.spec.timezone || 'UTC';
  const inZone = (ms: number) => new Date(ms).toLocaleString(undefined, { timeZone: timezone, timeZoneName: 'short' });
  const ns = cron.metadata.namespace ?? '';
  const entries: [string, React.ReactNode][] = [
    ['Schedule', <code key="s">{schedulesOf(cron).join(', ')}</code>],
    ['Time zone', timezone],
    ['Status', cron.spec.suspend ? 'Suspended' : 'Active'],
    ['Concurrency policy', cron.spec.concurrencyPolicy || 'Allow'],
    ['Starting deadline', cron.spec.startingDeadlineSeconds !== undefined ? `${cron.spec.startingDeadlineSeconds}s` : '-'],
    ['Last scheduled', formatTime(s.lastScheduledTime)],
    ['Succeeded', String(s.succeeded ?? 0)],
    ['Failed', String(s.failed ?? 0)],
    ['Active', (s.active ?? []).length === 0 ? '-' : (
      <ul key="a">{(s.active ?? []).map((a) => (
        <li key={a.uid ?? a.name}><Link to={`/workflows/${encodeURIComponent(a.namespace ?? ns)}/${encodeURIComponent(a.name ?? '')}`}>{a.name}</Link></li>
      ))}</ul>
    )],
  ];
  return (
    <section aria-label="Summary" className="summary">
      <dl className="facts">
        {entries.map(([k, v]) => <div key={k}><dt>{k}</dt><dd>{v}</dd></div>)}
      </dl>
      <h3>Next runs</h3>
      {typeof runs === 'string' ? <p role="alert" className="error">{runs}</p> : runs.length === 0 ? <p>None while suspended.</p> : (
        <ol aria-label="Next runs">{runs.map((r) => <li key={r}>{inZone(r)}</li>)}</ol>
      )}
      {(s.conditions ?? []).length > 0 && (
        <>
          <h3>Conditions</h3>
          <dl className="facts">
            {(s.conditions ?? []).map((c) => <div key={c.type}><dt>{c.type}</dt><dd>{c.status}{c.message ? `: ${c.message}` : ''}</dd></div>)}
          </dl>
        </>
      )}
    </section>
  );
}

export function CronDetailsPage({ namespace, name }: { namespace: string; name: string }) {
  const { path, query } = useRoute();
  const tab: Tab = (TABS as readonly string[]).includes(query.get('tab') ?? '') ? (query.get('tab') as Tab) : 'summary';
  const [cron, setCron] = useState<CronWorkflow>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [now] = useState(() => Date.now());

  useEffect(() => {
    getCronWorkflow(namespace, name).then(setCron, setError);
  }, [namespace, name]);
  useEffect(() => {
    document.title = `${name} · Cron workflow · Argo Workflows`;
  }, [name]);

  const toggleSuspend = () => {
    if (!cron) return;
    setBusy(true);
    setError(undefined);
    (cron.spec.suspend ? resumeCronWorkflow : suspendCronWorkflow)(namespace, name)
      .then(setCron, setError)
      .finally(() => setBusy(false));
  };
  const remove = () => {
    if (!window.confirm(`Delete CronWorkflow ${name}?`)) return;
    deleteCronWorkflow(namespace, name).then(() => navigate(`/cron-workflows/${encodeURIComponent(namespace)}`), setError);
  };

  return (
    <main className="page">
      <header className="page-header">
        <h1>{name} <span className="tag">{cron?.spec.suspend ? 'suspended' : 'CronWorkflow'}</span></h1>
        <div className="actions" role="toolbar" aria-label="Cron workflow actions">
          {cron && (
            <button type="button" disabled={busy} onClick={toggleSuspend}>{cron.spec.suspend ? 'Resume' : 'Suspend'}</button>
          )}
          <button type="button" className="danger" onClick={remove}>Delete</button>
        </div>
      </header>
      <ErrorNotice error={error} />
      {cron && <Description metadata={cron.metadata} />}
      <div role="tablist" aria-label="Cron workflow views" className="tabs">
        {TABS.map((t) => (
          <button key={t} role="tab" type="button" aria-selected={tab === t}
            onClick={() => navigate(`${path}${t === 'summary' ? '' : `?tab=${t}`}`, { replace: true })}>
            {t === 'yaml' ? 'YAML' : t === 'submit' ? 'Submit now' : t[0]?.toUpperCase() + t.slice(1)}
          </button>
        ))}
      </div>
      {!cron && !error && <p>Loading…</p>}
      {cron && (
        <div role="tabpanel">
          {tab === 'summary' && <CronSummary cron={cron} now={now} />}
          {tab === 'submit' && <SubmitFromResource namespace={namespace} kind="CronWorkflow" name={name} spec={cron.spec.workflowSpec ?? {}} />}
          {tab === 'history' && <CronHistory namespace={namespace} name={name} />}
          {tab === 'yaml' && (
            <ResourceEditor<CronWorkflow>
              key={cron.metadata.resourceVersion ?? ''}
              kind="CronWorkflow"
              validate={scheduleProblem}
              initialText={dump(cron, { noRefs: true, lineWidth: 120 })}
              lint={(c) => lintCronWorkflow(namespace, c)}
              save={(c) => updateCronWorkflow(namespace, name, c)}
              saveLabel="Update"
              onSaved={setCron}
            />
          )}
        </div>
      )}
    </main>
  );
}
