import type { Db, Queryable } from '../../core/db/port.js';
import { publishEvent } from '../../events/publish.js';
import type { ClaimedDelivery } from './claim.js';

/** How an attempt ended, as stored on the attempt row. */
export type AttemptKind = 'delivered' | 'failed' | 'throttled' | 'gone' | 'blocked';

export type AttemptRecord = {
  delivery: ClaimedDelivery;
  url: string;
  startedAt: Date;
  durationMs: number;
  kind: AttemptKind;
  statusCode?: number | undefined;
  error?: string | undefined;
  responseHeaders?: Record<string, string> | undefined;
  responseBody?: string | undefined;
  responseTruncated?: boolean;
  /** When the delivery is due again; undefined after success, on 410, or once the schedule is exhausted. */
  nextAttemptAt?: Date | undefined;
  /** 429 / 502 / 504 / timeout: the whole endpoint waits this long (Retry-After or the throttle penalty). */
  throttleMs?: number | undefined;
};

export type HealthPolicy = {
  /** Nothing but failures for this long disables the endpoint. */
  disableAfterMs: number;
  /** Consecutive failures that open the breaker. */
  breakerThreshold: number;
  /** First open period; doubles each time a half-open probe fails, up to `breakerMaxCooldownMs`. */
  breakerCooldownMs: number;
  breakerMaxCooldownMs: number;
};

type HealthRow = {
  tenant_id: string;
  url: string;
  enabled: boolean;
  consecutive_failures: number;
  failing_since: Date | null;
  circuit_open_until: Date | null;
  circuit_opens: number;
};

/**
 * Store one failed attempt and its consequences in one transaction: the attempt's outcome (kept until retention), the
 * delivery's new status, the endpoint's health (breaker, throttle, disable), and the operational events
 * `delivery.exhausted` and `endpoint.disabled`. If the delivery's lease was lost meanwhile (the
 * node was presumed dead and another took the delivery over), only the attempt is kept: the new owner decides.
 *
 * @returns whether the endpoint was disabled by this attempt (its cached target must be forgotten everywhere).
 */
export async function recordFailure(db: Db, record: AttemptRecord, now: Date, policy: HealthPolicy): Promise<boolean> {
  return db.transaction(async (tx) => {
    const d = record.delivery;
    await completeAttempts(tx, [record]);
    const status = record.nextAttemptAt ? 'pending' : 'failed';
    const { rowCount } = await tx.query(
      `update webhook_deliveries set status = $3, lease_until = null, next_attempt_at = $4, next_trigger = 'scheduled',
         last_status_code = $5, last_error = $6, updated_at = $7
       where id = $1 and status = 'dispatched' and lease_until = $2`,
      [d.id, d.lease_until, status, record.nextAttemptAt ?? null, record.statusCode ?? null, record.error ?? null, now],
    );
    if (rowCount === 0) return false;

    const health = await lockHealth(tx, d.endpoint_id);
    if (!health) return false;
    if (status === 'failed' && record.kind !== 'gone') {
      await publishEvent(tx, {
        tenantId: d.tenant_id,
        type: 'delivery.exhausted',
        data: {
          endpoint_id: d.endpoint_id,
          delivery_id: d.id,
          event_id: d.event_id,
          event_type: d.event_type,
          attempts: d.attempt_count,
          last_error: record.error ?? null,
        },
      });
    }
    return markFailing(tx, d, health, record, now, policy);
  });
}

/**
 * Complete attempt rows written `in_flight` by the claim, one statement for any number of them. By id, whatever the
 * row says now: an attempt that lease recovery presumed interrupted gets its real outcome if its node did finish.
 */
async function completeAttempts(q: Queryable, records: readonly AttemptRecord[]): Promise<void> {
  const column = <T>(pick: (r: AttemptRecord) => T) => records.map(pick);
  await q.query(
    `update webhook_attempts a set duration_ms = v.duration_ms, outcome = v.outcome, status_code = v.status_code,
       error = v.error, response_headers = v.response_headers, response_body = v.response_body,
       response_truncated = v.response_truncated, request_url = v.request_url
     from unnest($1::text[], $2::int[], $3::text[], $4::int[], $5::text[], $6::jsonb[], $7::text[], $8::boolean[],
       $9::text[]) as v(id, duration_ms, outcome, status_code, error, response_headers, response_body,
       response_truncated, request_url)
     where a.id = v.id`,
    [
      column((r) => r.delivery.attempt_id),
      column((r) => Math.round(r.durationMs)),
      column((r) => r.kind),
      column((r) => r.statusCode ?? null),
      column((r) => r.error ?? null),
      column((r) => (r.responseHeaders ? JSON.stringify(r.responseHeaders) : null)),
      column((r) => r.responseBody ?? null),
      column((r) => r.responseTruncated ?? false),
      column((r) => r.url),
    ],
  );
}

