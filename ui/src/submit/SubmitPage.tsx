// Submit from YAML: an editor with line numbers; YAML errors show at their line as you type, and
// the server's lint API checks the manifest before it is created.

import { useEffect, useState } from 'react';
import { createWorkflow, lintWorkflow } from '../api/workflows';
import { navigate } from '../routing';
import { EXAMPLE_WORKFLOW, locateMessage, parseManifest, type Problem } from './manifest';

export function SubmitPage({ namespace }: { namespace: string }) {
  const [text, setText] = useState(EXAMPLE_WORKFLOW);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [linted, setLinted] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const { problem } = parseManifest(text);
    setProblems(problem ? [problem] : []);
    setLinted(false);
  }, [text]);

  const serverProblem = (e: unknown): Problem => {
    const message = e instanceof Error ? e.message : String(e);
    return { message, line: locateMessage(text, message) };
  };

  const lint = async (): Promise<boolean> => {
    const { workflow, problem } = parseManifest(text);
    if (!workflow) {
      setProblems(problem ? [problem] : []);
      return false;
    }
    try {
      await lintWorkflow(namespace, workflow);
      setProblems([]);
      setLinted(true);
      return true;
    } catch (e) {
      setProblems([serverProblem(e)]);
      return false;
    }
  };

  const submit = async () => {
    setBusy(true);
    try {
      if (!(await lint())) return;
      const { workflow } = parseManifest(text);
      if (!workflow) return;
      const created = await createWorkflow(namespace, workflow);
      navigate(`/workflows/${encodeURIComponent(created.metadata.namespace ?? namespace)}/${encodeURIComponent(created.metadata.name ?? '')}`);
    } catch (e) {
      setProblems([serverProblem(e)]);
    } finally {
      setBusy(false);
    }
  };

  const lineCount = text.split('\n').length;
  const badLines = new Set(problems.map((p) => p.line).filter((l): l is number => l !== undefined));

  return (
    <main className="page">
      <h1>Submit a workflow to {namespace}</h1>
      <div className="editor">
        <pre className="gutter" aria-hidden="true">
          {Array.from({ length: lineCount }, (_, i) => (
            <span key={i} className={badLines.has(i + 1) ? 'bad' : undefined}>{i + 1}{'\n'}</span>
          ))}
        </pre>
        <label htmlFor="manifest" className="visually-hidden">Workflow manifest (YAML)</label>
        <textarea id="manifest" spellCheck={false} value={text} rows={Math.max(16, lineCount + 1)}
          aria-invalid={problems.length > 0} aria-describedby="manifest-problems" onChange={(e) => setText(e.target.value)} />
      </div>
      <ul id="manifest-problems" className="problems" aria-live="polite">
        {problems.map((p, i) => (
          <li key={i} role="alert">{p.line !== undefined ? `Line ${p.line}: ` : ''}{p.message}</li>
        ))}
        {linted && problems.length === 0 && <li>The server found no problems.</li>}
      </ul>
      <div className="actions">
        <button type="button" className="secondary" onClick={() => void lint()} disabled={busy}>Lint</button>
        <button type="button" onClick={() => void submit()} disabled={busy || problems.some((p) => p.line !== undefined && !linted && parseManifest(text).problem !== undefined)}>Submit</button>
      </div>
    </main>
  );
}
