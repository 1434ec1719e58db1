import type { Logger } from 'pino';
import type { CapabilityCatalog } from '../catalog/capabilities.js';
import type { Registry } from '../catalog/registry.js';
import type { Proxy } from '../connections/proxy/proxy.js';
import { createBufferedLog } from '../core/buffered-log.js';
import type { Clock } from '../core/clock.js';
import { channels } from '../core/db/channels.js';
import type { Db, Queryable } from '../core/db/port.js';
import { ApiError, type ProblemDetails } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { createNotifiedCache } from '../core/notified-cache.js';
import type { WorkerSettings } from '../core/worker.js';
import { createRouter, type Attempt, type RouteAnswer, type Served } from './engine.js';
import { createProviderHealth } from './health.js';
import { createRouteQueue } from './queue.js';
import {
  claimStickyProbe,
  getRouteByName,
  hasQueued,
  insertRouteCalls,
  setSticky,
  type RouteCallRow,
  type RouteRow,
} from './sql.js';

export type RoutingDeps = {
  db: Db;
  clock: Clock;
  log: Logger;
  proxy: Pick<Proxy, 'call'>;
  registry: Pick<Registry, 'get' | 'list'>;
  capabilities: CapabilityCatalog;
  queue: WorkerSettings;
};

/** What `POST /v1/routes/{name}/query` answers. */
export type QueryResult =
  | { status: 200; answer: RouteAnswer }
  | { status: 202; queued: { request_id: string; state: 'queued'; not_before: string } };

const cacheKey = (tenantId: string, name: string) => `${tenantId} ${name}`;

/**
 * Provider routing as the API uses it: routes (cached on every node, invalidated on change), the engine, each
 * provider's health, the durable queue and the call log.
 */
