// Submits a workflow from a WorkflowTemplate, ClusterWorkflowTemplate or CronWorkflow through
// SubmitWorkflow: entrypoint, a parameter form generated from the spec's arguments, and labels.
// On success it opens the new workflow.

import { useState } from 'react';
import type { WorkflowSpec } from '../api/types';
import { submitFrom, type SubmittableKind } from '../api/templates';
import { ErrorNotice } from '../components/ErrorNotice';
import { initialValues, ParameterForm } from '../components/ParameterForm';
import { navigate } from '../routing';

interface Props {
  namespace: string;
  kind: SubmittableKind;
  name: string;
  spec: WorkflowSpec;
  /** Lets the user pick the namespace (cluster templates are not in one). */
  chooseNamespace?: boolean;
}

/** The submit options' `parameters`: `name=value` for each form value. */
export function parameterPairs(values: Record<string, string>): string[] {
  return Object.entries(values).map(([k, v]) => `${k}=${v}`);
}

export function SubmitFromResource({ namespace: initialNamespace, kind, name, spec, chooseNamespace = false }: Props) {
  const [namespace, setNamespace] = useState(initialNamespace);
  const parameters = spec.arguments?.parameters ?? [];
  const [values, setValues] = useState(() => initialValues(parameters));
  const [entryPoint, setEntryPoint] = useState(spec.entrypoint ?? '');
  const [labels, setLabels] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const templates = (spec.templates ?? []).map((t) => t.name);

  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const created = await submitFrom(namespace, kind, name, {
        entryPoint: entryPoint || undefined,
        parameters: parameters.length > 0 ? parameterPairs(values) : undefined,
        labels: labels.trim() || undefined,
      });
      navigate(`/workflows/${encodeURIComponent(created.metadata.namespace ?? namespace)}/${encodeURIComponent(created.metadata.name ?? '')}`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="submit-from" aria-label={`Submit from ${name}`} onSubmit={(e) => { e.preventDefault(); void submit(); }}>
      {chooseNamespace && (
        <label>
          Namespace
          <input value={namespace} onChange={(e) => setNamespace(e.target.value)} />
        </label>
      )}
      <label>
        Entrypoint
        <select value={entryPoint} onChange={(e) => setEntryPoint(e.target.value)}>
          {!templates.includes(entryPoint) && <option value={entryPoint}>{entryPoint || '(default)'}</option>}
          {templates.map((t) => <option key={t} value={t}>{t}</option>)}
        </select>
      </label>
      <ParameterForm parameters={parameters} values={values} onChange={setValues} />
      <label>
        Labels
        <input value={labels} placeholder="key=value,..." onChange={(e) => setLabels(e.target.value)} />
      </label>
      <ErrorNotice error={error} />
      <div className="actions">
        <button type="submit" disabled={busy}>Submit</button>
      </div>
    </form>
  );
}
