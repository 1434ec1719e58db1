import type { Logger } from 'pino';
import { deleteExpiredSessions } from '../access/sessions/sql.js';
import { failInterruptedTests } from '../connections/interrupted-tests.js';
import { purgeRequestLog } from '../connections/request-log.js';
import { purgeRouteLog } from '../routing/sql.js';
import type { Clock } from '../core/clock.js';
import type { Db } from '../core/db/port.js';
import { purgeDeliveries } from '../webhooks/deliveries/retention.js';
import { purgeInboundEvents } from '../webhooks/inbound/events/retention.js';

export type MaintenanceTask = {
  name: string;
  everyMs: number;
  run(db: Db, clock: Clock): Promise<number>;
};

export type MaintenanceOptions = {
  /**
   * How long connection request-log rows, route calls and ended queued route requests are kept
   * (SWITCHYARD_REQUEST_LOG_RETENTION; default 30 days).
   */
  requestLogRetentionMs?: number;
  /** How long finished webhook deliveries and their attempts are kept (SWITCHYARD_WEBHOOK_RETENTION; 30 days). */
  webhookRetentionMs?: number;
  /** How long finished inbound webhook events are kept (SWITCHYARD_INBOUND_RETENTION; 30 days). */
  inboundRetentionMs?: number;
  /** Refresh OAuth credentials nearing expiry or idle for long (src/oauth/refresh/due.ts); none when absent. */
  refreshOAuthCredentials?: (now: Date) => Promise<number>;
  /** Remove uploads left unfinished past their expiry, with their bytes (src/files/store.ts); none when absent. */
  sweepUploads?: () => Promise<number>;
};

/** A connection test takes seconds; one still `testing` after this was interrupted. */
const INTERRUPTED_TEST_MS = 5 * 60_000;

/**
 * Housekeeping every node runs; each task is idempotent, so several nodes running it at once is harmless (the OAuth
 * refresh takes each credential's lease, so one node refreshes it).
 *
 * Disabled tenants: work done for a tenant stops while it is disabled and resumes when it is enabled again —
 * interrupted connection tests are repaired then (failInterruptedTests), credentials are not refreshed
 * (src/oauth/refresh/due.ts). Retention purges are the platform's own and run for every tenant: disabling
 * keeps a tenant's data as it was, not beyond the retention the operator set.
 */
export function maintenanceTasks(options: MaintenanceOptions = {}): MaintenanceTask[] {
  const retentionMs = options.requestLogRetentionMs ?? 30 * 86_400_000;
  const webhookRetentionMs = options.webhookRetentionMs ?? 30 * 86_400_000;
  const inboundRetentionMs = options.inboundRetentionMs ?? 30 * 86_400_000;
  const refreshOAuth = options.refreshOAuthCredentials;
  const sweepUploads = options.sweepUploads;
  const ago = (clock: Clock, ms: number) => new Date(clock.now().getTime() - ms);
  return [
    {
      name: 'sessions.purge_expired',
      everyMs: 10 * 60_000,
      run: (db, clock) => deleteExpiredSessions(db, clock.now()),
    },
    {
      name: 'connections.purge_request_log',
      everyMs: 60 * 60_000,
      run: (db, clock) => purgeRequestLog(db, ago(clock, retentionMs)),
    },
    {
      name: 'routing.purge_call_log',
      everyMs: 60 * 60_000,
      run: (db, clock) => purgeRouteLog(db, ago(clock, retentionMs)),
    },
    {
      name: 'webhooks.purge_deliveries',
      everyMs: 60 * 60_000,
      run: (db, clock) => purgeDeliveries(db, ago(clock, webhookRetentionMs)),
    },
    {
      name: 'inbound.purge_events',
      everyMs: 60 * 60_000,
      run: (db, clock) => purgeInboundEvents(db, ago(clock, inboundRetentionMs), clock.now()),
    },
    {
      name: 'connections.fail_interrupted_tests',
      everyMs: 60_000,
      run: (db, clock) => failInterruptedTests(db, ago(clock, INTERRUPTED_TEST_MS)),
    },
    ...(refreshOAuth
      ? [
          {
            // Every minute, so that a token is refreshed well inside the default 5-minute margin.
            name: 'oauth.refresh_credentials',
            everyMs: 60_000,
            run: (_db: Db, clock: Clock) => refreshOAuth(clock.now()),
          },
        ]
      : []),
    ...(sweepUploads ? [{ name: 'files.sweep_uploads', everyMs: 60 * 60_000, run: () => sweepUploads() }] : []),
  ];
}

/**
 * Run each task on its interval, starting after a random fraction of it so nodes started together spread out.
 * Timers do not keep the process alive; `stop()` waits for a run in progress so shutdown closes the database after.
 */
export function startMaintenance(
  deps: { db: Db; clock: Clock; log: Logger } & MaintenanceOptions,
  tasks: MaintenanceTask[] = maintenanceTasks(deps),
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
