import { describe, expect, it } from 'vitest';
import { nextRuns, parseSchedule, ScheduleError, zoneOffsetMinutes } from './schedule';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number[]) => ms.map((m) => new Date(m).toISOString());

describe('cron schedule', () => {
  it('steps through minutes and hours', () => {
    expect(iso(nextRuns(parseSchedule('*/15 9-10 * * *'), at('2024-03-01T10:40:00Z'), 3))).toEqual([
      '2024-03-01T10:45:00.000Z', '2024-03-02T09:00:00.000Z', '2024-03-02T09:15:00.000Z',
    ]);
  });

  it('reads names and ORs day of month with day of week when both are restricted', () => {
    // 2024-03-01 is a Friday: the 1st and 15th, or any Monday.
    expect(iso(nextRuns(parseSchedule('0 12 1,15 * MON'), at('2024-03-01T13:00:00Z'), 3))).toEqual([
      '2024-03-04T12:00:00.000Z', '2024-03-11T12:00:00.000Z', '2024-03-15T12:00:00.000Z',
    ]);
    expect(iso(nextRuns(parseSchedule('0 0 * feb-mar sun'), at('2024-03-01T00:00:00Z'), 1))).toEqual(['2024-03-03T00:00:00.000Z']);
  });

  it('expands descriptors and day 7 as Sunday', () => {
    expect(iso(nextRuns(parseSchedule('@monthly'), at('2024-01-31T23:59:00Z'), 2))).toEqual(['2024-02-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z']);
    expect(iso(nextRuns(parseSchedule('0 0 * * 7'), at('2024-03-01T00:00:00Z'), 1))).toEqual(['2024-03-03T00:00:00.000Z']);
  });

  it('finds a leap day years ahead', () => {
    expect(iso(nextRuns(parseSchedule('0 0 29 2 *'), at('2024-03-01T00:00:00Z'), 1))).toEqual(['2028-02-29T00:00:00.000Z']);
  });

  it('honours the time zone, from the spec or a CRON_TZ prefix', () => {
    expect(zoneOffsetMinutes('Asia/Kolkata', at('2024-01-01T00:00:00Z'))).toBe(330);
    expect(iso(nextRuns(parseSchedule('30 9 * * *'), at('2024-01-01T00:00:00Z'), 1, 'Asia/Kolkata'))).toEqual(['2024-01-01T04:00:00.000Z']);
    const s = parseSchedule('CRON_TZ=America/New_York 0 9 * * *');
    expect(s.timezone).toBe('America/New_York');
    // Before and after the March DST change: 14:00Z in winter, 13:00Z in summer.
    expect(iso(nextRuns(s, at('2024-03-09T12:00:00Z'), 2))).toEqual(['2024-03-09T14:00:00.000Z', '2024-03-10T13:00:00.000Z']);
  });

  it('runs @every at fixed intervals', () => {
    expect(nextRuns(parseSchedule('@every 1h30m'), 0, 2)).toEqual([5_400_000, 10_800_000]);
  });

  it('names the bad field', () => {
    expect(() => parseSchedule('61 * * * *')).toThrow(ScheduleError);
    expect(() => parseSchedule('61 * * * *')).toThrow(/minute/);
    expect(() => parseSchedule('* * * foo *')).toThrow(/month/);
    expect(() => parseSchedule('* * *')).toThrow(/5 fields/);
    expect(() => parseSchedule('@every soon')).toThrow(/duration/);
  });
});
