// Streams logs of a workflow or one pod, optionally following; keeps the last 10,000 lines. The
// container and grep can start from (and be reported to) the caller, which keeps them in the URL.

import { useEffect, useRef, useState } from 'react';
import { streamLogs } from '../api/workflows';
import { ErrorNotice } from '../components/ErrorNotice';

const MAX_LINES = 10_000;

export interface LogOptions {
  container?: string;
  grep?: string;
}

interface Props {
  namespace: string;
  name: string;
  podName?: string;
  containers?: string[];
  /** Where to start (e.g. from the URL); an unknown container falls back to the first. */
  options?: LogOptions;
  onOptions?: (options: LogOptions) => void;
}

export function LogsViewer({ namespace, name, podName, containers = ['main', 'init', 'wait'], options = {}, onOptions }: Props) {
  const [container, setContainerState] = useState(options.container && containers.includes(options.container) ? options.container : (containers[0] ?? 'main'));
  const [follow, setFollow] = useState(true);
  const [grep, setGrepState] = useState(options.grep ?? '');
  const setContainer = (next: string) => {
    setContainerState(next);
    onOptions?.({ container: next, grep });
  };
  const setGrep = (next: string) => {
    setGrepState(next);
    onOptions?.({ container, grep: next });
  };
  const [lines, setLines] = useState<string[]>([]);
  const [error, setError] = useState<unknown>();
  const [ended, setEnded] = useState(false);
  const bottom = useRef<HTMLDivElement>(null);

  useEffect(() => {
    setLines([]);
    setEnded(false);
    setError(undefined);
    return streamLogs(
      namespace,
      name,
      { podName, container, follow, grep: grep || undefined },
      (entry) => {
        const prefix = podName ? '' : `${entry.podName ?? ''}: `;
        setLines((l) => {
          const next = [...l, prefix + (entry.content ?? '')];
          return next.length > MAX_LINES ? next.slice(next.length - MAX_LINES) : next;
        });
      },
      setError,
      () => setEnded(true),
    );
  }, [namespace, name, podName, container, follow, grep]);

  useEffect(() => {
    if (follow && typeof bottom.current?.scrollIntoView === 'function') bottom.current.scrollIntoView({ block: 'end' });
  }, [lines, follow]);

  return (
    <section className="logs" aria-label="Logs">
      <div className="logs-toolbar">
        <label>
          Container
          <select value={container} onChange={(e) => setContainer(e.target.value)}>
            {containers.map((c) => <option key={c}>{c}</option>)}
          </select>
        </label>
        <label className="inline">
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> Follow
        </label>
        <label>
          Grep
          <input type="search" value={grep} onChange={(e) => setGrep(e.target.value)} />
        </label>
      </div>
      <ErrorNotice error={error} />
      <pre className="log-lines" tabIndex={0} aria-live={follow ? 'polite' : 'off'}>
        {lines.join('\n')}
        {lines.length === 0 && (ended ? 'No log lines.' : 'Waiting for logs…')}
        <div ref={bottom} />
      </pre>
    </section>
  );
}
