// A pre-rendered bitmap of a whole large graph, drawn with one drawImage while the view is zoomed
// out, so panning and zooming 10,000 nodes costs one blit per frame instead of 10,000 boxes.
// Rebuilt by the caller when the layout or the phases change. Must not be used for small graphs,
// where live painting is already cheap and sharper.

import { NODE_HEIGHT, NODE_WIDTH, type Layout, type PlacedNode } from './layout';
import type { GraphNode } from './model';
import { phaseColour } from './phaseColours';

export const OVERVIEW_MIN_NODES = 2000;
const MAX_SIDE = 4096;

export interface Overview {
  canvas: HTMLCanvasElement;
  /** Graph units to bitmap pixels. */
  scale: number;
}

export function renderOverview(layout: Layout, byId: Map<string, GraphNode>, dark: boolean): Overview | undefined {
  if (layout.nodes.size < OVERVIEW_MIN_NODES || layout.width <= 0 || layout.height <= 0) return undefined;
  const scale = Math.min(1, MAX_SIDE / Math.max(layout.width, layout.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil(layout.width * scale);
  canvas.height = Math.ceil(layout.height * scale);
  const ctx = canvas.getContext('2d');
  if (!ctx) return undefined;
  ctx.setTransform(scale, 0, 0, scale, 0, 0);
  ctx.strokeStyle = dark ? '#5a6b78' : '#9aa8b4';
  ctx.lineWidth = 1 / scale;
  ctx.beginPath();
  for (const edge of layout.edges) {
    const [first, ...rest] = edge.points;
    if (!first) continue;
    ctx.moveTo(first.x, first.y);
    for (const p of rest) ctx.lineTo(p.x, p.y);
  }
  ctx.stroke();
  const byColour = new Map<string, PlacedNode[]>();
  for (const placed of layout.nodes.values()) {
    const colour = phaseColour(byId.get(placed.id)?.phase);
    const list = byColour.get(colour);
    if (list) list.push(placed);
    else byColour.set(colour, [placed]);
  }
  for (const [colour, list] of byColour) {
    ctx.fillStyle = colour;
    for (const p of list) ctx.fillRect(p.x - NODE_WIDTH / 2, p.y - NODE_HEIGHT / 2, NODE_WIDTH, NODE_HEIGHT);
  }
  return { canvas, scale };
}
