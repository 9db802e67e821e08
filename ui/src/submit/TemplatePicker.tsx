// "Submit from a template": pick the kind and the resource, then the generated parameter form.
// Lists come from the template and cron APIs; the submit itself is SubmitFromResource's.

import { useEffect, useState } from 'react';
import { getCronWorkflow, listCronWorkflows } from '../api/cron';
import { getTemplate, listTemplates, type SubmittableKind } from '../api/templates';
import type { WorkflowSpec } from '../api/types';
import { ErrorNotice } from '../components/ErrorNotice';
import { SubmitFromResource } from './SubmitFromResource';

const KINDS: SubmittableKind[] = ['WorkflowTemplate', 'ClusterWorkflowTemplate', 'CronWorkflow'];

async function names(kind: SubmittableKind, namespace: string): Promise<string[]> {
  const list =
    kind === 'CronWorkflow'
      ? await listCronWorkflows(namespace)
      : await listTemplates(kind === 'ClusterWorkflowTemplate' ? 'cluster' : 'namespaced', namespace);
  return (list.items ?? []).map((i) => i.metadata.name ?? '').filter(Boolean).sort();
}

async function workflowSpec(kind: SubmittableKind, namespace: string, name: string): Promise<WorkflowSpec> {
  if (kind === 'CronWorkflow') return (await getCronWorkflow(namespace, name)).spec.workflowSpec ?? {};
  return (await getTemplate(kind === 'ClusterWorkflowTemplate' ? 'cluster' : 'namespaced', namespace, name)).spec;
}

export function TemplatePicker({ namespace, initialKind, initialName }: { namespace: string; initialKind?: SubmittableKind; initialName?: string }) {
  const [kind, setKind] = useState<SubmittableKind>(initialKind ?? 'WorkflowTemplate');
  const [choices, setChoices] = useState<string[]>();
  const [name, setName] = useState(initialName ?? '');
  const [spec, setSpec] = useState<WorkflowSpec>();
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    setChoices(undefined);
    names(kind, namespace).then((n) => { setChoices(n); setError(undefined); }, setError);
  }, [kind, namespace]);

  useEffect(() => {
    setSpec(undefined);
    if (!name) return;
    workflowSpec(kind, namespace, name).then(setSpec, setError);
  }, [kind, namespace, name]);

  return (
    <section aria-label="Submit from a template">
      <div className="filters">
        <label>
          Kind
          <select value={kind} onChange={(e) => { setKind(e.target.value as SubmittableKind); setName(''); }}>
            {KINDS.map((k) => <option key={k} value={k}>{k}</option>)}
          </select>
        </label>
        <label>
          Template
          <select value={name} onChange={(e) => setName(e.target.value)} disabled={!choices}>
            <option value="">{choices && choices.length === 0 ? 'none found' : 'choose…'}</option>
            {(choices ?? []).map((n) => <option key={n} value={n}>{n}</option>)}
          </select>
        </label>
      </div>
      <ErrorNotice error={error} />
      {spec && name && <SubmitFromResource key={`${kind}/${name}`} namespace={namespace} kind={kind} name={name} spec={spec} />}
    </section>
  );
}
