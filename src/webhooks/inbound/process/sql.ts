import type { Queryable } from '../../../core/db/port.js';
import type { StoredRule } from '../sources/config.js';
import type { ActionResult } from './results.js';
import { asBuffer, jsonbText } from './rules.js';

/** An inbound event claimed for processing, with its source's rules. */
export type ClaimedEvent = {
  id: string;
  tenant_id: string;
  source_id: string;
  event_type: string | null;
  headers: Record<string, string>;
  body: Buffer | null;
  content_type: string | null;
  results: { matched_rules: string[]; actions: ActionResult[] } | null;
  attempts: number;
  replays: number;
  rules: StoredRule[];
};

const withBuffer = (row: ClaimedEvent): ClaimedEvent => ({ ...row, body: asBuffer(row.body) });

const CLAIM_RETURNING = `e.id, e.tenant_id, e.source_id, e.event_type, e.headers, e.body, e.content_type, e.results,
  e.attempts, e.replays, s.rules`;

/**
 * A disabled tenant's events are not routed: they stay `received` and due, and are processed once the tenant is
 * enabled again (the claim sees the tenant's state at that moment, so no notification is needed).
 */
const TENANT_ENABLED = `not exists (select 1 from tenants t where t.id = e.tenant_id and t.disabled_at is not null)`;

/**
 * Claim up to `limit` due events: `FOR UPDATE SKIP LOCKED`, so nodes claiming at once take different rows, then
 * leased until `leaseUntil`. An event whose lease ended is claimed again only once `recoverEventLeases` cleared it.
 */
export async function claimDueEvents(
  q: Queryable,
  now: Date,
  limit: number,
  leaseUntil: Date,
): Promise<ClaimedEvent[]> {
  const { rows } = await q.query<ClaimedEvent>(
    `with picked as (
       select id from inbound_events e
       where status = 'received' and next_attempt_at <= $1 and lease_until is null and ${TENANT_ENABLED}
       order by next_attempt_at limit $2 for update skip locked
     )
     update inbound_events e set lease_until = $3, attempts = e.attempts + 1
     from picked, inbound_sources s
     where e.id = picked.id and s.id = e.source_id
     returning ${CLAIM_RETURNING}`,
    [now, limit, leaseUntil],
  );
  return rows.map(withBuffer);
}

/** Claim one event whether due or not (a synchronous source's request, which ingest stored not yet due). */
export async function claimEvent(q: Queryable, id: string, leaseUntil: Date): Promise<ClaimedEvent | undefined> {
  const { rows } = await q.query<ClaimedEvent>(
    `with picked as (
       select id from inbound_events e
       where id = $1 and status = 'received' and lease_until is null and ${TENANT_ENABLED}
       for update skip locked
     )
     update inbound_events e set lease_until = $2, attempts = e.attempts + 1
     from picked, inbound_sources s
     where e.id = picked.id and s.id = e.source_id
     returning ${CLAIM_RETURNING}`,
    [id, leaseUntil],
  );
  return rows[0] && withBuffer(rows[0]);
}

/**
 * Events whose lease ended before `leaseEnded` were claimed by a node that died mid-processing: claimable again
 * (`'all'`: every leased event, when this process is known to be the only one). They run again from the results
 * stored last: a publish is not repeated (its idempotency key), a forward sent but not recorded is.
 */
export async function recoverEventLeases(q: Queryable, leaseEnded: Date | 'all'): Promise<number> {
  const { rowCount } = await q.query(
    `update inbound_events set lease_until = null where status = 'received' and lease_until < $1::timestamptz`,
    [leaseEnded === 'all' ? 'infinity' : leaseEnded],
  );
  return rowCount;
}

export type Outcome = {
  /** `received`: a retry is due at `nextAttemptAt`. */
  status: 'received' | 'processed' | 'failed';
  results: { matched_rules: string[]; actions: ActionResult[] };
  error: string | null;
  now: Date;
  nextAttemptAt: Date | null;
};

/** Store how processing went and end the event's lease. */
export async function storeOutcome(q: Queryable, id: string, outcome: Outcome): Promise<void> {
  await q.query(
    `update inbound_events set status = $2::text, results = $3::jsonb, error = $4, lease_until = null,
       processed_at = case when $2::text = 'received' then processed_at else $5::timestamptz end,
       next_attempt_at = $6::timestamptz
     where id = $1`,
    [id, outcome.status, jsonbText(outcome.results), outcome.error, outcome.now, outcome.nextAttemptAt],
  );
}
