import type { Queryable } from '../../core/db/port.js';
import type { StatsScope } from './stats.js';

/**
 * Attempt-level statistics: what the receivers answered to the requests made in the window, and what is failing
 * now. Delivery counters alone hide an outage: a delivery counts as failed only once its whole retry schedule (about
 * three days) is spent, so while every attempt fails the delivered ones still make a 100% success rate.
 */
export type AttemptCounters = {
  /** Attempts started in the window, whatever their outcome (in flight included). */
  attempts: number;
  attempts_delivered: number;
  /** Not acknowledged with a 2xx: failed, throttled, gone, blocked, interrupted. */
  attempts_failed: number;
  attempt_success_rate: number | null;
};

export type AttemptFailure = {
  attempt_id: string;
  delivery_id: string;
  endpoint_id: string;
  attempt_number: number;
  started_at: Date;
  outcome: string;
  status_code: number | null;
  error: string | null;
};

export type EndpointHealth = {
  id: string;
  url: string;
  enabled: boolean;
  consecutive_failures: number;
  failing_since: Date | null;
  circuit_open_until: Date | null;
};

type AttemptCounterRow = Omit<AttemptCounters, 'attempt_success_rate'> & { endpoint_id: string | null };

/** Outcomes that are not a failure: acknowledged, still out, or never sent. */
const NOT_FAILED = `('delivered', 'in_flight', 'skipped')`;
const ATTEMPT_SCOPE = `a.tenant_id = $1 and a.started_at >= $2 and a.started_at < $3
  and ($4::text is null or a.endpoint_id = $4)`;
const scopeValues = (s: StatsScope) => [s.tenantId, s.since, s.until, s.endpointId ?? null];
const RECENT_FAILURES = 10;

/** Per endpoint and over everything at once (grouping sets); the overall row has a null endpoint. */
export async function attemptCounters(q: Queryable, scope: StatsScope): Promise<AttemptCounterRow[]> {
  const { rows } = await q.query<AttemptCounterRow>(
    `select a.endpoint_id, count(*)::int as attempts,
       count(*) filter (where a.outcome = 'delivered')::int as attempts_delivered,
       count(*) filter (where a.outcome not in ${NOT_FAILED})::int as attempts_failed
     from webhook_attempts a
     where ${ATTEMPT_SCOPE}
     group by grouping sets ((a.endpoint_id), ())`,
    scopeValues(scope),
  );
  return rows;
}

/** The latest failing attempts in the window, newest first. */
export async function recentFailures(q: Queryable, scope: StatsScope): Promise<AttemptFailure[]> {
  const { rows } = await q.query<AttemptFailure>(
    `select a.id as attempt_id, a.delivery_id, a.endpoint_id, a.attempt_number, a.started_at, a.outcome,
       a.status_code, a.error
     from webhook_attempts a
     where ${ATTEMPT_SCOPE} and a.outcome not in ${NOT_FAILED}
     order by a.started_at desc, a.id desc
     limit ${RECENT_FAILURES}`,
    scopeValues(scope),
  );
  return rows;
}

/** The latest failing attempt of each endpoint in the window. */
export async function lastFailures(q: Queryable, scope: StatsScope): Promise<AttemptFailure[]> {
  const { rows } = await q.query<AttemptFailure>(
    `select distinct on (a.endpoint_id) a.id as attempt_id, a.delivery_id, a.endpoint_id, a.attempt_number,
       a.started_at, a.outcome, a.status_code, a.error
     from webhook_attempts a
     where ${ATTEMPT_SCOPE} and a.outcome not in ${NOT_FAILED}
     order by a.endpoint_id, a.started_at desc, a.id desc`,
    scopeValues(scope),
  );
  return rows;
}

/** The endpoints' health as it is now (breaker, run of failures), whatever the window. */
export async function endpointHealth(
  q: Queryable,
  tenantId: string,
  endpointIds: readonly string[],
): Promise<EndpointHealth[]> {
  if (endpointIds.length === 0) return [];
  const { rows } = await q.query<EndpointHealth>(
    `select id, url, enabled, consecutive_failures, failing_since, circuit_open_until from webhook_endpoints
     where tenant_id = $1 and id = any($2::text[])`,
    [tenantId, endpointIds],
  );
  return rows;
}

export function attemptTotals(row: AttemptCounterRow | undefined): AttemptCounters {
  const delivered = row?.attempts_delivered ?? 0;
  const failed = row?.attempts_failed ?? 0;
  return {
    attempts: row?.attempts ?? 0,
    attempts_delivered: delivered,
    attempts_failed: failed,
    attempt_success_rate: delivered + failed === 0 ? null : delivered / (delivered + failed),
  };
}

/** closed; open (nothing is sent but, once it cools down, one probe); half_open (a probe is due). */
export function circuitState(circuitOpenUntil: Date | null, now: Date): 'closed' | 'open' | 'half_open' {
  if (!circuitOpenUntil) return 'closed';
  return circuitOpenUntil.getTime() > now.getTime() ? 'open' : 'half_open';
}
