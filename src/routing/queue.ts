import type { Logger } from 'pino';
import type { Clock } from '../core/clock.js';
import { channels } from '../core/db/channels.js';
import type { Db } from '../core/db/port.js';
import { ApiError, problem } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { createWorker, type LeasedJobs, type WorkerSettings } from '../core/worker.js';
import type { Served } from './engine.js';
import {
  claimRouteRequests,
  finishRouteRequest,
  getRouteById,
  getRouteRequest,
  insertRouteRequest,
  recoverRouteRequests,
  requeueRouteRequest,
  type RouteRequestRow,
  type RouteRow,
} from './sql.js';

/** How long a queued request's run may take before its lease ends and another node takes it. */
const LEASE_MS = 120_000;

export type QueueDeps = {
  db: Db;
  clock: Clock;
  log: Logger;
  /** Serve a queued request's query through its route (the routing engine). */
  serve(route: RouteRow, query: Record<string, unknown>, requestId: string): Promise<Served>;
  /** A queued request ended: log the call as the route's call log keeps it. */
  ended(route: RouteRow, request: RouteRequestRow, served: Served | ApiError | 'expired', ms: number): void;
};

/**
 * The durable queue of on_rate_limit `queue`: a request every provider refused for a spent window is kept as a row
 * until the earliest reset, then served by the routing queue worker (any node; oldest first; a lease brings back the
 * ones a dead node held, so queued requests survive a restart). A request that is still waiting at its deadline
 * expires. The caller who made it waits on its row (woken by a notification on every node) or, with `async`, polls
 * `GET /v1/routes/requests/{id}`.
 */
export function createRouteQueue(deps: QueueDeps, settings: WorkerSettings) {
  const { db, clock, log } = deps;
  const waiters = new Map<string, Set<() => void>>();
  const timers = new Set<NodeJS.Timeout>();
  let unlisten: (() => Promise<void>) | undefined;

  const done = async (id: string) => {
    await db.notify(db, channels.routeRequestDone, id);
  };

  const jobs: LeasedJobs<RouteRequestRow> = {
    name: 'queued route requests',
    wakeOn: [channels.routeRequests],
    async claim(free, now) {
      const { claimed, expired } = await claimRouteRequests(db, now, free, new Date(now.getTime() + LEASE_MS));
      // Past their deadline before their window reset: whoever waits on them hears it (and answers 429).
      for (const id of expired) await done(id);
      return claimed;
    },
    async run(request) {
      const route = await getRouteById(db, request.route_id);
      if (!route) return;
      const started = performance.now();
      let served: Served | ApiError;
      try {
        served = await deps.serve(route, request.query, request.id);
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        served = error;
      }
      const ms = performance.now() - started;
      if (served instanceof ApiError) {
        await finishRouteRequest(db, request.id, {
          state: 'failed',
          problem: problem(served.code, served.detail, served.extensions),
        });
      } else if (served.kind === 'answer') {
        const queuedMs = clock.now().getTime() - request.created_at.getTime();
        await finishRouteRequest(db, request.id, {
          state: 'served',
          result: { ...served.answer, queued_ms: queuedMs },
        });
      } else if (served.notBefore >= request.deadline.getTime()) {
        await finishRouteRequest(db, request.id, { state: 'expired' });
        deps.ended(route, request, 'expired', ms);
        await done(request.id);
        return;
      } else {
        // Limited again (another caller spent the new window first): back in line until the next reset.
        await requeueRouteRequest(db, request.id, new Date(served.notBefore));
        wakeAt(served.notBefore);
        return;
      }
      deps.ended(route, request, served, ms);
      await done(request.id);
    },
    recover: (leaseEnded) => recoverRouteRequests(db, leaseEnded),
    failed(error, job) {
      log.error({ err: error, request: job?.id }, 'a queued route request failed unexpectedly');
    },
  };

  const worker = createWorker(deps, jobs, settings);

  /** Wake the worker here when a window resets (the poll would find it too, a little later). */
  function wakeAt(at: number) {
    const timer = setTimeout(
      () => {
        timers.delete(timer);
        worker.wake();
      },
      Math.max(0, at - clock.now().getTime()) + 5,
    );
    timer.unref();
    timers.add(timer);
  }

  return {
    /** Keep a request until `notBefore` (the earliest reset), for at most until `deadline`. */
    async enqueue(
      route: RouteRow,
      query: Record<string, unknown>,
      notBefore: number,
      deadline: number,
    ): Promise<RouteRequestRow> {
      const row = await insertRouteRequest(db, {
        id: newId('rrq'),
        tenant_id: route.tenant_id,
        route_id: route.id,
        query,
        not_before: new Date(notBefore),
        deadline: new Date(deadline),
      });
      wakeAt(notBefore);
      return row;
    },

    /**
     * Wait for a queued request to end (served, failed or expired), until `deadline`; a request still waiting then
     * is expired here (unless it is being served this instant, which then wins).
     */
    async wait(tenantId: string, id: string, deadline: number): Promise<RouteRequestRow> {
      for (;;) {
        const row = await getRouteRequest(db, tenantId, id);
        if (!row) throw new ApiError('not_found', `Route request ${id} does not exist.`);
        if (row.state !== 'queued' && row.state !== 'running') return row;
        const left = deadline - clock.now().getTime();
        if (left <= 0) {
          if (row.state === 'queued') {
            const { rowCount } = await db.query(
              `update route_requests set state = 'expired', finished_at = now() where id = $1 and state = 'queued'`,
              [id],
            );
            if ((rowCount ?? 0) > 0) return { ...row, state: 'expired' };
          }
          // Running: its answer is moments away; wait for it a little longer.
          if (left < -LEASE_MS) return row;
        }
        await new Promise<void>((resolve) => {
          const wake = () => {
            clearTimeout(timer);
            set.delete(wake);
            if (set.size === 0) waiters.delete(id);
            resolve();
          };
          const set = waiters.get(id) ?? new Set<() => void>();
          waiters.set(id, set);
          const timer = setTimeout(wake, Math.max(50, Math.min(left > 0 ? left : 1000, 5000)));
          set.add(wake);
        });
      }
    },

    wake: () => worker.wake(),

    async start(): Promise<void> {
      unlisten = await db.listen(channels.routeRequestDone, (id) => {
        for (const wake of [...(waiters.get(id) ?? [])]) wake();
      });
      await worker.start();
    },

    async stop(graceMs?: number): Promise<void> {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await worker.stop(graceMs);
      await unlisten?.();
    },
  };
}

export type RouteQueue = ReturnType<typeof createRouteQueue>;
