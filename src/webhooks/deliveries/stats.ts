import type { Queryable } from '../../core/db/port.js';
import { ApiError } from '../../core/errors.js';
import {
  attemptCounters,
  attemptTotals,
  circuitState,
  endpointHealth,
  lastFailures,
  recentFailures,
  type AttemptCounters,
  type AttemptFailure,
} from './attempt-stats.js';

/** Delivery statistics over deliveries created in [since, until): the console's outbound panel. */
export type StatsScope = { tenantId: string; since: Date; until: Date; endpointId?: string | undefined };

export type Counters = {
  total: number;
  delivered: number;
  failed: number;
  /** Waiting for an attempt or with one in flight. */
  pending: number;
  skipped: number;
  success_rate: number | null;
  avg_delivery_ms: number | null;
  p95_delivery_ms: number | null;
  avg_attempt_ms: number | null;
  p95_attempt_ms: number | null;
  retries: number;
};

export type SeriesPoint = { start: Date; delivered: number; failed: number; total: number };

type CounterRow = Omit<Counters, 'success_rate' | 'avg_attempt_ms' | 'p95_attempt_ms'> & {
  endpoint_id: string | null;
  url: string | null;
};
type AttemptTimingRow = { endpoint_id: string | null; avg_attempt_ms: number | null; p95_attempt_ms: number | null };

const SCOPE = `d.tenant_id = $1 and d.created_at >= $2 and d.created_at < $3 and ($4::text is null or d.endpoint_id = $4)`;
const scopeValues = (s: StatsScope) => [s.tenantId, s.since, s.until, s.endpointId ?? null];

// Both queries group by endpoint and over everything at once (grouping sets); the overall row has a null endpoint.
async function deliveryCounters(q: Queryable, scope: StatsScope): Promise<CounterRow[]> {
  const { rows } = await q.query<CounterRow>(
    `select d.endpoint_id, min(ep.url) as url,
       count(*)::int as total,
       count(*) filter (where d.status = 'delivered')::int as delivered,
       count(*) filter (where d.status = 'failed')::int as failed,
       count(*) filter (where d.status in ('pending', 'dispatched'))::int as pending,
       count(*) filter (where d.status = 'skipped')::int as skipped,
       (avg(extract(epoch from d.delivered_at - d.created_at) * 1000)
         filter (where d.status = 'delivered'))::float8 as avg_delivery_ms,
       (percentile_cont(0.95) within group (order by extract(epoch from d.delivered_at - d.created_at) * 1000)
         filter (where d.status = 'delivered'))::float8 as p95_delivery_ms,
       coalesce(sum(greatest(d.attempt_count - 1, 0)), 0)::int as retries
     from webhook_deliveries d join webhook_endpoints ep on ep.id = d.endpoint_id
     where ${SCOPE}
     group by grouping sets ((d.endpoint_id), ())`,
    scopeValues(scope),
  );
  return rows;
}

async function attemptTimings(q: Queryable, scope: StatsScope): Promise<AttemptTimingRow[]> {
  const { rows } = await q.query<AttemptTimingRow>(
    `select d.endpoint_id, avg(a.duration_ms)::float8 as avg_attempt_ms,
       (percentile_cont(0.95) within group (order by a.duration_ms))::float8 as p95_attempt_ms
     from webhook_deliveries d join webhook_attempts a on a.delivery_id = d.id
     where ${SCOPE}
     group by grouping sets ((d.endpoint_id), ())`,
    scopeValues(scope),
  );
  return rows;
}

async function deliverySeries(q: Queryable, scope: StatsScope, bucketSeconds: number): Promise<SeriesPoint[]> {
  // date_bin with the range start as origin: buckets line up with `since` whatever the bucket length.
  const { rows } = await q.query<SeriesPoint>(
    `select date_bin(make_interval(secs => $5), d.created_at, $2::timestamptz) as start,
       count(*) filter (where d.status = 'delivered')::int as delivered,
       count(*) filter (where d.status = 'failed')::int as failed,
       count(*)::int as total
     from webhook_deliveries d
     where ${SCOPE}
     group by 1 order by 1`,
    [...scopeValues(scope), bucketSeconds],
  );
  return rows;
}

const round = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);

function counters(row: CounterRow | undefined, timing: AttemptTimingRow | undefined): Counters {
  const delivered = row?.delivered ?? 0;
  const failed = row?.failed ?? 0;
  return {
    total: row?.total ?? 0,
    delivered,
    failed,
    pending: row?.pending ?? 0,
    skipped: row?.skipped ?? 0,
    success_rate: delivered + failed === 0 ? null : delivered / (delivered + failed),
    avg_delivery_ms: round(row?.avg_delivery_ms ?? null),
    p95_delivery_ms: round(row?.p95_delivery_ms ?? null),
    avg_attempt_ms: round(timing?.avg_attempt_ms ?? null),
    p95_attempt_ms: round(timing?.p95_attempt_ms ?? null),
    retries: row?.retries ?? 0,
  };
}

