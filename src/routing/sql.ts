import type { Queryable } from '../core/db/port.js';
import type { FusionRules } from './fusion.js';
import type { Condition, RateLimitPolicy, RouteSettings, Strategy } from './model.js';

/** A provider as a route keeps it: the connector is stored beside the connection (a connection never changes it). */
export type StoredProvider = { connection_id: string; connector: string; weight: number; redistributable?: boolean };

export type RouteRow = {
  id: string;
  tenant_id: string;
  name: string;
  description: string | null;
  capability: string;
  enabled: boolean;
  strategy: Strategy;
  on_rate_limit: RateLimitPolicy;
  providers: StoredProvider[];
  conditions: Condition[];
  settings: RouteSettings;
  fusion: FusionRules | null;
  sticky_connection_id: string | null;
  sticky_since: Date | null;
  sticky_probe_at: Date | null;
  created_at: Date;
  updated_at: Date;
};

const ROUTE_COLUMNS = `id, tenant_id, name, description, capability, enabled, strategy, on_rate_limit, providers,
  conditions, settings, fusion, sticky_connection_id, sticky_since, sticky_probe_at, created_at, updated_at`;

type RouteWrite = Pick<
  RouteRow,
  | 'description'
  | 'capability'
  | 'enabled'
  | 'strategy'
  | 'on_rate_limit'
  | 'providers'
  | 'conditions'
  | 'settings'
  | 'fusion'
>;

export async function insertRoute(
  q: Queryable,
  row: RouteWrite & Pick<RouteRow, 'id' | 'tenant_id' | 'name'>,
): Promise<RouteRow> {
  const { rows } = await q.query<RouteRow>(
    `insert into routes (id, tenant_id, name, description, capability, enabled, strategy, on_rate_limit, providers,
       conditions, settings, fusion)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) returning ${ROUTE_COLUMNS}`,
    [
      row.id,
      row.tenant_id,
      row.name,
      row.description,
      row.capability,
      row.enabled,
      row.strategy,
      row.on_rate_limit,
      JSON.stringify(row.providers),
      JSON.stringify(row.conditions),
      JSON.stringify(row.settings),
      row.fusion === null ? null : JSON.stringify(row.fusion),
    ],
  );
  return rows[0] as RouteRow;
}

/** Replace a route's definition; a change of providers ends its sticky failover (the order it stuck to is gone). */
export async function updateRoute(q: Queryable, id: string, row: RouteWrite, resetSticky: boolean): Promise<RouteRow> {
  const { rows } = await q.query<RouteRow>(
    `update routes set description = $2, capability = $3, enabled = $4, strategy = $5, on_rate_limit = $6,
       providers = $7, conditions = $8, settings = $9, fusion = $10, updated_at = now(),
       sticky_connection_id = case when $11 then null else sticky_connection_id end,
       sticky_since = case when $11 then null else sticky_since end,
       sticky_probe_at = case when $11 then null else sticky_probe_at end
     where id = $1 returning ${ROUTE_COLUMNS}`,
    [
      id,
      row.description,
      row.capability,
      row.enabled,
      row.strategy,
      row.on_rate_limit,
      JSON.stringify(row.providers),
      JSON.stringify(row.conditions),
      JSON.stringify(row.settings),
      row.fusion === null ? null : JSON.stringify(row.fusion),
      resetSticky,
    ],
  );
  return rows[0] as RouteRow;
}

export async function getRouteByName(q: Queryable, tenantId: string, name: string): Promise<RouteRow | undefined> {
  const { rows } = await q.query<RouteRow>(`select ${ROUTE_COLUMNS} from routes where tenant_id = $1 and name = $2`, [
    tenantId,
    name,
  ]);
  return rows[0];
}

export async function getRouteById(q: Queryable, id: string): Promise<RouteRow | undefined> {
  const { rows } = await q.query<RouteRow>(`select ${ROUTE_COLUMNS} from routes where id = $1`, [id]);
  return rows[0];
}

export async function listRoutes(
  q: Queryable,
  tenantId: string,
  options: { limit: number; afterName?: string; capability?: string },
): Promise<RouteRow[]> {
  const { rows } = await q.query<RouteRow>(
    `select ${ROUTE_COLUMNS} from routes
     where tenant_id = $1 and ($2::text is null or name > $2) and ($3::text is null or capability = $3)
     order by name limit $4`,
    [tenantId, options.afterName ?? null, options.capability ?? null, options.limit + 1],
  );
  return rows;
}

export async function deleteRoute(q: Queryable, id: string): Promise<void> {
  await q.query('delete from routes where id = $1', [id]);
}

