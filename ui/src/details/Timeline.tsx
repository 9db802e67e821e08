// Gantt-style timeline of pod nodes, virtualised: only the rows in view are rendered.

import { useMemo, useState } from 'react';
import type { NodeStatus, Workflow } from '../api/types';
import { phaseColour } from '../graph/phaseColours';

const ROW = 24;
const VIEW = 480;

export function Timeline({ workflow, onSelect }: { workflow: Workflow; onSelect: (id: string) => void }) {
  const [scrollTop, setScrollTop] = useState(0);
  const rows = useMemo(
    () =>
      Object.values(workflow.status?.nodes ?? {})
        .filter((n): n is NodeStatus & { startedAt: string } => Boolean(n.startedAt) && (n.type === 'Pod' || n.type === 'Container'))
        .sort((a, b) => a.startedAt.localeCompare(b.startedAt)),
    [workflow],
  );
  const now = Date.now();
  const start = rows.length > 0 ? Date.parse(rows[0]?.startedAt ?? '') : now;
  const end = Math.max(start + 1, ...rows.map((n) => (n.finishedAt ? Date.parse(n.finishedAt) : now)));
  const first = Math.floor(scrollTop / ROW);
  const visible = rows.slice(first, first + Math.ceil(VIEW / ROW) + 1);
  return (
    <section aria-label="Timeline" className="timeline" style={{ height: VIEW }} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
      {rows.length === 0 && <p>No pods have started yet.</p>}
      <div style={{ height: rows.length * ROW, position: 'relative' }}>
        {visible.map((n, i) => {
          const from = Date.parse(n.startedAt);
          const to = n.finishedAt ? Date.parse(n.finishedAt) : now;
          const left = ((from - start) / (end - start)) * 100;
          const width = Math.max(0.5, ((to - from) / (end - start)) * 100);
          return (
            <button type="button" key={n.id} className="timeline-row" style={{ top: (first + i) * ROW }} onClick={() => onSelect(n.id)}>
              <span className="timeline-label">{n.displayName ?? n.name}</span>
              <span className="timeline-bar" style={{ marginLeft: `${left * 0.7}%`, width: `${width * 0.7}%`, background: phaseColour(n.phase) }} />
            </button>
          );
        })}
      </div>
    </section>
  );
}
