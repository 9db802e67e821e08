// The resubmit form of a live or archived workflow: its parameters prefilled with the values it
// ran with (enums as dropdowns), and "memoized". Only the parameters the user changed are sent,
// as `name=value`, which is what Argo's resubmit takes. Must not call the server itself.

import { useState } from 'react';
import type { Parameter } from '../api/types';
import { initialValues, ParameterForm } from './ParameterForm';

export interface ResubmitChoice {
  parameters?: string[];
  memoized: boolean;
}

/** `name=value` for each parameter whose value differs from the one the workflow ran with. */
export function changedParameters(parameters: Parameter[], values: Record<string, string>): string[] {
  const before = initialValues(parameters);
  return parameters.filter((p) => values[p.name] !== undefined && values[p.name] !== before[p.name]).map((p) => `${p.name}=${values[p.name]}`);
}

export function ResubmitForm({ parameters, onSubmit }: { parameters: Parameter[]; onSubmit: (choice: ResubmitChoice) => void }) {
  const [values, setValues] = useState(() => initialValues(parameters));
  const [memoized, setMemoized] = useState(false);
  return (
    <form className="resubmit" aria-label="Resubmit" onSubmit={(e) => {
      e.preventDefault();
      const changed = changedParameters(parameters, values);
      onSubmit({ memoized, parameters: changed.length > 0 ? changed : undefined });
    }}>
      {parameters.length > 0 ? (
        <ParameterForm parameters={parameters} values={values} onChange={setValues} />
      ) : (
        <p className="muted">This workflow has no parameters; it runs again as it was.</p>
      )}
      <label className="inline"><input type="checkbox" checked={memoized} onChange={(e) => setMemoized(e.target.checked)} />Memoized</label>
      <button type="submit">Resubmit</button>
    </form>
  );
}
