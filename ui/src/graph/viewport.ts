// Pan/zoom transform and a uniform-grid spatial index over laid-out nodes, so drawing touches only
// visible nodes and a click finds its node in O(1). Pure: no DOM.

import { NODE_HEIGHT, NODE_WIDTH, type Layout, type PlacedNode } from './layout';

export interface Transform {
  x: number;
  y: number;
  scale: number;
}

export const MIN_SCALE = 0.02;
export const MAX_SCALE = 4;

export function clampScale(scale: number): number {
  return Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale));
}

/** Zooms by `factor` keeping the screen point (px, py) fixed. */
export function zoomAt(t: Transform, factor: number, px: number, py: number): Transform {
  const scale = clampScale(t.scale * factor);
  const k = scale / t.scale;
  return { scale, x: px - (px - t.x) * k, y: py - (py - t.y) * k };
}

/** The transform that fits the whole layout into a viewport of the given size. */
export function fitTransform(layout: Pick<Layout, 'width' | 'height'>, viewWidth: number, viewHeight: number): Transform {
  if (layout.width <= 0 || layout.height <= 0 || viewWidth <= 0 || viewHeight <= 0) return { x: 0, y: 0, scale: 1 };
  const scale = clampScale(Math.min(viewWidth / layout.width, viewHeight / layout.height, 1));
  return { scale, x: (viewWidth - layout.width * scale) / 2, y: (viewHeight - layout.height * scale) / 2 };
}

/** Centres the given graph point in the viewport at the current scale. */
export function centreOn(t: Transform, gx: number, gy: number, viewWidth: number, viewHeight: number): Transform {
  return { scale: t.scale, x: viewWidth / 2 - gx * t.scale, y: viewHeight / 2 - gy * t.scale };
}

const CELL = 512;

export class SpatialIndex {
  private readonly cells = new Map<string, PlacedNode[]>();

  constructor(nodes: Iterable<PlacedNode>) {
    for (const node of nodes) {
      const key = `${Math.floor(node.x / CELL)},${Math.floor(node.y / CELL)}`;
      const cell = this.cells.get(key);
      if (cell) cell.push(node);
      else this.cells.set(key, [node]);
    }
  }

  /** Nodes whose centre lies in the rectangle grown by one node size (so edges of boxes count). */
  query(x0: number, y0: number, x1: number, y1: number): PlacedNode[] {
    const gx0 = x0 - NODE_WIDTH;
    const gy0 = y0 - NODE_HEIGHT;
    const gx1 = x1 + NODE_WIDTH;
    const gy1 = y1 + NODE_HEIGHT;
    const result: PlacedNode[] = [];
    for (let cx = Math.floor(gx0 / CELL); cx <= Math.floor(gx1 / CELL); cx++) {
      for (let cy = Math.floor(gy0 / CELL); cy <= Math.floor(gy1 / CELL); cy++) {
        for (const n of this.cells.get(`${cx},${cy}`) ?? []) {
          if (n.x >= gx0 && n.x <= gx1 && n.y >= gy0 && n.y <= gy1) result.push(n);
        }
      }
    }
    return result;
  }

  /** The node whose box contains the graph point, if any. */
  hit(gx: number, gy: number): PlacedNode | undefined {
    return this.query(gx, gy, gx, gy).find(
      (n) => Math.abs(n.x - gx) <= NODE_WIDTH / 2 && Math.abs(n.y - gy) <= NODE_HEIGHT / 2,
    );
  }
}
