// The interactive workflow graph: canvas painting (see draw.ts), drag to pan, wheel or +/- to
// zoom, arrow keys to pan, F to fit, a search box that highlights and centres on matches, click or
// Enter to select. Records frame paint times in `graphFrameTimes` for the performance check.

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Graph } from './model';
import type { Layout } from './layout';
import { drawGraph } from './draw';
import { renderOverview } from './overview';
import { centreOn, fitTransform, SpatialIndex, zoomAt, type Transform } from './viewport';
import { useDarkTheme } from '../theme';

/** Paint durations (ms) of the most recent frames, newest last; read by performance tests. */
export const graphFrameTimes: number[] = [];

declare global {
  interface Window {
    /** The same array as graphFrameTimes, for browser performance journeys. */
    __argoGraphFrameTimes?: number[];
  }
}
if (typeof window !== 'undefined') window.__argoGraphFrameTimes = graphFrameTimes;

interface Props {
  graph: Graph;
  layout: Layout;
  selectedId?: string;
  onSelect: (id: string) => void;
}

export function GraphCanvas({ graph, layout, selectedId, onSelect }: Props) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [size, setSize] = useState({ width: 800, height: 500 });
  const [transform, setTransform] = useState<Transform>({ x: 0, y: 0, scale: 1 });
  const [search, setSearch] = useState('');
  const [matchCursor, setMatchCursor] = useState(0);
  const drag = useRef<{ x: number; y: number; moved: boolean } | null>(null);

  const index = useMemo(() => new SpatialIndex(layout.nodes.values()), [layout]);
  const byId = useMemo(() => new Map(graph.nodes.map((n) => [n.id, n])), [graph]);
  const matches = useMemo(() => {
    const q = search.trim().toLowerCase();
    return q ? graph.nodes.filter((n) => n.label.toLowerCase().includes(q)).map((n) => n.id) : [];
  }, [graph, search]);
  const matchSet = useMemo(() => new Set(matches), [matches]);
  const dark = useDarkTheme();
  const overview = useMemo(() => renderOverview(layout, byId, dark), [layout, byId, dark]);

  useEffect(() => {
    const canvas = canvasRef.current;
    const parent = canvas?.parentElement;
    if (!parent || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => setSize({ width: parent.clientWidth, height: Math.max(300, parent.clientHeight) }));
    observer.observe(parent);
    return () => observer.disconnect();
  }, []);

  const fit = useCallback(() => setTransform(fitTransform(layout, size.width, size.height)), [layout, size]);
  // Refit when the layout or the surface size changes (the first resize is the real size).
  useEffect(fit, [fit]);

  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const frame = requestAnimationFrame(() => {
      const started = performance.now();
      const ratio = window.devicePixelRatio || 1;
      // Reallocating the backing store is costly: only when the size really changed.
      if (canvas.width !== size.width * ratio) canvas.width = size.width * ratio;
      if (canvas.height !== size.height * ratio) canvas.height = size.height * ratio;
      drawGraph(ctx, size.width * ratio, size.height * ratio, {
        graph, layout, index, byId, matches: matchSet, selectedId, dark, overview,
        transform: { x: transform.x * ratio, y: transform.y * ratio, scale: transform.scale * ratio },
      });
      graphFrameTimes.push(performance.now() - started);
      if (graphFrameTimes.length > 600) graphFrameTimes.splice(0, graphFrameTimes.length - 600);
    });
    return () => cancelAnimationFrame(frame);
  }, [graph, layout, index, byId, matchSet, selectedId, transform, size, overview, dark]);

  const goToMatch = (step: number) => {
    if (matches.length === 0) return;
    const next = (matchCursor + step + matches.length) % matches.length;
    setMatchCursor(next);
    const id = matches[next] as string;
    const placed = layout.nodes.get(id);
    if (placed) setTransform((t) => centreOn({ ...t, scale: Math.max(t.scale, 0.8) }, placed.x, placed.y, size.width, size.height));
    onSelect(id);
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    const step = 60;
    const moves: Record<string, [number, number]> = { ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    const move = moves[e.key];
    if (move) {
      setTransform((t) => ({ ...t, x: t.x + move[0], y: t.y + move[1] }));
    } else if (e.key === '+' || e.key === '=') {
      setTransform((t) => zoomAt(t, 1.25, size.width / 2, size.height / 2));
    } else if (e.key === '-') {
      setTransform((t) => zoomAt(t, 0.8, size.width / 2, size.height / 2));
    } else if (e.key === 'f' || e.key === '0') {
      fit();
    } else return;
    e.preventDefault();
  };

  const localPoint = (e: { clientX: number; clientY: number }) => {
    const rect = canvasRef.current?.getBoundingClientRect();
    return { x: e.clientX - (rect?.left ?? 0), y: e.clientY - (rect?.top ?? 0) };
  };

  return (
    <div className="graph">
      <div className="graph-toolbar" role="toolbar" aria-label="Graph controls">
        <button type="button" onClick={() => setTransform((t) => zoomAt(t, 1.25, size.width / 2, size.height / 2))} aria-label="Zoom in">+</button>
        <button type="button" onClick={() => setTransform((t) => zoomAt(t, 0.8, size.width / 2, size.height / 2))} aria-label="Zoom out">−</button>
        <button type="button" onClick={fit}>Fit</button>
        <label>
          <span className="visually-hidden">Search nodes</span>
          <input type="search" placeholder="Search nodes" value={search}
            onChange={(e) => { setSearch(e.target.value); setMatchCursor(-1); }}
            onKeyDown={(e) => { if (e.key === 'Enter') goToMatch(e.shiftKey ? -1 : 1); }} />
        </label>
        {search && <span aria-live="polite">{matches.length} match{matches.length === 1 ? '' : 'es'}</span>}
        <span className="graph-info">{graph.nodes.length} nodes · {layout.engine} layout</span>
      </div>
      <div className="graph-surface">
        <canvas
          ref={canvasRef}
          tabIndex={0}
          role="img"
          aria-label={`Workflow graph with ${graph.nodes.length} nodes; arrows pan, plus and minus zoom, F fits`}
          style={{ width: size.width, height: size.height }}
          onKeyDown={onKeyDown}
          onWheel={(e) => { const p = localPoint(e); setTransform((t) => zoomAt(t, e.deltaY < 0 ? 1.15 : 1 / 1.15, p.x, p.y)); }}
          onPointerDown={(e) => { drag.current = { x: e.clientX, y: e.clientY, moved: false }; }}
          onPointerMove={(e) => {
            const d = drag.current;
            if (!d) return;
            const dx = e.clientX - d.x;
            const dy = e.clientY - d.y;
            if (Math.abs(dx) + Math.abs(dy) > 2) d.moved = true;
            d.x = e.clientX;
            d.y = e.clientY;
            setTransform((t) => ({ ...t, x: t.x + dx, y: t.y + dy }));
          }}
          onPointerUp={(e) => {
            const d = drag.current;
            drag.current = null;
            if (d?.moved) return;
            const p = localPoint(e);
            const hit = index.hit((p.x - transform.x) / transform.scale, (p.y - transform.y) / transform.scale);
            if (hit) onSelect(hit.id);
          }}
        />
      </div>
    </div>
  );
}
