import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Clock } from '../../core/clock.js';
import { channels } from '../../core/db/channels.js';
import type { Db } from '../../core/db/port.js';
import { newId } from '../../core/ids.js';
import { createWorker, type WorkerSettings } from '../../core/worker.js';
import { publishEvent } from '../../events/publish.js';
import { insertLogs, type ExecutionRow, type ExecutionStatus } from '../executions/sql.js';
import { executionEvent } from './events.js';
import { createExecutor, type Endpoints } from './execute.js';
import { claimExecution, recoverExecutions } from './sql.js';

export type RunnerOptions = WorkerSettings & {
  leaseMs: number;
  /** Attempts before a run whose node keeps dying is failed as stuck. */
  maxAttempts: number;
};

export type RunnerDeps = { db: Db; clock: Clock; log: Logger; endpoints: Endpoints };

/**
 * The sync runner: a leased worker (core/worker.ts) over `sync_executions`. A claim takes one pending run whose
 * config no other run holds (SKIP LOCKED, so nodes share the work), marks it running under a lease and publishes
 * `sync.execution.started` in the same transaction. A run whose node stops heartbeating is made due again when its
 * lease ends and resumes from its checkpoints on whichever node claims it; after `maxAttempts` it is failed as
 * stuck, so no run is left Running forever. Cancels reach the node running a run by notification.
 */
export function createSyncRunner(deps: RunnerDeps, options: RunnerOptions) {
  const { db, log } = deps;
  const owner = `${hostname()}:${process.pid}:${newId('node').slice(5, 15)}`;
  const leaseUntil = (now: Date) => new Date(now.getTime() + options.leaseMs);
  const executor = createExecutor(deps, {
    owner,
    leaseMs: options.leaseMs,
    heartbeatMs: Math.max(250, Math.floor(options.leaseMs / 4)),
  });
  let unlistenCancel: (() => Promise<void>) | undefined;

  const worker = createWorker<ExecutionRow, ExecutionStatus | undefined>(
    deps,
    {
      name: 'sync runs',
      wakeOn: [channels.syncExecutions],
      async claim(free, now) {
        const claimed: ExecutionRow[] = [];
        while (claimed.length < free) {
          const row = await db.transaction(async (tx) => {
            const r = await claimExecution(tx, owner, now, leaseUntil(now));
            if (r) await publishEvent(tx, executionEvent(r));
            return r;
          });
          if (!row) break;
          claimed.push(row);
        }
        return claimed;
      },
      claimed: (jobs, free) => jobs.length === free,
      async run(execution) {
        const status = await executor.execute(execution);
        // Its config is free again: a run queued behind it may start (here at once, elsewhere by notification).
        if (status !== undefined) await db.notify(db, channels.syncExecutions, '');
        return status;
      },
      async recover(leaseEnded) {
        const { resumed, failed } = await db.transaction(async (tx) => {
          const result = await recoverExecutions(tx, leaseEnded, options.maxAttempts);
          for (const row of result.resumed) {
            await insertLogs(tx, row.id, [
              {
                level: 'warn',
                stream: null,
                message: 'The node running this run stopped; it resumes from its checkpoints.',
              },
            ]);
          }
          for (const row of result.failed) {
            await insertLogs(tx, row.id, [{ level: 'error', stream: null, message: row.error ?? 'Stuck.' }]);
            await publishEvent(tx, executionEvent(row));
          }
          return result;
        });
        if (resumed.length > 0)
          log.warn({ runs: resumed.map((r) => r.id) }, 'sync runs resume after their node stopped');
        if (failed.length > 0) log.error({ runs: failed.map((r) => r.id) }, 'sync runs failed as stuck');
        return resumed.length + failed.length;
      },
      failed(error, execution) {
        if (!execution) log.error({ err: error }, 'claiming sync runs failed');
        else log.error({ err: error, execution: execution.id }, 'a sync run failed unexpectedly');
      },
    },
    options,
  );

  return {
    owner,
    wake: worker.wake,
    inFlight: worker.inFlight,
    async start(): Promise<void> {
      unlistenCancel = await db.listen(channels.syncCancel, (id) => executor.cancel(id));
      await worker.start();
    },
    async stop(graceMs?: number): Promise<void> {
      await worker.stop(graceMs);
      await unlistenCancel?.();
      unlistenCancel = undefined;
    },
    drain: worker.drain,
  };
}

export type SyncRunner = ReturnType<typeof createSyncRunner>;
