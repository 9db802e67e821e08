// Workflow summary: metadata, parameters, labels, conditions, resources duration, progress.

import type { Workflow } from '../api/types';
import { PhaseBadge } from '../components/PhaseBadge';
import { durationSeconds, estimatedRemaining, formatDuration, formatTime } from '../format';

function Facts({ entries }: { entries: [string, string][] }) {
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
          ['Message', s.message ?? '-'],
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
