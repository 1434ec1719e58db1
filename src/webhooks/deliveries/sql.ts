import type { Queryable } from '../../core/db/port.js';

export const DELIVERY_STATUSES = ['pending', 'dispatched', 'delivered', 'failed', 'skipped'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export type AttemptTrigger = 'scheduled' | 'manual' | 'replay';

export type DeliveryRow = {
  id: string;
  tenant_id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  status: DeliveryStatus;
  attempt_count: number;
  next_attempt_at: Date | null;
  next_trigger: AttemptTrigger;
  last_status_code: number | null;
  last_error: string | null;
  skip_reason: string | null;
  created_at: Date;
  updated_at: Date;
  delivered_at: Date | null;
};

export type AttemptRow = {
  id: string;
  delivery_id: string;
  attempt_number: number;
  trigger: AttemptTrigger;
  started_at: Date;
  duration_ms: number | null;
  outcome: string;
  status_code: number | null;
  error: string | null;
  response_headers: Record<string, string> | null;
  request_url: string;
  response_truncated: boolean;
};

export type AttemptDetailRow = AttemptRow & { response_body: string | null };

const COLUMNS =
  'd.id, d.tenant_id, d.endpoint_id, d.event_id, d.event_type, d.status, d.attempt_count, d.next_attempt_at, ' +
  'd.next_trigger, d.last_status_code, d.last_error, d.skip_reason, d.created_at, d.updated_at, d.delivered_at';
const ATTEMPT_COLUMNS =
  'a.id, a.delivery_id, a.attempt_number, a.trigger, a.started_at, a.duration_ms, a.outcome, a.status_code, a.error, ' +
  'a.response_headers, a.request_url, a.response_truncated';

export type DeliveryFilter = {
  endpointId?: string | undefined;
  eventTypes?: string[] | undefined;
  statuses?: string[] | undefined;
  since?: string | undefined;
  until?: string | undefined;
  /** An event id (exact or prefix) or a delivery id. */
  text?: string | undefined;
  beforeId?: string | undefined;
  limit: number;
};

/** The delivery log, newest first; ids are time-ordered, so the id is the cursor. */
export async function listDeliveries(q: Queryable, tenantId: string, f: DeliveryFilter): Promise<DeliveryRow[]> {
  const { rows } = await q.query<DeliveryRow>(
    `select ${COLUMNS} from webhook_deliveries d
     where d.tenant_id = $1
       and ($2::text is null or d.endpoint_id = $2)
       and ($3::text[] is null or d.event_type = any($3::text[]))
       and ($4::text[] is null or d.status = any($4::text[]))
       and ($5::timestamptz is null or d.created_at >= $5)
       and ($6::timestamptz is null or d.created_at < $6)
       and ($7::text is null or d.id = $7 or starts_with(d.event_id, $7))
       and ($8::text is null or d.id < $8)
     order by d.id desc
     limit $9`,
    [
      tenantId,
      f.endpointId ?? null,
      f.eventTypes ?? null,
      f.statuses ?? null,
      f.since ?? null,
      f.until ?? null,
      f.text ?? null,
      f.beforeId ?? null,
      f.limit + 1,
    ],
  );
  return rows;
}

export async function getDelivery(q: Queryable, tenantId: string, id: string): Promise<DeliveryRow | undefined> {
  const { rows } = await q.query<DeliveryRow>(
    `select ${COLUMNS} from webhook_deliveries d where d.tenant_id = $1 and d.id = $2`,
    [tenantId, id],
  );
  return rows[0];
}

/**
 * Lock the delivery (a dispatcher claiming it waits, and one that holds it shows as `dispatched`), with whether its
 * endpoint is enabled.
 */
export async function lockDelivery(
  q: Queryable,
  tenantId: string,
  id: string,
): Promise<(DeliveryRow & { endpoint_enabled: boolean }) | undefined> {
  const { rows } = await q.query<DeliveryRow & { endpoint_enabled: boolean }>(
    `select ${COLUMNS}, ep.enabled as endpoint_enabled
     from webhook_deliveries d join webhook_endpoints ep on ep.id = d.endpoint_id
     where d.tenant_id = $1 and d.id = $2
     for update of d`,
    [tenantId, id],
  );
  return rows[0];
}

/**
 * Make a delivery due again: a new attempt will be appended (the old ones stay), starting the retry schedule over.
 * `last_error` is kept so the log still says why it failed until the new attempt reports.
 */
export async function requeueDelivery(
  q: Queryable,
  id: string,
  now: Date,
  trigger: 'manual' | 'replay',
): Promise<DeliveryRow> {
  const { rows } = await q.query<DeliveryRow>(
    `update webhook_deliveries d set status = 'pending', next_attempt_at = $2, schedule_attempt = 0,
       next_trigger = $3, skip_reason = null, lease_until = null, updated_at = now()
     where d.id = $1 returning ${COLUMNS}`,
    [id, now, trigger],
  );
  return rows[0] as DeliveryRow;
}

/** A delivery's attempts, oldest first, without response bodies. */
export async function listAttempts(q: Queryable, deliveryId: string): Promise<AttemptRow[]> {
  const { rows } = await q.query<AttemptRow>(
    `select ${ATTEMPT_COLUMNS} from webhook_attempts a where a.delivery_id = $1
     order by a.attempt_number, a.started_at, a.id`,
    [deliveryId],
  );
  return rows;
}

export async function getAttempt(
  q: Queryable,
  tenantId: string,
  deliveryId: string,
  attemptId: string,
): Promise<AttemptDetailRow | undefined> {
  const { rows } = await q.query<AttemptDetailRow>(
    `select ${ATTEMPT_COLUMNS}, a.response_body from webhook_attempts a
     where a.tenant_id = $1 and a.delivery_id = $2 and a.id = $3`,
    [tenantId, deliveryId, attemptId],
  );
  return rows[0];
}

/** What a replay covers: events created in [since, until), optionally one endpoint and some types. */
export type ReplayScope = {
  tenantId: string;
  since: Date;
  until: Date;
  endpointId?: string | undefined;
  eventTypes?: string[] | undefined;
  /** Statuses of existing deliveries to send again (never `dispatched`: an attempt is in flight). */
  statuses: string[];
};

const replayValues = (s: ReplayScope) => [
  s.tenantId,
  s.since,
  s.until,
  s.endpointId ?? null,
  s.eventTypes ?? null,
  s.statuses.filter((status) => status !== 'dispatched'),
];

// Existing deliveries in a replay's scope ($1…$6 from replayValues). The range is on the event's time, like
// fanOut's, so a replay re-sends the same events whose missing deliveries it creates.
const REPLAY_MATCH = `d.tenant_id = $1 and ev.id = d.event_id and ep.id = d.endpoint_id
  and ev.created_at >= $2 and ev.created_at < $3
  and ($4::text is null or d.endpoint_id = $4)
  and ($5::text[] is null or d.event_type = any($5::text[]))
  and d.status = any($6::text[])`;

/** Existing deliveries a replay would re-send, and those it leaves alone because their endpoint is disabled. */
export async function countReplayable(
  q: Queryable,
  scope: ReplayScope,
): Promise<{ requeue: number; disabled: number }> {
  const { rows } = await q.query<{ requeue: number; disabled: number }>(
    `select count(*) filter (where ep.enabled)::int as requeue, count(*) filter (where not ep.enabled)::int as disabled
     from webhook_deliveries d, events ev, webhook_endpoints ep
     where ${REPLAY_MATCH}`,
    replayValues(scope),
  );
  return rows[0] ?? { requeue: 0, disabled: 0 };
}

export async function requeueReplayable(q: Queryable, scope: ReplayScope, now: Date): Promise<number> {
  const { rowCount } = await q.query(
    `update webhook_deliveries d set status = 'pending', next_attempt_at = $7, schedule_attempt = 0,
       next_trigger = 'replay', skip_reason = null, lease_until = null, updated_at = now()
     from events ev, webhook_endpoints ep
     where ${REPLAY_MATCH} and ep.enabled`,
    [...replayValues(scope), now],
  );
  return rowCount;
}
