// Create or update a resource from YAML: parse errors show at their line as you type; Save lints
// on the server first and places its message on a line when it can. The API calls are passed in,
// so one editor serves templates, cluster templates and cron workflows.

import { useMemo, useState } from 'react';
import type { ObjectMeta } from '../api/types';
import { locateMessage, parseResource, type Problem } from '../submit/manifest';
import { ManifestEditor } from './ManifestEditor';

interface Props<T> {
  kind: string;
  initialText: string;
  lint: (value: T) => Promise<unknown>;
  save: (value: T) => Promise<T>;
  saveLabel: string;
  onSaved: (saved: T) => void;
  /** A check of the parsed value before the server sees it (e.g. cron schedules). */
  validate?: (value: T, text: string) => Problem | undefined;
}

export function ResourceEditor<T extends { metadata: ObjectMeta }>({ kind, initialText, lint, save, saveLabel, onSaved, validate }: Props<T>) {
  const [text, setText] = useState(initialText);
  const [serverProblem, setServerProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  const parsed = useMemo(() => parseResource<T>(text, kind), [text, kind]);
  const localProblem = parsed.problem ?? (parsed.value && validate ? validate(parsed.value, text) : undefined);
  const problems = localProblem ? [localProblem] : serverProblem ? [serverProblem] : [];

  const run = async () => {
    if (!parsed.value || localProblem) return;
    setBusy(true);
    setServerProblem(undefined);
    try {
      await lint(parsed.value);
      onSaved(await save(parsed.value));
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      setServerProblem({ message, line: locateMessage(text, message) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="resource-editor">
      <ManifestEditor id={`${kind}-manifest`} label={`${kind} manifest (YAML)`} text={text} problems={problems}
        onChange={(t) => { setText(t); setServerProblem(undefined); }} />
      <div className="actions">
        <button type="button" onClick={() => void run()} disabled={busy || !parsed.value || localProblem !== undefined}>{saveLabel}</button>
      </div>
    </div>
  );
}
