// A YAML editor with line numbers: problems are listed below it and their lines marked in the
// gutter. Holds no state; the caller parses and lints.

import type { Problem } from '../submit/manifest';

interface Props {
  id: string;
  label: string;
  text: string;
  problems: Problem[];
  onChange: (text: string) => void;
  /** Shown when there are no problems (e.g. "The server found no problems."). */
  note?: string;
}

export function ManifestEditor({ id, label, text, problems, onChange, note }: Props) {
  const lineCount = text.split('\n').length;
  const badLines = new Set(problems.map((p) => p.line).filter((l): l is number => l !== undefined));
  return (
    <>
      <div className="editor">
        <pre className="gutter" aria-hidden="true">
          {Array.from({ length: lineCount }, (_, i) => (
            <span key={i} className={badLines.has(i + 1) ? 'bad' : undefined}>{i + 1}{'\n'}</span>
          ))}
        </pre>
        <label htmlFor={id} className="visually-hidden">{label}</label>
        <textarea id={id} spellCheck={false} value={text} rows={Math.max(16, lineCount + 1)}
          aria-invalid={problems.length > 0} aria-describedby={`${id}-problems`} onChange={(e) => onChange(e.target.value)} />
      </div>
      <ul id={`${id}-problems`} className="problems" aria-live="polite">
        {problems.map((p, i) => (
          <li key={i} role="alert">{p.line !== undefined ? `Line ${p.line}: ` : ''}{p.message}</li>
        ))}
        {note && problems.length === 0 && <li className="note">{note}</li>}
      </ul>
    </>
  );
}
