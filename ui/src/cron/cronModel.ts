// Pure helpers of the cron pages: the schedules of a CronWorkflow, its next runs (or why they
// cannot be computed), and the example manifest of the create panel.

import type { CronWorkflow } from '../api/resourceTypes';
import { nextRuns, parseSchedule } from './schedule';

export function schedulesOf(cron: CronWorkflow): string[] {
  const list = [...(cron.spec.schedules ?? [])];
  if (cron.spec.schedule) list.unshift(cron.spec.schedule);
  return list;
}

/** The next `count` runs over all schedules, merged in order; or the first schedule error. */
export function upcomingRuns(cron: CronWorkflow, now: number, count: number): number[] | string {
  const all: number[] = [];
  for (const text of schedulesOf(cron)) {
    try {
      const schedule = parseSchedule(text);
      all.push(...nextRuns(schedule, now, count, schedule.timezone ?? (cron.spec.timezone || 'UTC')));
    } catch (e) {
      return `${text}: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  return [...new Set(all)].sort((a, b) => a - b).slice(0, count);
}

export function nextRunOf(cron: CronWorkflow, now: number): number | string {
  const runs = upcomingRuns(cron, now, 1);
  return typeof runs === 'string' ? runs : (runs[0] ?? '-');
}

/** The first schedule that does not parse, placed on its line of `text`; undefined when all do. */
export function scheduleProblem(cron: CronWorkflow, text: string): { line?: number; message: string } | undefined {
  for (const schedule of schedulesOf(cron)) {
    try {
      parseSchedule(schedule);
    } catch (e) {
      const index = text.split('\n').findIndex((l) => l.includes(schedule));
      return { line: index >= 0 ? index + 1 : undefined, message: `schedule "${schedule}": ${e instanceof Error ? e.message : String(e)}` };
    }
  }
  return undefined;
}

/** The label the controller puts on the workflows a CronWorkflow creates. */
export const CRON_LABEL = 'workflows.argoproj.io/cron-workflow';

export const EXAMPLE_CRON = `apiVersion: argoproj.io/v1alpha1
kind: CronWorkflow
metadata:
  name: nightly-report
spec:
  schedules: ["30 2 * * *"]
  timezone: UTC
  concurrencyPolicy: Replace
  workflowSpec:
    entrypoint: main
    templates:
      - name: main
        container:
          image: busybox
          command: [date]
`;
