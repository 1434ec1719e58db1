import type { Queryable } from '../../core/db/port.js';
import { newId } from '../../core/ids.js';

/** An endpoint with deliveries due, as the dispatcher sees it when deciding how many to claim. */
export type DueEndpoint = {
  id: string;
  enabled: boolean;
  ordering: 'none' | 'endpoint' | 'key';
  rate_limit_per_second: number | null;
  /** Set: the breaker opened; at or before now a half-open probe is due. */
  circuit_open_until: Date | null;
};

/** A delivery claimed for one attempt, with what the request needs from its event. */
export type ClaimedDelivery = {
  id: string;
  tenant_id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  attempt_count: number;
  schedule_attempt: number;
  next_trigger: 'scheduled' | 'manual' | 'replay';
  lease_until: Date;
  /** The half-open probe of its endpoint's breaker: its failure re-opens the circuit for longer. */
  probe: boolean;
  /** Its attempt, written `in_flight` by the claim itself and completed when the attempt finishes. */
  attempt_id: string;
  /** The event's data as JSON text, spliced into the body without a parse and re-serialise. */
  data_text: string;
  event_created_at: Date;
};

/**
 * Endpoints with at least one delivery due: enabled ones whose circuit is closed or due a half-open probe and that
 * are not throttled, and disabled ones (their due deliveries are skipped, not sent). One index probe per endpoint.
 * Endpoints of a disabled tenant are left out altogether: their deliveries wait, pending, until it is enabled again.
 */
export async function dueEndpoints(q: Queryable, now: Date): Promise<DueEndpoint[]> {
  const { rows } = await q.query<DueEndpoint>(
    `select ep.id, ep.enabled, ep.ordering, ep.rate_limit_per_second, ep.circuit_open_until
     from webhook_endpoints ep join tenants t on t.id = ep.tenant_id and t.disabled_at is null
     where (not ep.enabled or (
         coalesce(ep.circuit_open_until, '-infinity') <= $1 and coalesce(ep.throttled_until, '-infinity') <= $1))
       and exists (select 1 from webhook_deliveries d
                   where d.endpoint_id = ep.id and d.status = 'pending' and d.next_attempt_at <= $1)`,
    [now],
  );
  return rows;
}

/** How many due deliveries of an endpoint to claim, and whether the claim is its breaker's half-open probe. */
export type ClaimLimit = { limit: number; probe: boolean };

/**
 * Claim up to `limit` due deliveries of each endpoint: `FOR UPDATE SKIP LOCKED`, so nodes claiming at once take
 * different rows, then `dispatched` under a lease until `leaseUntil`. A FIFO lane (ordering key not null) yields only
 * its oldest unfinished delivery, and only when nothing older in the lane is pending or in flight anywhere.
 *
 * The endpoint is checked again here, not only at discovery: a busy endpoint is fed between discoveries, and meanwhile
 * its breaker may have opened (only the probe then goes out), it may have been throttled or disabled, or its tenant
 * disabled (a disabled tenant's deliveries stay pending, their retries unspent, until it is enabled again).
 *
 * The same statement writes each claimed delivery's attempt as `in_flight` (started at the claim), before its request
 * can leave: a process killed mid-request leaves the attempt in the log, where lease recovery marks it `interrupted`,
 * so the log lists every request a receiver may have seen. It costs no extra round trip or commit per attempt.
 */
