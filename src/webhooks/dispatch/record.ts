import type { Db, Queryable } from '../../core/db/port.js';
import { newId } from '../../core/ids.js';
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
  /** First open period; doubles on each re-open up to `breakerMaxCooldownMs`. */
  breakerCooldownMs: number;
  breakerMaxCooldownMs: number;
};

type HealthRow = {
  tenant_id: string;
  url: string;
  enabled: boolean;
  consecutive_failures: number;
  failing_since: Date | null;
  circuit_opens: number;
};

/**
 * Store one attempt and its consequences in one transaction: the attempt row (kept forever, until retention), the
 * delivery's new status, the endpoint's health (breaker, throttle, disable), and the operational events
 * `delivery.exhausted`, `endpoint.disabled` and `endpoint.recovered`. If the delivery's lease was lost meanwhile (the
 * node was presumed dead and another took the delivery over), only the attempt is kept: the new owner decides.
 *
 * @returns whether the endpoint was disabled by this attempt (its cached target must be forgotten everywhere).
 */
export async function recordAttempt(db: Db, record: AttemptRecord, now: Date, policy: HealthPolicy): Promise<boolean> {
  return db.transaction(async (tx) => {
    const d = record.delivery;
    await insertAttempt(tx, record);
    const status = record.kind === 'delivered' ? 'delivered' : record.nextAttemptAt ? 'pending' : 'failed';
    const { rowCount } = await tx.query(
      `update webhook_deliveries set status = $3, lease_until = null, next_attempt_at = $4, next_trigger = 'scheduled',
         last_status_code = $5, last_error = $6, updated_at = $7,
         delivered_at = case when $3 = 'delivered' then $7 else delivered_at end
       where id = $1 and status = 'dispatched' and lease_until = $2`,
      [
        d.id,
        d.lease_until,
        status,
        record.nextAttemptAt ?? null,
        record.statusCode ?? null,
        record.kind === 'delivered' ? null : (record.error ?? null),
        now,
      ],
    );
    if (rowCount === 0) return false;

    const health = await lockHealth(tx, d.endpoint_id);
    if (!health) return false;
    if (record.kind === 'delivered') {
      await markHealthy(tx, d, health);
      return false;
    }
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

async function insertAttempt(q: Queryable, r: AttemptRecord): Promise<void> {
  await q.query(
    `insert into webhook_attempts (id, delivery_id, tenant_id, endpoint_id, attempt_number, trigger, started_at,
       duration_ms, outcome, status_code, error, response_headers, response_body, response_truncated, request_url)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13, $14, $15)`,
    [
      newId('att'),
      r.delivery.id,
      r.delivery.tenant_id,
      r.delivery.endpoint_id,
      r.delivery.attempt_count,
      r.delivery.next_trigger,
      r.startedAt,
      Math.round(r.durationMs),
      r.kind,
      r.statusCode ?? null,
      r.error ?? null,
      r.responseHeaders ? JSON.stringify(r.responseHeaders) : null,
      r.responseBody ?? null,
      r.responseTruncated ?? false,
      r.url,
    ],
  );
}

async function lockHealth(q: Queryable, endpointId: string): Promise<HealthRow | undefined> {
  const { rows } = await q.query<HealthRow>(
    `select tenant_id, url, enabled, consecutive_failures, failing_since, circuit_opens
     from webhook_endpoints where id = $1 for update`,
    [endpointId],
  );
  return rows[0];
}

async function markHealthy(q: Queryable, d: ClaimedDelivery, health: HealthRow): Promise<void> {
  if (health.consecutive_failures === 0 && health.circuit_opens === 0) return;
  await q.query(
    `update webhook_endpoints set consecutive_failures = 0, failing_since = null, circuit_open_until = null,
       circuit_opens = 0, throttled_until = null
     where id = $1`,
    [d.endpoint_id],
  );
  if (health.circuit_opens > 0) {
    await publishEvent(q, {
      tenantId: d.tenant_id,
      type: 'endpoint.recovered',
      data: { endpoint_id: d.endpoint_id, url: health.url, failures: health.consecutive_failures },
    });
  }
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
  const opens = failures >= policy.breakerThreshold;
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
