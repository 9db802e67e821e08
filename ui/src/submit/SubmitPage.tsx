// Submit from YAML (an editor with line numbers; YAML errors show at their line as you type, and
// the server's lint API checks the manifest before it is created) or from a template with a
// generated parameter form (`?from=template&kind=…&name=…`).

import { useEffect, useState } from 'react';
import { createWorkflow, lintWorkflow } from '../api/workflows';
import type { SubmittableKind } from '../api/templates';
import { ManifestEditor } from '../components/ManifestEditor';
import { navigate, useRoute } from '../routing';
import { EXAMPLE_WORKFLOW, locateMessage, parseManifest, type Problem } from './manifest';
import { TemplatePicker } from './TemplatePicker';

function kindParam(value: string | null): SubmittableKind | undefined {
  return value === 'WorkflowTemplate' || value === 'ClusterWorkflowTemplate' || value === 'CronWorkflow' ? value : undefined;
}

export function SubmitPage({ namespace }: { namespace: string }) {
  const { query } = useRoute();
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

  const mode = query.get('from') === 'template' ? 'template' : 'yaml';
  const setMode = (m: 'yaml' | 'template') => navigate(`/submit/${encodeURIComponent(namespace)}${m === 'template' ? '?from=template' : ''}`, { replace: true });

  return (
    <main className="page">
      <h1>Submit a workflow to {namespace}</h1>
      <div role="tablist" aria-label="Submit from" className="tabs">
        <button type="button" role="tab" aria-selected={mode === 'yaml'} onClick={() => setMode('yaml')}>From YAML</button>
        <button type="button" role="tab" aria-selected={mode === 'template'} onClick={() => setMode('template')}>From template</button>
      </div>
      {mode === 'template' ? (
        <TemplatePicker namespace={namespace} initialKind={kindParam(query.get('kind'))} initialName={query.get('name') ?? undefined} />
      ) : (
        <>
          <ManifestEditor id="manifest" label="Workflow manifest (YAML)" text={text} problems={problems} onChange={setText}
            note={linted ? 'The server found no problems.' : undefined} />
          <div className="actions">
            <button type="button" className="secondary" onClick={() => void lint()} disabled={busy}>Lint</button>
            <button type="button" onClick={() => void submit()} disabled={busy}>Submit</button>
          </div>
        </>
      )}
    </main>
  );
}
