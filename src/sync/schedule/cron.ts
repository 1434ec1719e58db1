import { Cron } from 'croner';
import { z } from 'zod';
import { ApiError } from '../../core/errors.js';

/**
 * A sync's schedule: a cron expression read as wall-clock time in an IANA time zone (so "every day at 02:00" stays
 * 02:00 across daylight-saving changes; a time a DST change skips runs at the next valid minute), what happens to
 * instants missed while no node ran (`misfire`), and what a due instant does while a run of the same sync is still
 * going (`overlap`).
 */
export const scheduleSchema = z
  .strictObject({
    cron: z
      .string()
      .min(1)
      .max(200)
      .describe('Five fields (minute hour day month weekday), or six with seconds first; @daily, @hourly … too'),
    timezone: z.string().min(1).max(64).default('UTC').describe('An IANA time zone, e.g. Europe/Berlin'),
    misfire: z
      .enum(['skip', 'run_once'])
      .default('skip')
      .describe('Instants missed while no node ran: skip them, or run once for all of them'),
    overlap: z
      .enum(['skip', 'queue_one', 'cancel_running'])
      .default('skip')
      .describe('A due instant while a run is going: skip it, queue one run behind it, or cancel the running one'),
  })
  .meta({ id: 'SyncSchedule' });
export type Schedule = z.output<typeof scheduleSchema>;

/** How late an instant may fire and still count as on time rather than missed. */
export const MISFIRE_GRACE_MS = 60_000;

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The cron of a schedule, checked: 422 `schedule_invalid` with the reason when it is not one. */
export function compileSchedule(schedule: Pick<Schedule, 'cron' | 'timezone'>): Cron {
  if (!isTimeZone(schedule.timezone)) {
    throw new ApiError('schedule_invalid', `"${schedule.timezone}" is not an IANA time zone (e.g. Europe/Berlin).`, {
      errors: [{ path: 'body.schedule.timezone', message: 'unknown time zone' }],
    });
  }
  let cron: Cron;
  try {
    cron = new Cron(schedule.cron, { timezone: schedule.timezone, paused: true, mode: 'auto' });
  } catch (error) {
    const reason = (error as Error).message.replace(/^CronPattern: /, '');
    throw new ApiError('schedule_invalid', `"${schedule.cron}" is not a cron expression: ${reason}.`, {
      errors: [{ path: 'body.schedule.cron', message: reason }],
    });
  }
  if (cron.nextRun(new Date()) === null) {
    throw new ApiError('schedule_invalid', `"${schedule.cron}" never fires.`, {
      errors: [{ path: 'body.schedule.cron', message: 'no future instant' }],
    });
  }
  return cron;
}

/** The next `count` instants strictly after `from`. */
export function nextRuns(schedule: Pick<Schedule, 'cron' | 'timezone'>, count: number, from: Date): Date[] {
  return compileSchedule(schedule).nextRuns(count, from);
}

/** The first instant strictly after `from`, or null when the schedule never fires again. */
export function nextRun(schedule: Pick<Schedule, 'cron' | 'timezone'>, from: Date): Date | null {
  return compileSchedule(schedule).nextRun(from);
}