async function lockHealth(q: Queryable, endpointId: string): Promise<HealthRow | undefined> {
  const { rows } = await q.query<HealthRow>(
    `select tenant_id, url, enabled, consecutive_failures, failing_since, circuit_open_until, circuit_opens
     from webhook_endpoints where id = $1 for update`,
    [endpointId],
  );
  return rows[0];
}

async function markFailing(
  q: Queryable,
  d: ClaimedDelivery,
  health: HealthRow,
  record: AttemptRecord,
  now: Date,
  policy: HealthPolicy,
): Promise<boolean> {
  const failures = health.consecutive_failures + 1;
  const failingSince = health.failing_since ?? record.startedAt;
  const disableReason =
    record.kind === 'gone'
      ? 'gone'
      : now.getTime() - failingSince.getTime() >= policy.disableAfterMs
        ? 'failing'
        : undefined;
  // The breaker escalates once per opening: when the threshold is reached with the circuit closed, or when the
  // half-open probe fails. Attempts already in flight when it opened fail afterwards without changing it (twenty
  // concurrent failures open it for the first cool-down, not for twenty doublings of it).
  const opens = d.probe || (health.circuit_open_until === null && failures >= policy.breakerThreshold);
  const cooldown = Math.min(
    policy.breakerCooldownMs * 2 ** Math.min(health.circuit_opens, 20),
    policy.breakerMaxCooldownMs,
  );
  await q.query(
    `update webhook_endpoints set consecutive_failures = $2, failing_since = $3,
       circuit_open_until = case when $4 then $5::timestamptz else circuit_open_until end,
       circuit_opens = circuit_opens + case when $4 then 1 else 0 end,
       throttled_until = case when $6::timestamptz is null then throttled_until
                              else greatest(coalesce(throttled_until, $6::timestamptz), $6::timestamptz) end,
       enabled = case when $7::text is null then enabled else false end,
       disabled_reason = coalesce($7::text, disabled_reason),
       updated_at = case when $7::text is null then updated_at else $8 end
     where id = $1`,
    [
      d.endpoint_id,
      failures,
      failingSince,
      opens,
      new Date(now.getTime() + cooldown),
      record.throttleMs !== undefined ? new Date(now.getTime() + record.throttleMs) : null,
      health.enabled ? (disableReason ?? null) : null,
      now,
    ],
  );
  if (!health.enabled || disableReason === undefined) return false;
  await publishEvent(q, {
    tenantId: d.tenant_id,
    type: 'endpoint.disabled',
    data: {
      endpoint_id: d.endpoint_id,
      url: health.url,
      reason: disableReason,
      failing_since: failingSince.toISOString(),
      last_status_code: record.statusCode ?? null,
      last_error: record.error ?? null,
    },
  });
  return true;
}

/**
 * Store successful attempts in one transaction (group commit): the common case, batched so that a busy node pays
 * one commit for many deliveries instead of one each. Endpoints that had been failing are reset, and those whose
 * breaker had opened publish `endpoint.recovered`. A delivery whose lease was lost keeps only its attempt row.
 */
export async function recordDelivered(db: Db, records: readonly AttemptRecord[], now: Date): Promise<void> {
  if (records.length === 0) return;
  const column = <T>(pick: (r: AttemptRecord) => T) => records.map(pick);
  await db.transaction(async (tx) => {
    await completeAttempts(tx, records);
    await tx.query(
      `update webhook_deliveries d set status = 'delivered', lease_until = null, next_attempt_at = null,
         next_trigger = 'scheduled', last_status_code = v.code, last_error = null, updated_at = $4, delivered_at = $4
       from unnest($1::text[], $2::timestamptz[], $3::int[]) as v(id, lease, code)
       where d.id = v.id and d.status = 'dispatched' and d.lease_until = v.lease`,
      [column((r) => r.delivery.id), column((r) => r.delivery.lease_until), column((r) => r.statusCode ?? null), now],
    );
    const endpointIds = [...new Set(column((r) => r.delivery.endpoint_id))];
    const { rows } = await tx.query<{ id: string; tenant_id: string; url: string; failures: number; opens: number }>(
      `with old as (
         select id, tenant_id, url, consecutive_failures, circuit_opens from webhook_endpoints
         where id = any($1::text[]) and (consecutive_failures > 0 or circuit_opens > 0) for update
       )
       update webhook_endpoints e set consecutive_failures = 0, failing_since = null, circuit_open_until = null,
         circuit_opens = 0, throttled_until = null
       from old where e.id = old.id
       returning old.id, old.tenant_id, old.url, old.consecutive_failures as failures, old.circuit_opens as opens`,
      [endpointIds],
    );
    for (const row of rows) {
      if (row.opens === 0) continue;
      await publishEvent(tx, {
        tenantId: row.tenant_id,
        type: 'endpoint.recovered',
        data: { endpoint_id: row.id, url: row.url, failures: row.failures },
      });
    }
  });
}
