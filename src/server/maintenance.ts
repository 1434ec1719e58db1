import type { Logger } from 'pino';
import { deleteExpiredSessions } from '../access/sessions/sql.js';
import type { Clock } from '../core/clock.js';
import type { Db } from '../core/db/port.js';

export type MaintenanceTask = {
  name: string;
  everyMs: number;
  run(db: Db, clock: Clock): Promise<number>;
};

/** Housekeeping every node runs; each task is idempotent, so several nodes running it at once is harmless. */
export const maintenanceTasks: MaintenanceTask[] = [
  { name: 'sessions.purge_expired', everyMs: 10 * 60_000, run: (db, clock) => deleteExpiredSessions(db, clock.now()) },
];

/**
 * Run each task on its interval, starting after a random fraction of it so nodes started together spread out.
 * Timers do not keep the process alive; `stop()` waits for a run in progress so shutdown closes the database after.
 */
export function startMaintenance(
  deps: { db: Db; clock: Clock; log: Logger },
  tasks: MaintenanceTask[] = maintenanceTasks,
) {
  const timers: NodeJS.Timeout[] = [];
  const running = new Set<Promise<void>>();
  let stopped = false;

  const runTask = (task: MaintenanceTask) => {
    if (stopped) return;
    const run = task
      .run(deps.db, deps.clock)
      .then((count) => {
        if (count > 0) deps.log.info({ task: task.name, count }, 'maintenance');
      })
      .catch((error: unknown) => deps.log.error({ err: error, task: task.name }, 'maintenance task failed'))
      .finally(() => running.delete(run));
    running.add(run);
  };

  for (const task of tasks) {
    const first = setTimeout(() => {
      runTask(task);
      const every = setInterval(() => runTask(task), task.everyMs);
      every.unref();
      timers.push(every);
    }, Math.random() * task.everyMs);
    first.unref();
    timers.push(first);
  }

  return {
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      await Promise.all(running);
    },
  };
}
