import type { Logger } from 'pino';
import type { Clock } from '../../core/clock.js';
import type { Db, Queryable } from '../../core/db/port.js';
import { createWorker, type WorkerSettings } from '../../core/worker.js';
import type { ConfigRow } from '../configs/sql.js';
import { enqueueRun } from '../executions/enqueue.js';
import { MISFIRE_GRACE_MS, nextRun } from './cron.js';

type Tick = { configId: string; instant: Date; outcome: 'started' | 'queued' | 'skipped_overlap' | 'skipped_misfire' };

/**
 * Fires sync schedules. Each config holds its next instant (`next_run_at`); a pass locks the configs whose instant
 * came (`SKIP LOCKED`, so nodes share them), and in the same transaction records the tick (unique per config and
 * instant: it fires once across every node), asks for the run as the schedule's overlap policy says, and moves
 * `next_run_at` to the first instant after now. An instant more than a minute late was missed while no node ran:
 * `misfire: skip` records it as skipped, `run_once` runs once for however many were missed.
 *
 * A core/worker.ts loop whose claim is the whole job: firing is one short transaction, so nothing is left to run
 * after it, and a node that dies mid-pass leaves nothing half-fired.
 */
export function createScheduler(deps: { db: Db; clock: Clock; log: Logger }, settings: WorkerSettings) {
  const { db, log } = deps;
  const worker = createWorker<Tick>(
    deps,
    {
      name: 'sync schedules',
      wakeOn: [],
      claim: (free, now) => db.transaction((tx) => fireDue(tx, now, free)),
      run: async (tick) => {
        log.debug({ sync: tick.configId, instant: tick.instant, outcome: tick.outcome }, 'sync schedule fired');
      },
      recover: async () => 0,
      failed(error) {
        log.error({ err: error }, 'firing sync schedules failed');
      },
    },
    settings,
  );

  // A disabled tenant's schedules do not fire; once it is enabled, the instant left in next_run_at is late and the
  // sync's misfire policy decides whether it runs.
  async function fireDue(tx: Queryable, now: Date, limit: number): Promise<Tick[]> {
    const { rows } = await tx.query<ConfigRow>(
      `select c.* from sync_configs c join tenants t on t.id = c.tenant_id and t.disabled_at is null
        where c.enabled and c.next_run_at <= $1 order by c.next_run_at limit $2
          for update of c skip locked`,
      [now, limit],
    );
    const ticks: Tick[] = [];
    for (const config of rows) {
      const schedule = config.schedule;
      const instant = config.next_run_at as Date;
      let next: Date | null = null;
      try {
        next = schedule ? nextRun(schedule, now) : null;
      } catch (error) {
        log.error({ err: error, sync: config.id }, 'a sync schedule no longer compiles; it stops firing');
      }
      await tx.query('update sync_configs set next_run_at = $2 where id = $1', [config.id, next]);
      if (!schedule) continue;
      const missed = now.getTime() - instant.getTime() > MISFIRE_GRACE_MS;
      let outcome: Tick['outcome'];
      let executionId: string | null = null;
      if (missed && schedule.misfire === 'skip') outcome = 'skipped_misfire';
      else {
        const asked = await enqueueRun(db, tx, config, {
          trigger: 'schedule',
          triggeredBy: instant.toISOString(),
          streams: [],
          fullRefresh: false,
          overlap: schedule.overlap,
        });
        if (asked.outcome === 'skipped' || asked.outcome === 'existing') outcome = 'skipped_overlap';
        else {
          outcome = asked.outcome;
          executionId = asked.execution.id;
        }
      }
      const { rowCount } = await tx.query(
        `insert into sync_schedule_ticks (config_id, instant, execution_id, outcome) values ($1, $2, $3, $4)
         on conflict do nothing`,
        [config.id, instant, executionId, outcome],
      );
      if (rowCount === 0 && executionId) {
        // This instant already fired (the row exists): never twice, so the run just asked for is withdrawn.
        await tx.query('delete from sync_executions where id = $1', [executionId]);
        continue;
      }
      ticks.push({ configId: config.id, instant, outcome });
    }
    return ticks;
  }

  return { start: worker.start, stop: worker.stop, wake: worker.wake, drain: worker.drain };
}

/** A config's first instant after `from` (on create, enable, or a schedule change), or null without a schedule. */
export function firstRunAt(config: Pick<ConfigRow, 'schedule' | 'enabled'>, from: Date): Date | null {
  if (!config.enabled || !config.schedule) return null;
  return nextRun(config.schedule, from);
}