export function createRouting(deps: RoutingDeps) {
  const { db, clock, log } = deps;
  const routes = createNotifiedCache<RouteRow | undefined>(db, {
    channel: channels.routeChanged,
    ttlMs: 60_000,
    missTtlMs: 5_000,
    max: 10_000,
  });
  const health = createProviderHealth({ db, clock });
  const calls = createBufferedLog<Omit<RouteCallRow, 'at'>>(deps, (entries) => insertRouteCalls(db, entries), {
    what: 'the route call log',
  });

  async function invalidate(q: Queryable, route: Pick<RouteRow, 'tenant_id' | 'name'>) {
    await routes.invalidate(q, cacheKey(route.tenant_id, route.name));
  }

  const router = createRouter({
    clock,
    proxy: deps.proxy,
    registry: deps.registry,
    capabilities: deps.capabilities,
    health,
    async stick(route, sticky) {
      await db.transaction(async (tx) => {
        await setSticky(tx, route.id, sticky);
        await invalidate(tx, route);
      });
    },
    async claimStickyProbe(route, nextAt) {
      let won = false;
      await db.transaction(async (tx) => {
        won = await claimStickyProbe(tx, route.id, clock.now(), nextAt);
        if (won) await invalidate(tx, route);
      });
      return won;
    },
  });

  function record(
    route: RouteRow,
    outcome: string,
    reason: string,
    ms: number,
    attempts: Attempt[],
    connectionId: string | null,
  ) {
    calls.record({
      id: newId('rcl'),
      tenant_id: route.tenant_id,
      route_id: route.id,
      connection_id: connectionId,
      outcome,
      reason: reason.slice(0, 1000),
      latency_ms: Math.round(ms),
      attempts,
    });
  }

  function recordServed(route: RouteRow, served: Served | ApiError, ms: number, prefix = '') {
    if (served instanceof ApiError) {
      const attempts = (served.extensions.attempts as Attempt[] | undefined) ?? [];
      const outcome =
        served.code === 'provider_rate_limited' || served.code === 'queue_deadline_exceeded'
          ? 'rate_limited'
          : served.code === 'no_data'
            ? 'no_data'
            : 'failed';
      record(route, outcome, `${prefix}${served.detail}`, ms, attempts, null);
    } else if (served.kind === 'answer') {
      const { answer } = served;
      record(
        route,
        served.outcome,
        `${prefix}${answer.reason}`,
        ms,
        answer.attempts,
        answer.provider?.connection_id ?? null,
      );
    }
  }

  const queue = createRouteQueue(
    {
      db,
      clock,
      log,
      serve: (route, query, requestId) => router.serve(route, query, { requestId }),
      ended(route, request, served, ms) {
        const waited = `queued ${Math.round(clock.now().getTime() - request.created_at.getTime())} ms: `;
        if (served === 'expired') record(route, 'expired', `${waited}deadline passed before the reset`, ms, [], null);
        else recordServed(route, served, ms, waited);
      },
    },
    deps.queue,
  );

  const deadlineExceeded = (notBefore: number, reason: string, attempts: Attempt[]) => {
    const seconds = Math.max(1, Math.ceil((notBefore - clock.now().getTime()) / 1000));
    return new ApiError(
      'queue_deadline_exceeded',
      `Every provider is rate-limited (${reason}); the window resets at ${new Date(notBefore).toISOString()}, after the request’s deadline.`,
      { attempts, retry_at: new Date(notBefore).toISOString() },
      { 'retry-after': String(seconds) },
    );
  };

  return {
    health,
    router,
    queue,
    calls,

    /** A tenant's route by name, cached. */
    async route(tenantId: string, name: string): Promise<RouteRow | undefined> {
      const key = cacheKey(tenantId, name);
      const hit = routes.peek(key);
      return hit ? hit.value : routes.load(key, () => getRouteByName(db, tenantId, name));
    },

    invalidate,

    /**
     * Serve a query (checked against the capability's query schema by the caller). A rate-limited route with the
     * queue policy keeps the request until the window resets, waiting for it up to the deadline (or answering 202
     * at once with `async`).
     */
    async query(
      route: RouteRow,
      query: Record<string, unknown>,
      options: { deadlineMs?: number; async?: boolean; requestId?: string },
    ): Promise<QueryResult> {
      const started = performance.now();
      let served: Served;
      // A queue route serves its queue in order: while requests wait, a new one waits behind them.
      if (route.on_rate_limit === 'queue' && (await hasQueued(db, route.id))) {
        served = {
          kind: 'queue',
          notBefore: clock.now().getTime(),
          reason: 'requests before it are queued',
          attempts: [],
        };
      } else
        try {
          served = await router.serve(route, query, options.requestId ? { requestId: options.requestId } : {});
        } catch (error) {
          if (error instanceof ApiError) recordServed(route, error, performance.now() - started);
          throw error;
        }
      if (served.kind === 'answer') {
        recordServed(route, served, performance.now() - started);
        return { status: 200, answer: served.answer };
      }
      const maxWait = route.settings.queue.max_wait_seconds * 1000;
      const deadline = clock.now().getTime() + Math.min(options.deadlineMs ?? maxWait, maxWait);
      if (served.notBefore >= deadline) {
        const error = deadlineExceeded(served.notBefore, served.reason, served.attempts);
        recordServed(route, error, performance.now() - started);
        throw error;
      }
      const request = await queue.enqueue(route, query, served.notBefore, deadline);
      record(
        route,
        'queued',
        `every provider rate-limited (${served.reason}); queued until ${new Date(served.notBefore).toISOString()}`,
        performance.now() - started,
        served.attempts,
        null,
      );
      if (options.async)
        return {
          status: 202,
          queued: { request_id: request.id, state: 'queued', not_before: request.not_before.toISOString() },
        };
      const ended = await queue.wait(route.tenant_id, request.id, deadline);
      if (ended.state === 'served') return { status: 200, answer: ended.result as RouteAnswer };
      if (ended.state === 'failed') {
        const p = ended.problem as unknown as ProblemDetails;
        const { type: _t, title: _ti, status: _s, detail, code, ...rest } = p;
        throw new ApiError(code, detail, rest);
      }
      throw deadlineExceeded(served.notBefore, served.reason, served.attempts);
    },

    /** Start the caches (the queue is a background worker: `serve` starts it with the others). */
    async start(): Promise<void> {
      await routes.start();
      await health.start();
    },

    async stop(): Promise<void> {
      await calls.flush();
      await health.stop();
      await routes.stop();
    },
  };
}

export type Routing = ReturnType<typeof createRouting>;