/** Every bucket of the range, empty ones included, so a chart needs no gap filling. */
function fillSeries(points: SeriesPoint[], scope: StatsScope, bucketSeconds: number): SeriesPoint[] {
  const byStart = new Map(points.map((p) => [new Date(p.start).getTime(), p]));
  const out: SeriesPoint[] = [];
  for (let t = scope.since.getTime(); t < scope.until.getTime(); t += bucketSeconds * 1000) {
    out.push(byStart.get(t) ?? { start: new Date(t), delivered: 0, failed: 0, total: 0 });
  }
  return out;
}

export type EndpointStats = Counters &
  AttemptCounters & {
    endpoint_id: string;
    url: string;
    circuit: 'closed' | 'open' | 'half_open';
    consecutive_failures: number;
    failing_since: Date | null;
    last_failure: AttemptFailure | null;
  };

/**
 * Delivery counters over deliveries created in the window; attempt counters and failures over attempts started in it;
 * each endpoint's breaker and run of failures as they are now. An endpoint is listed when it has either.
 */
export async function deliveryStats(q: Queryable, scope: StatsScope, bucketSeconds: number, now: Date) {
  const [rows, timings, points, attemptRows, recent, lastOf] = await Promise.all([
    deliveryCounters(q, scope),
    attemptTimings(q, scope),
    deliverySeries(q, scope, bucketSeconds),
    attemptCounters(q, scope),
    recentFailures(q, scope),
    lastFailures(q, scope),
  ]);
  const timingOf = (endpointId: string | null) => timings.find((t) => t.endpoint_id === endpointId);
  const attemptsOf = (endpointId: string | null) => attemptRows.find((a) => a.endpoint_id === endpointId);
  const endpointIds = [
    ...new Set([...rows, ...attemptRows].map((r) => r.endpoint_id).filter((id): id is string => id !== null)),
  ];
  const health = new Map((await endpointHealth(q, scope.tenantId, endpointIds)).map((h) => [h.id, h]));
  const perEndpoint: EndpointStats[] = endpointIds.map((id) => {
    const row = rows.find((r) => r.endpoint_id === id);
    const h = health.get(id);
    return {
      endpoint_id: id,
      url: row?.url ?? h?.url ?? '',
      ...counters(row, timingOf(id)),
      ...attemptTotals(attemptsOf(id)),
      circuit: circuitState(h?.circuit_open_until ?? null, now),
      consecutive_failures: h?.consecutive_failures ?? 0,
      failing_since: h?.failing_since ?? null,
      last_failure: lastOf.find((f) => f.endpoint_id === id) ?? null,
    };
  });
  return {
    overall: {
      ...counters(
        rows.find((r) => r.endpoint_id === null),
        timingOf(null),
      ),
      ...attemptTotals(attemptsOf(null)),
    },
    perEndpoint: perEndpoint.sort(
      (a, b) => b.total - a.total || b.attempts - a.attempts || a.endpoint_id.localeCompare(b.endpoint_id),
    ),
    recentFailures: recent,
    series: fillSeries(points, scope, bucketSeconds),
  };
}

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;
/** Bucket lengths the default picks from, shortest first. */
const LADDER = [60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86_400, 7 * 86_400, 30 * 86_400];
export const MAX_BUCKETS = 48;
/** An explicit bucket may give a finer series, up to this many points. */
const MAX_EXPLICIT_BUCKETS = 1000;

/** `5m`, `1h`, `1d` → seconds; absent: the shortest bucket that covers the range in at most 48 points. */
export function bucketSeconds(bucket: string | undefined, rangeMs: number): number {
  if (bucket === undefined) {
    return (
      LADDER.find((s) => Math.ceil(rangeMs / (s * 1000)) <= MAX_BUCKETS) ?? Math.ceil(rangeMs / 1000 / MAX_BUCKETS)
    );
  }
  const match = /^(\d+)([smhd])$/.exec(bucket);
  const seconds = match ? Number(match[1]) * UNIT_SECONDS[match[2] as keyof typeof UNIT_SECONDS] : 0;
  if (seconds <= 0 || Math.ceil(rangeMs / (seconds * 1000)) > MAX_EXPLICIT_BUCKETS)
    throw new ApiError('time_range_invalid', `A bucket of ${bucket} gives more than ${MAX_EXPLICIT_BUCKETS} points.`, {
      errors: [{ path: 'querystring.bucket', message: `at most ${MAX_EXPLICIT_BUCKETS} buckets in the range` }],
    });
  return seconds;
}
