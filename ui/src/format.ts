// Display formatting of durations and times. Pure.

export function durationSeconds(start?: string, end?: string, now: number = Date.now()): number | undefined {
  if (!start) return undefined;
  const from = Date.parse(start);
  const to = end ? Date.parse(end) : now;
  if (Number.isNaN(from) || Number.isNaN(to)) return undefined;
  return Math.max(0, Math.round((to - from) / 1000));
}

export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined) return '-';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s}s`;
  return `${s}s`;
}

/** Remaining seconds from an estimate, or undefined when unknown or already over. */
export function estimatedRemaining(start: string | undefined, estimated: number | undefined, now: number = Date.now()): number | undefined {
  const elapsed = durationSeconds(start, undefined, now);
  if (elapsed === undefined || !estimated) return undefined;
  const left = estimated - elapsed;
  return left > 0 ? left : undefined;
}

export function formatTime(iso?: string): string {
  if (!iso) return '-';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}
