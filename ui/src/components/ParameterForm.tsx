// A form row per workflow parameter: enums become dropdowns, others text inputs; descriptions are
// rendered as safe Markdown. Controlled: values live with the caller.

import type { Parameter } from '../api/types';
import { Markdown } from '../markdown/Markdown';

interface Props {
  parameters: Parameter[];
  values: Record<string, string>;
  onChange: (values: Record<string, string>) => void;
}

/** The starting value of each parameter: its value, else its default, else its first enum entry. */
export function initialValues(parameters: Parameter[]): Record<string, string> {
  return Object.fromEntries(parameters.map((p) => [p.name, p.value ?? p.default ?? p.enum?.[0] ?? '']));
}

export function ParameterForm({ parameters, values, onChange }: Props) {
  if (parameters.length === 0) return <p className="muted">This template takes no parameters.</p>;
  return (
    <fieldset className="parameters">
      <legend>Parameters</legend>
      {parameters.map((p) => {
        const id = `param-${p.name}`;
        const set = (v: string) => onChange({ ...values, [p.name]: v });
        return (
          <div key={p.name} className="parameter">
            <label htmlFor={id}>{p.name}</label>
            {p.enum && p.enum.length > 0 ? (
              <select id={id} value={values[p.name] ?? ''} onChange={(e) => set(e.target.value)}>
                {p.enum.map((v) => <option key={v} value={v}>{v}</option>)}
              </select>
            ) : (
              <input id={id} value={values[p.name] ?? ''} onChange={(e) => set(e.target.value)} />
            )}
            {p.description && <Markdown inline text={p.description} className="muted" />}
          </div>
        );
      })}
    </fieldset>
  );
}