/** Stick a route to a fallback (or end that with null), with when to try the providers before it again. */
export async function setSticky(
  q: Queryable,
  id: string,
  sticky: { connectionId: string; probeAt: Date } | null,
): Promise<void> {
  await q.query(
    `update routes set sticky_connection_id = $2,
       sticky_since = case when $2::text is null then null when sticky_connection_id = $2 then sticky_since else now() end,
       sticky_probe_at = $3
     where id = $1`,
    [id, sticky?.connectionId ?? null, sticky?.probeAt ?? null],
  );
}

/**
 * Take the route's next probe of the providers before its sticky one: moves `sticky_probe_at` ahead by `lease`, so
 * that one request on one node probes (the one whose update matched).
 */
export async function claimStickyProbe(q: Queryable, id: string, now: Date, nextAt: Date): Promise<boolean> {
  const { rowCount } = await q.query(`update routes set sticky_probe_at = $3 where id = $1 and sticky_probe_at <= $2`, [
    id,
    now,
    nextAt,
  ]);
  return (rowCount ?? 0) > 0;
}

// --- provider health ---------------------------------------------------------------------------------------------

export type HealthRow = {
  connection_id: string;
  tenant_id: string;
  breaker: 'closed' | 'open';
  opened_at: Date | null;
  probe_at: Date | null;
  probe_until: Date | null;
  last_failure: string | null;
  limited_until: Date | null;
  limit_meaning: 'retry_after_reset' | 'quota_exhausted' | null;
  limit_scope: string | null;
  limit_reason: string | null;
  updated_at: Date;
};

const HEALTH_COLUMNS = `connection_id, tenant_id, breaker, opened_at, probe_at, probe_until, last_failure,
  limited_until, limit_meaning, limit_scope, limit_reason, updated_at`;

export async function getHealth(q: Queryable, connectionId: string): Promise<HealthRow | undefined> {
  const { rows } = await q.query<HealthRow>(`select ${HEALTH_COLUMNS} from provider_health where connection_id = $1`, [
    connectionId,
  ]);
  return rows[0];
}

/** Open a connection's breaker (or keep it open, pushing the next probe to `probeAt`). */
export async function openBreaker(
  q: Queryable,
  tenantId: string,
  connectionId: string,
  probeAt: Date,
  failure: string,
): Promise<void> {
  await q.query(
    `insert into provider_health (connection_id, tenant_id, breaker, opened_at, probe_at, last_failure)
     values ($1, $2, 'open', now(), $3, $4)
     on conflict (connection_id) do update set breaker = 'open',
       opened_at = case when provider_health.breaker = 'open' then provider_health.opened_at else now() end,
       probe_at = $3, probe_until = null, last_failure = $4, updated_at = now()`,
    [connectionId, tenantId, probeAt, failure],
  );
}

/** Close a connection's breaker: its probe answered well (or an operator reset it). */
export async function closeBreaker(q: Queryable, connectionId: string): Promise<boolean> {
  const { rowCount } = await q.query(
    `update provider_health set breaker = 'closed', opened_at = null, probe_at = null, probe_until = null,
       updated_at = now()
     where connection_id = $1 and breaker = 'open'`,
    [connectionId],
  );
  return (rowCount ?? 0) > 0;
}

/** Take the one half-open probe of an open breaker whose probe is due; false when another request has it. */
export async function claimProbe(q: Queryable, connectionId: string, now: Date, until: Date): Promise<boolean> {
  const { rowCount } = await q.query(
    `update provider_health set probe_until = $3
     where connection_id = $1 and breaker = 'open' and probe_at <= $2 and (probe_until is null or probe_until <= $2)`,
    [connectionId, now, until],
  );
  return (rowCount ?? 0) > 0;
}

/** The vendor said its window or quota is spent until `until`. */
export async function markLimited(
  q: Queryable,
  tenantId: string,
  connectionId: string,
  limit: { until: Date; meaning: 'retry_after_reset' | 'quota_exhausted'; scope: string | null; reason: string },
): Promise<void> {
  await q.query(
    `insert into provider_health (connection_id, tenant_id, limited_until, limit_meaning, limit_scope, limit_reason)
     values ($1, $2, $3, $4, $5, $6)
     on conflict (connection_id) do update set limited_until = greatest(provider_health.limited_until, $3),
       limit_meaning = $4, limit_scope = $5, limit_reason = $6, updated_at = now()`,
    [connectionId, tenantId, limit.until, limit.meaning, limit.scope, limit.reason],
  );
}

