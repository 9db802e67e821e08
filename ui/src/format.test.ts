import { describe, expect, it } from 'vitest';
import { durationSeconds, estimatedRemaining, formatDuration } from './format';

describe('formatting', () => {
  it('durations read as h/m/s', () => {
    expect(formatDuration(5)).toBe('5s');
    expect(formatDuration(125)).toBe('2m 5s');
    expect(formatDuration(3725)).toBe('1h 2m');
    expect(formatDuration(undefined)).toBe('-');
  });

  it('duration of a running node counts to now', () => {
    const now = Date.parse('2024-01-01T00:01:00Z');
    expect(durationSeconds('2024-01-01T00:00:00Z', undefined, now)).toBe(60);
  });

  it('remaining time is the estimate minus elapsed, hidden when over', () => {
    const now = Date.parse('2024-01-01T00:01:00Z');
    expect(estimatedRemaining('2024-01-01T00:00:00Z', 100, now)).toBe(40);
    expect(estimatedRemaining('2024-01-01T00:00:00Z', 30, now)).toBeUndefined();
  });
});