export async function claimDeliveries(
  q: Queryable,
  limits: ReadonlyMap<string, ClaimLimit>,
  now: Date,
  leaseUntil: Date,
): Promise<ClaimedDelivery[]> {
  if (limits.size === 0) return [];
  // One id per delivery that may be claimed, handed out in the statement by row number.
  const attemptIds = Array.from({ length: [...limits.values()].reduce((n, l) => n + l.limit, 0) }, () => newId('att'));
  const { rows } = await q.query<ClaimedDelivery>(
    `with picked as (
       select c.id, e.probe, ep.url, row_number() over () as n
       from unnest($1::text[], $2::int[], $5::boolean[]) as e(endpoint_id, lim, probe)
       join webhook_endpoints ep on ep.id = e.endpoint_id and ep.enabled
         and coalesce(ep.throttled_until, '-infinity') <= $3 and (e.probe or ep.circuit_open_until is null)
       join tenants t on t.id = ep.tenant_id and t.disabled_at is null
       cross join lateral (
         select d.id from webhook_deliveries d
         where d.endpoint_id = e.endpoint_id and d.status = 'pending' and d.next_attempt_at <= $3
           and (d.ordering_key is null or not exists (
             select 1 from webhook_deliveries p
             where p.endpoint_id = d.endpoint_id and p.ordering_key = d.ordering_key
               and p.status in ('pending', 'dispatched') and p.event_id < d.event_id))
         order by d.next_attempt_at, d.id
         limit e.lim
         for update skip locked
       ) c
     ), claimed as (
       update webhook_deliveries d
       set status = 'dispatched', lease_until = $4, attempt_count = d.attempt_count + 1,
         schedule_attempt = d.schedule_attempt + 1, updated_at = $3
       from picked, events ev
       where d.id = picked.id and ev.id = d.event_id
       returning d.id, d.tenant_id, d.endpoint_id, d.event_id, d.event_type, d.attempt_count, d.schedule_attempt,
         d.next_trigger, d.lease_until, ev.data::text as data_text, ev.created_at as event_created_at, picked.probe,
         ($6::text[])[picked.n] as attempt_id, picked.url
     ), attempts as (
       insert into webhook_attempts (id, delivery_id, tenant_id, endpoint_id, attempt_number, trigger, started_at,
         outcome, request_url)
       select attempt_id, id, tenant_id, endpoint_id, attempt_count, next_trigger, $3, 'in_flight', url from claimed
     )
     select id, tenant_id, endpoint_id, event_id, event_type, attempt_count, schedule_attempt, next_trigger,
       lease_until, data_text, event_created_at, probe, attempt_id
     from claimed`,
    [
      [...limits.keys()],
      [...limits.values()].map((l) => l.limit),
      now,
      leaseUntil,
      [...limits.values()].map((l) => l.probe),
      attemptIds,
    ],
  );
  return rows;
}

/** Due deliveries of disabled endpoints are skipped, never sent. */
export async function skipDisabled(q: Queryable, endpointIds: readonly string[], now: Date): Promise<number> {
  if (endpointIds.length === 0) return 0;
  const { rowCount } = await q.query(
    `update webhook_deliveries set status = 'skipped', skip_reason = 'endpoint_disabled', next_attempt_at = null,
       updated_at = $2
     where endpoint_id = any($1::text[]) and status = 'pending'`,
    [endpointIds, now],
  );
  return rowCount;
}

/** What an attempt left in flight by a process that stopped says: it is not known whether the receiver got it. */
export const INTERRUPTED_ERROR = 'outcome unknown: the process sending it stopped before the response was recorded';

/**
 * Deliveries whose lease ran out were claimed by a node that died mid-attempt: due again at once (`'all'`: every
 * dispatched delivery, when this process is known to be the only one). The receiver may
 * have got that attempt, so this is at-least-once delivery; the retry carries the same `webhook-id`. Their attempts
 * still `in_flight` are closed as `interrupted` in the same statement (a node that was only slow, not dead, still
 * records the real outcome over it when it finishes).
 */
export async function recoverExpiredLeases(q: Queryable, now: Date | 'all'): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    `with recovered as (
       update webhook_deliveries set status = 'pending', lease_until = null,
         next_attempt_at = least($1::timestamptz, now()), updated_at = least($1::timestamptz, now())
       where status = 'dispatched' and lease_until < $1::timestamptz
       returning id
     ), closed as (
       update webhook_attempts a set outcome = 'interrupted', error = $2
       from recovered where a.delivery_id = recovered.id and a.outcome = 'in_flight'
     )
     select count(*)::int as n from recovered`,
    [now === 'all' ? 'infinity' : now, INTERRUPTED_ERROR],
  );
  return rows[0]?.n ?? 0;
}

/**
 * Take the half-open probe of an endpoint whose breaker cooled down: one node wins, and the breaker stays shut to
 * everyone else until `until` (the probe's lease) or the probe's outcome, whichever comes first.
 */
export async function takeProbe(q: Queryable, endpointId: string, now: Date, until: Date): Promise<boolean> {
  const { rowCount } = await q.query(
    `update webhook_endpoints set circuit_open_until = $3
     where id = $1 and circuit_open_until is not null and circuit_open_until <= $2`,
    [endpointId, now, until],
  );
  return rowCount > 0;
}
