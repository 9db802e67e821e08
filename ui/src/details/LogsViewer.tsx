// Streams logs of a workflow or one pod, optionally following; keeps the last 10,000 lines.

import { useEffect, useRef, useState } from 'react';
import { streamLogs } from '../api/workflows';
import { ErrorNotice } from '../components/ErrorNotice';

const MAX_LINES = 10_000;

interface Props {
  namespace: string;
  name: string;
  podName?: string;
  containers?: string[];
}

export function LogsViewer({ namespace, name, podName, containers = ['main', 'init', 'wait'] }: Props) {
  const [container, setContainer] = useState(containers[0] ?? 'main');
  const [follow, setFollow] = useState(true);
  const [grep, setGrep] = useState('');
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
