// Workflow summary: metadata, parameters, labels, conditions, resources duration, progress; the
// status message is rendered as safe Markdown.

import type { ReactNode } from 'react';
import type { Workflow } from '../api/types';
import { PhaseBadge } from '../components/PhaseBadge';
import { Markdown } from '../markdown/Markdown';
import { Link } from '../routing';
import { durationSeconds, estimatedRemaining, formatDuration, formatTime } from '../format';

function Facts({ entries }: { entries: [string, ReactNode][] }) {
  return (
    <dl className="facts">
      {entries.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

const CRON_LABEL = 'workflows.argoproj.io/cron-workflow';

/** A link to the template or cron workflow this workflow came from, or '-'. */
function CreatedFrom({ workflow }: { workflow: Workflow }) {
  const ns = encodeURIComponent(workflow.metadata.namespace ?? '');
  const cron = workflow.metadata.labels?.[CRON_LABEL];
  if (cron) return <>CronWorkflow <Link to={`/cron-workflows/${ns}/${encodeURIComponent(cron)}`}>{cron}</Link></>;
  const ref = workflow.spec.workflowTemplateRef;
  if (!ref) return <>-</>;
  return ref.clusterScope
    ? <>ClusterWorkflowTemplate <Link to={`/cluster-workflow-templates/${encodeURIComponent(ref.name)}`}>{ref.name}</Link></>
    : <>WorkflowTemplate <Link to={`/workflow-templates/${ns}/${encodeURIComponent(ref.name)}`}>{ref.name}</Link></>;
}

export function Summary({ workflow }: { workflow: Workflow }) {
  const s = workflow.status ?? {};
  const m = workflow.metadata;
  const remaining = s.finishedAt ? undefined : estimatedRemaining(s.startedAt, s.estimatedDuration);
  return (
    <section aria-label="Summary" className="summary">
      <h2>Summary <PhaseBadge phase={s.phase} /></h2>
      <Facts
        entries={[
          ['Name', m.name ?? ''],
          ['Namespace', m.namespace ?? ''],
          ['Created', formatTime(m.creationTimestamp)],
          ['Started', formatTime(s.startedAt)],
          ['Finished', formatTime(s.finishedAt)],
          ['Duration', formatDuration(durationSeconds(s.startedAt, s.finishedAt))],
          ['Estimated remaining', formatDuration(remaining)],
          ['Progress', s.progress ?? '-'],
          ['Message', s.message ? <Markdown inline text={s.message} /> : '-'],
          ['Created from', <CreatedFrom key="from" workflow={workflow} />],
          ['Resources duration', Object.entries(s.resourcesDuration ?? {}).map(([k, v]) => `${formatDuration(v)} × ${k}`).join(', ') || '-'],
        ]}
      />
      <h3>Parameters</h3>
      <Facts entries={(workflow.spec.arguments?.parameters ?? []).map((p) => [p.name, p.value ?? p.default ?? ''])} />
      <h3>Labels</h3>
      <Facts entries={Object.entries(m.labels ?? {})} />
      <h3>Conditions</h3>
      <Facts entries={(s.conditions ?? []).map((c) => [c.type, `${c.status}${c.message ? `: ${c.message}` : ''}`])} />
    </section>
  );
}
