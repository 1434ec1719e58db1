import type { Queryable } from '../../core/db/port.js';

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
 */
export async function claimDeliveries(
  q: Queryable,
  limits: ReadonlyMap<string, ClaimLimit>,
  now: Date,
  leaseUntil: Date,
): Promise<ClaimedDelivery[]> {
  if (limits.size === 0) return [];
  const { rows } = await q.query<ClaimedDelivery>(
    `with picked as (
       select c.id, e.probe
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
     )
     update webhook_deliveries d
     set status = 'dispatched', lease_until = $4, attempt_count = d.attempt_count + 1,
       schedule_attempt = d.schedule_attempt + 1, updated_at = $3
     from picked, events ev
     where d.id = picked.id and ev.id = d.event_id
     returning d.id, d.tenant_id, d.endpoint_id, d.event_id, d.event_type, d.attempt_count, d.schedule_attempt,
       d.next_trigger, d.lease_until, ev.data::text as data_text, ev.created_at as event_created_at, picked.probe`,
    [
      [...limits.keys()],
      [...limits.values()].map((l) => l.limit),
      now,
      leaseUntil,
      [...limits.values()].map((l) => l.probe),
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

/**
 * Deliveries whose lease ran out were claimed by a node that died mid-attempt: due again at once (`'all'`: every
 * dispatched delivery, when this process is known to be the only one). The receiver may
 * have got that attempt, so this is at-least-once delivery; the retry carries the same `webhook-id`.
 */
export async function recoverExpiredLeases(q: Queryable, now: Date | 'all'): Promise<number> {
  const { rowCount } = await q.query(
    `update webhook_deliveries set status = 'pending', lease_until = null,
       next_attempt_at = least($1::timestamptz, now()), updated_at = least($1::timestamptz, now())
     where status = 'dispatched' and lease_until < $1::timestamptz`,
    [now === 'all' ? 'infinity' : now],
  );
  return rowCount;
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