export async function clearLimit(q: Queryable, connectionId: string): Promise<void> {
  await q.query(
    `update provider_health set limited_until = null, limit_meaning = null, limit_scope = null, limit_reason = null,
       updated_at = now()
     where connection_id = $1`,
    [connectionId],
  );
}

// --- the queue -------------------------------------------------------------------------------------------------

export type RouteRequestRow = {
  id: string;
  tenant_id: string;
  route_id: string;
  query: Record<string, unknown>;
  state: 'queued' | 'running' | 'served' | 'failed' | 'expired';
  not_before: Date;
  deadline: Date;
  lease_until: Date | null;
  tries: number;
  result: Record<string, unknown> | null;
  problem: Record<string, unknown> | null;
  created_at: Date;
  finished_at: Date | null;
};

const REQUEST_COLUMNS = `id, tenant_id, route_id, query, state, not_before, deadline, lease_until, tries, result, problem,
  created_at, finished_at`;

export async function insertRouteRequest(
  q: Queryable,
  row: Pick<RouteRequestRow, 'id' | 'tenant_id' | 'route_id' | 'query' | 'not_before' | 'deadline'>,
): Promise<RouteRequestRow> {
  const { rows } = await q.query<RouteRequestRow>(
    `insert into route_requests (id, tenant_id, route_id, query, not_before, deadline)
     values ($1, $2, $3, $4, $5, $6) returning ${REQUEST_COLUMNS}`,
    [row.id, row.tenant_id, row.route_id, JSON.stringify(row.query), row.not_before, row.deadline],
  );
  return rows[0] as RouteRequestRow;
}

export async function getRouteRequest(
  q: Queryable,
  tenantId: string,
  id: string,
): Promise<RouteRequestRow | undefined> {
  const { rows } = await q.query<RouteRequestRow>(
    `select ${REQUEST_COLUMNS} from route_requests where tenant_id = $1 and id = $2`,
    [tenantId, id],
  );
  return rows[0];
}

/**
 * Claim up to `limit` due requests under a lease: per route, only its oldest waiting request, and only while none of
 * the route's is running, so that a route's queue is served one at a time in the order it came. Requests past their
 * deadline end as expired here too (the caller waiting on one, if any, is told by the notification that follows).
 */
export async function claimRouteRequests(
  q: Queryable,
  now: Date,
  limit: number,
  leaseUntil: Date,
): Promise<{ claimed: RouteRequestRow[]; expired: string[] }> {
  const expired = await q.query<{ id: string }>(
    `update route_requests set state = 'expired', finished_at = $1, lease_until = null
     where id in (select id from route_requests where state = 'queued' and deadline <= $1
                  order by id for update skip locked limit 1000)
     returning id`,
    [now],
  );
  const { rows } = await q.query<RouteRequestRow>(
    `update route_requests r set state = 'running', lease_until = $3, tries = r.tries + 1
     from (select id from route_requests q
           where state = 'queued' and not_before <= $1
             and id = (select min(o.id) from route_requests o
                       where o.route_id = q.route_id and o.state in ('queued', 'running'))
           order by id for update skip locked limit $2) due
     where r.id = due.id
     returning r.*`,
    [now, limit, leaseUntil],
  );
  rows.sort((a, b) => (a.id < b.id ? -1 : 1));
  return { claimed: rows, expired: expired.rows.map((r) => r.id) };
}

export async function finishRouteRequest(
  q: Queryable,
  id: string,
  outcome:
    | { state: 'served'; result: Record<string, unknown> }
    | { state: 'failed'; problem: Record<string, unknown> }
    | { state: 'expired' },
): Promise<void> {
  await q.query(
    `update route_requests set state = $2, result = $3, problem = $4, finished_at = now(), lease_until = null
     where id = $1`,
    [
      id,
      outcome.state,
      outcome.state === 'served' ? JSON.stringify(outcome.result) : null,
      outcome.state === 'failed' ? JSON.stringify(outcome.problem) : null,
    ],
  );
}

/** Back in the queue until the provider's window resets again. */
export async function requeueRouteRequest(q: Queryable, id: string, notBefore: Date): Promise<void> {
  await q.query(`update route_requests set state = 'queued', not_before = $2, lease_until = null where id = $1`, [
    id,
    notBefore,
  ]);
}

export async function recoverRouteRequests(q: Queryable, leaseEnded: Date | 'all'): Promise<number> {
  const { rowCount } = await q.query(
    `update route_requests set state = 'queued', lease_until = null
     where state = 'running' and ($1::timestamptz is null or lease_until < $1)`,
    [leaseEnded === 'all' ? null : leaseEnded],
  );
  return rowCount ?? 0;
}

