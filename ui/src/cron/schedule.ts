// Next fire times of a cron schedule as the controller reads it: five fields (minute, hour,
// day of month, month, day of week) with lists, ranges, steps and names, the @hourly/@daily/…
// descriptors, @every <duration>, and an optional CRON_TZ=/TZ= prefix. Day of month and day of
// week are OR-ed unless either starts with '*' or '?'. Pure: `now` is a parameter.

export class ScheduleError extends Error {}

interface Field {
  values: Set<number>;
  star: boolean;
}

interface Parsed {
  minute: Field;
  hour: Field;
  dom: Field;
  month: Field;
  dow: Field;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

function number(text: string, names: string[], offset: number, what: string): number {
  const named = names.indexOf(text.toLowerCase());
  if (named >= 0) return named + offset;
  if (!/^\d+$/.test(text)) throw new ScheduleError(`${what}: "${text}" is not a number`);
  return Number(text);
}

function field(text: string, min: number, max: number, what: string, names: string[] = [], nameOffset = 0): Field {
  const values = new Set<number>();
  let star = false;
  for (const part of text.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : number(stepText, [], 0, what);
    if (step < 1) throw new ScheduleError(`${what}: step must be at least 1`);
    let lo: number;
    let hi: number;
    if (range === '*' || range === '?') {
      star = star || stepText === undefined;
      [lo, hi] = [min, max];
    } else {
      const [a = '', b] = range.split('-');
      lo = number(a, names, nameOffset, what);
      hi = b !== undefined ? number(b, names, nameOffset, what) : stepText !== undefined ? max : lo;
    }
    if (lo < min || hi > max || lo > hi) throw new ScheduleError(`${what}: ${part} is outside ${min}-${max}`);
    for (let v = lo; v <= hi; v += step) values.add(v);
  }
  return { values, star };
}

export interface Schedule {
  timezone?: string;
  /** Milliseconds between runs for `@every`. */
  every?: number;
  fields?: Parsed;
}

function parseDuration(text: string): number {
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
    matched += m[0].length;
  }
  if (matched !== text.length || total <= 0) throw new ScheduleError(`@every: "${text}" is not a duration such as 1h30m`);
  return total;
}

export function parseSchedule(source: string): Schedule {
  let text = source.trim();
  let timezone: string | undefined;
  const tz = /^(?:CRON_TZ|TZ)=(\S+)\s+/.exec(text);
  if (tz) {
    timezone = tz[1];
    text = text.slice(tz[0].length);
  }
  if (text.startsWith('@every ')) return { timezone, every: parseDuration(text.slice(7).trim()) };
  const expanded = DESCRIPTORS[text.toLowerCase()] ?? text;
  if (expanded.startsWith('@')) throw new ScheduleError(`unknown descriptor ${text}`);
  const parts = expanded.split(/\s+/);
  if (parts.length !== 5) throw new ScheduleError(`expected 5 fields, got ${parts.length}`);
  const dow = field(parts[4] as string, 0, 7, 'day of week', DAYS, 0);
  if (dow.values.has(7)) dow.values.add(0);
  return {
    timezone,
    fields: {
      minute: field(parts[0] as string, 0, 59, 'minute'),
      hour: field(parts[1] as string, 0, 23, 'hour'),
      dom: field(parts[2] as string, 1, 31, 'day of month'),
      month: field(parts[3] as string, 1, 12, 'month', MONTHS, 1),
      dow,
    },
  };
}

/** Minutes east of UTC of `timezone` at `instant`. */
export function zoneOffsetMinutes(timezone: string, instant: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric',
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  return Math.round((wall - Math.floor(instant / 60_000) * 60_000) / 60_000);
}

function dayMatches(f: Parsed, d: Date): boolean {
  const dom = f.dom.values.has(d.getUTCDate());
  const dow = f.dow.values.has(d.getUTCDay());
  return f.dom.star || f.dow.star ? dom && dow : dom || dow;
}

/** The next `count` run times (epoch ms) strictly after `now`, in `timezone` (default UTC). */
export function nextRuns(schedule: Schedule, now: number, count: number, timezone = schedule.timezone ?? 'UTC'): number[] {
  if (schedule.every) return Array.from({ length: count }, (_, i) => now + schedule.every! * (i + 1));
  const f = schedule.fields;
  if (!f) return [];
  const toWall = (instant: number) => instant + zoneOffsetMinutes(timezone, instant) * 60_000;
  const toInstant = (wall: number) => {
    const guess = wall - zoneOffsetMinutes(timezone, wall) * 60_000;
    return wall - zoneOffsetMinutes(timezone, guess) * 60_000;
  };
  const runs: number[] = [];
  const d = new Date(Math.floor(toWall(now) / 60_000) * 60_000 + 60_000);
  const limit = d.getUTCFullYear() + 5;
  while (runs.length < count && d.getUTCFullYear() <= limit) {
    if (!f.month.values.has(d.getUTCMonth() + 1)) {
      d.setUTCMonth(d.getUTCMonth() + 1, 1);
      d.setUTCHours(0, 0, 0, 0);
    } else if (!dayMatches(f, d)) {
      d.setUTCDate(d.getUTCDate() + 1);
      d.setUTCHours(0, 0, 0, 0);
    } else if (!f.hour.values.has(d.getUTCHours())) {
      d.setUTCHours(d.getUTCHours() + 1, 0, 0, 0);
    } else if (!f.minute.values.has(d.getUTCMinutes())) {
      d.setUTCMinutes(d.getUTCMinutes() + 1, 0, 0);
    } else {
      const at = toInstant(d.getTime());
      if (at > now) runs.push(at);
      d.setUTCMinutes(d.getUTCMinutes() + 1, 0, 0);
    }
  }
  return runs;
}
