// The parts of a workflow spec every template-like page shows: description (safe Markdown),
// entrypoint, parameters, labels and the templates it defines. Display only.

import type { ObjectMeta, WorkflowSpec } from '../api/types';
import { DESCRIPTION_ANNOTATION, Markdown, TITLE_ANNOTATION } from '../markdown/Markdown';

function Facts({ entries }: { entries: [string, React.ReactNode][] }) {
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

/** The title and description annotations, as Markdown. */
export function Description({ metadata }: { metadata: ObjectMeta }) {
  const title = metadata.annotations?.[TITLE_ANNOTATION];
  const description = metadata.annotations?.[DESCRIPTION_ANNOTATION];
  if (!title && !description) return null;
  return (
    <div className="description">
      {title && <p className="title"><Markdown inline text={title} /></p>}
      {description && <Markdown text={description} />}
    </div>
  );
}

export function SpecSummary({ metadata, spec }: { metadata: ObjectMeta; spec: WorkflowSpec }) {
  const kindOf = (t: NonNullable<WorkflowSpec['templates']>[number]): string =>
    (['container', 'script', 'dag', 'steps', 'suspend', 'resource', 'http', 'containerSet', 'data'] as const).find((k) => k in t) ?? '-';
  return (
    <section aria-label="Summary" className="summary">
      <Facts entries={[
        ['Name', metadata.name ?? ''],
        ['Namespace', metadata.namespace ?? '-'],
        ['Entrypoint', spec.entrypoint ?? '-'],
        ['Created', metadata.creationTimestamp ?? '-'],
      ]} />
      <h3>Parameters</h3>
      <Facts entries={(spec.arguments?.parameters ?? []).map((p) => [
        p.name,
        <>{p.value ?? p.default ?? ''}{p.enum ? ` (one of ${p.enum.join(', ')})` : ''}{p.description && <> — <Markdown inline text={p.description} /></>}</>,
      ])} />
      <h3>Labels</h3>
      <Facts entries={Object.entries(metadata.labels ?? {})} />
      <h3>Templates</h3>
      <Facts entries={(spec.templates ?? []).map((t) => [t.name, kindOf(t)])} />
    </section>
  );
}
