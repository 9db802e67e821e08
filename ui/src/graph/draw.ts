// Paints the visible part of a laid-out graph onto a 2D canvas. Level of detail: below a scale of
// 0.35 nodes are plain boxes without labels, so 10,000 nodes still paint within a frame. Must not
// hold state; the caller owns the transform and the selection.

import type { Graph, GraphNode } from './model';
import { NODE_HEIGHT, NODE_WIDTH, type Layout, type PlacedNode } from './layout';
import { phaseColour } from './phaseColours';
import type { SpatialIndex, Transform } from './viewport';
import type { Overview } from './overview';

export interface DrawState {
  graph: Graph;
  layout: Layout;
  index: SpatialIndex;
  byId: Map<string, GraphNode>;
  transform: Transform;
  selectedId?: string;
  matches: Set<string>;
  dark: boolean;
  /** Used instead of live painting while the view is zoomed out at most to its resolution. */
  overview?: Overview;
}

export function drawGraph(ctx: CanvasRenderingContext2D, width: number, height: number, s: DrawState): number {
  const { transform: t } = s;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, width, height);
  ctx.setTransform(t.scale, 0, 0, t.scale, t.x, t.y);
  if (s.overview && t.scale <= s.overview.scale * 1.5) {
    const o = s.overview;
    ctx.drawImage(o.canvas, 0, 0, o.canvas.width / o.scale, o.canvas.height / o.scale);
    drawOutlines(ctx, s);
    return -1;
  }
  const x0 = -t.x / t.scale;
  const y0 = -t.y / t.scale;
  const visible = s.index.query(x0, y0, x0 + width / t.scale, y0 + height / t.scale);
  const everything = visible.length === s.layout.nodes.size;
  const visibleIds = everything ? undefined : new Set(visible.map((n) => n.id));

  ctx.strokeStyle = s.dark ? '#5a6b78' : '#9aa8b4';
  ctx.lineWidth = 1 / Math.max(t.scale, 0.5);
  ctx.beginPath();
  for (const edge of s.layout.edges) {
    if (visibleIds && !visibleIds.has(edge.from) && !visibleIds.has(edge.to)) continue;
    const [first, ...rest] = edge.points;
    if (!first) continue;
    ctx.moveTo(first.x, first.y);
    for (const p of rest) ctx.lineTo(p.x, p.y);
  }
  ctx.stroke();

  const detailed = t.scale >= 0.35;
  // Batch boxes by colour: one fillStyle change per phase instead of one per node.
  const byColour = new Map<string, PlacedNode[]>();
  for (const placed of visible) {
    const colour = phaseColour(s.byId.get(placed.id)?.phase);
    const list = byColour.get(colour);
    if (list) list.push(placed);
    else byColour.set(colour, [placed]);
  }
  // A folded loop shows as a stack: two offset cards behind its box.
  ctx.fillStyle = s.dark ? '#3a4853' : '#c5ced6';
  for (const placed of visible) {
    if (!s.byId.get(placed.id)?.loopItems) continue;
    for (const offset of [8, 4]) ctx.fillRect(placed.x - NODE_WIDTH / 2 + offset, placed.y - NODE_HEIGHT / 2 + offset, NODE_WIDTH, NODE_HEIGHT);
  }
  for (const [colour, list] of byColour) {
    ctx.fillStyle = colour;
    for (const placed of list) ctx.fillRect(placed.x - NODE_WIDTH / 2, placed.y - NODE_HEIGHT / 2, NODE_WIDTH, NODE_HEIGHT);
  }
  drawOutlines(ctx, s);
  if (detailed) {
    ctx.font = '12px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    ctx.fillStyle = '#10181f';
    for (const placed of visible) {
      const node = s.byId.get(placed.id);
      if (!node) continue;
      const suffix = node.collapsedAttempts ? ` (×${node.collapsedAttempts})` : '';
      ctx.fillText(truncate(node.label + suffix, 22), placed.x - NODE_WIDTH / 2 + 8, placed.y, NODE_WIDTH - 16);
    }
  }
  return visible.length;
}

/** Outlines the selected node and the search matches. */
function drawOutlines(ctx: CanvasRenderingContext2D, s: DrawState): void {
  ctx.lineWidth = 3 / Math.max(s.transform.scale, 0.3);
  const outline = (id: string, colour: string) => {
    const placed = s.layout.nodes.get(id);
    if (!placed) return;
    ctx.strokeStyle = colour;
    ctx.strokeRect(placed.x - NODE_WIDTH / 2, placed.y - NODE_HEIGHT / 2, NODE_WIDTH, NODE_HEIGHT);
  };
  for (const id of s.matches) outline(id, '#ff9f1a');
  if (s.selectedId) outline(s.selectedId, s.dark ? '#ffffff' : '#1b2631');
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
