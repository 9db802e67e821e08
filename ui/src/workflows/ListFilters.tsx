// The filter bar of the workflows list: namespace, phases, labels, name, date range, page size.

import { useState } from 'react';
import { PHASES, type ListParams } from './listModel';

interface Props {
  namespace: string;
  params: ListParams;
  onNamespace: (ns: string) => void;
  onChange: (p: ListParams) => void;
}

export function ListFilters({ namespace, params, onNamespace, onChange }: Props) {
  const [ns, setNs] = useState(namespace);
  const [labels, setLabels] = useState(params.labels.join(','));
  const [name, setName] = useState(params.name);
  return (
    <form
      className="filters"
      aria-label="Workflow filters"
      onSubmit={(e) => {
        e.preventDefault();
        if (ns !== namespace) onNamespace(ns);
        onChange({ ...params, name, labels: labels.split(',').map((l) => l.trim()).filter(Boolean) });
      }}
    >
      <label>
        Namespace
        <input value={ns} onChange={(e) => setNs(e.target.value)} />
      </label>
      <fieldset>
        <legend>Phase</legend>
        {PHASES.map((phase) => (
          <label key={phase} className="inline">
            <input
              type="checkbox"
              checked={params.phases.includes(phase)}
              onChange={(e) =>
                onChange({ ...params, phases: e.target.checked ? [...params.phases, phase] : params.phases.filter((p) => p !== phase) })
              }
            />
            {phase}
          </label>
        ))}
      </fieldset>
      <label>
        Labels
        <input value={labels} placeholder="key=value,..." onChange={(e) => setLabels(e.target.value)} />
      </label>
      <label>
        Name contains
        <input type="search" value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        Created after
        <input type="date" value={params.createdAfter.slice(0, 10)}
          onChange={(e) => onChange({ ...params, createdAfter: e.target.value ? new Date(e.target.value).toISOString() : '' })} />
      </label>
      <label>
        Finished before
        <input type="date" value={params.finishedBefore.slice(0, 10)}
          onChange={(e) => onChange({ ...params, finishedBefore: e.target.value ? new Date(e.target.value).toISOString() : '' })} />
      </label>
      <label>
        Page size
        <select value={params.limit} onChange={(e) => onChange({ ...params, limit: Number(e.target.value) })}>
          {[20, 50, 100, 500].map((n) => (
            <option key={n} value={n}>{n}</option>
          ))}
        </select>
      </label>
      <button type="submit">Apply</button>
    </form>
  );
}