/** Whether a route has requests waiting (or being served) in its queue. */
export async function hasQueued(q: Queryable, routeId: string): Promise<boolean> {
  const { rows } = await q.query<{ queued: boolean }>(
    `select exists (select 1 from route_requests where route_id = $1 and state in ('queued', 'running')) as queued`,
    [routeId],
  );
  return rows[0]?.queued ?? false;
}

export async function queueLength(q: Queryable, routeId: string): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    `select count(*)::int as n from route_requests where route_id = $1 and state in ('queued', 'running')`,
    [routeId],
  );
  return rows[0]?.n ?? 0;
}

// --- the call log ------------------------------------------------------------------------------------------------

export type RouteCallRow = {
  id: string;
  tenant_id: string;
  route_id: string;
  at: Date;
  connection_id: string | null;
  outcome: string;
  reason: string;
  latency_ms: number;
  attempts: unknown[];
};

/** Many calls in one statement (the call log is written by group commit). */
export async function insertRouteCalls(q: Queryable, calls: readonly Omit<RouteCallRow, 'at'>[]): Promise<void> {
  if (calls.length === 0) return;
  await q.query(
    `insert into route_calls (id, tenant_id, route_id, connection_id, outcome, reason, latency_ms, attempts)
     select * from jsonb_to_recordset($1::jsonb) as t(id text, tenant_id text, route_id text, connection_id text,
       outcome text, reason text, latency_ms integer, attempts jsonb)`,
    [JSON.stringify(calls)],
  );
}

export async function listRouteCalls(
  q: Queryable,
  routeId: string,
  options: { limit: number; beforeId?: string; outcome?: string },
): Promise<RouteCallRow[]> {
  const { rows } = await q.query<RouteCallRow>(
    `select id, tenant_id, route_id, at, connection_id, outcome, reason, latency_ms, attempts from route_calls
     where route_id = $1 and ($2::text is null or id < $2) and ($3::text is null or outcome = $3)
     order by id desc limit $4`,
    [routeId, options.beforeId ?? null, options.outcome ?? null, options.limit + 1],
  );
  return rows;
}

/** Calls a route logged since `since`. */
export async function countRouteCalls(q: Queryable, routeId: string, since: Date): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    'select count(*)::int as n from route_calls where route_id = $1 and at >= $2',
    [routeId, since],
  );
  return rows[0]?.n ?? 0;
}

export type ProviderStatsRow = {
  connection_id: string;
  calls: number;
  ok: number;
  failed: number;
  rate_limited: number;
  p50_ms: number | null;
  p95_ms: number | null;
};

/** Per provider, over the calls since `since`: from each call's attempts, so a fallback's failed primary counts. */
export async function providerStats(q: Queryable, routeId: string, since: Date): Promise<ProviderStatsRow[]> {
  const { rows } = await q.query<ProviderStatsRow>(
    `select a->>'connection_id' as connection_id, count(*)::int as calls,
       count(*) filter (where a->>'outcome' in ('ok', 'empty'))::int as ok,
       count(*) filter (where a->>'outcome' in ('failed', 'timeout'))::int as failed,
       count(*) filter (where a->>'outcome' in ('rate_limited', 'quota_exhausted'))::int as rate_limited,
       (percentile_cont(0.5) within group (order by (a->>'latency_ms')::float))::float as p50_ms,
       (percentile_cont(0.95) within group (order by (a->>'latency_ms')::float))::float as p95_ms
     from route_calls c, jsonb_array_elements(c.attempts) a
     where c.route_id = $1 and c.at >= $2 and a->>'outcome' <> 'skipped'
     group by 1 order by 1`,
    [routeId, since],
  );
  return rows;
}

export type BucketRow = { at: Date; outcome: string; n: number };

export async function callBuckets(q: Queryable, routeId: string, since: Date): Promise<BucketRow[]> {
  const { rows } = await q.query<BucketRow>(
    `select date_trunc('hour', at) as at, outcome, count(*)::int as n from route_calls
     where route_id = $1 and at >= $2 group by 1, 2 order by 1`,
    [routeId, since],
  );
  return rows;
}

/** Route calls, and queued requests that ended, from before `before` (the request-log retention keeps both). */
export async function purgeRouteLog(q: Queryable, before: Date): Promise<number> {
  const calls = await q.query('delete from route_calls where at < $1', [before]);
  const requests = await q.query(
    `delete from route_requests where state in ('served', 'failed', 'expired') and finished_at < $1`,
    [before],
  );
  return (calls.rowCount ?? 0) + (requests.rowCount ?? 0);
}
