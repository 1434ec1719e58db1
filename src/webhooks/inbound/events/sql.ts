import type { Queryable } from '../../../core/db/port.js';
import type { ActionResult } from '../process/results.js';
import { asBuffer } from '../process/rules.js';

export const INBOUND_STATUSES = ['received', 'processed', 'failed', 'duplicate', 'rejected'] as const;
export type InboundStatus = (typeof INBOUND_STATUSES)[number];

export type InboundEventRow = {
  id: string;
  tenant_id: string;
  source_id: string;
  source_name: string;
  connection_id: string | null;
  received_at: Date;
  status: InboundStatus;
  event_type: string | null;
  dedup_key: string | null;
  duplicate_of: string | null;
  remote_address: string | null;
  content_type: string | null;
  body_size: number;
  rejection: string | null;
  attempts: number;
  next_attempt_at: Date | null;
  processed_at: Date | null;
  results: { matched_rules: string[]; actions: ActionResult[] } | null;
  error: string | null;
  replays: number;
  /** The first bytes of the body (lists), or all of it (detail). */
  body: Buffer | null;
  headers?: Record<string, string>;
};

export const PREVIEW_BYTES = 512;

const COLUMNS = `e.id, e.tenant_id, e.source_id, s.name as source_name, s.connection_id, e.received_at, e.status,
  e.event_type, e.dedup_key, e.duplicate_of, e.remote_address, e.content_type, e.body_size, e.rejection, e.attempts,
  e.next_attempt_at, e.processed_at, e.results, e.error, e.replays`;

export type InboundFilter = {
  sourceId?: string | undefined;
  statuses?: string[] | undefined;
  eventType?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
};

function where(tenantId: string, f: InboundFilter, params: unknown[]): string {
  params.push(tenantId);
  const clauses = [`e.tenant_id = $${params.length}`];
  const add = (sql: (p: string) => string, value: unknown) => {
    params.push(value);
    clauses.push(sql(`$${params.length}`));
  };
  if (f.sourceId) add((p) => `e.source_id = ${p}`, f.sourceId);
  if (f.statuses?.length) add((p) => `e.status = any(${p}::text[])`, f.statuses);
  if (f.eventType) {
    if (f.eventType.endsWith('*')) add((p) => `starts_with(e.event_type, ${p})`, f.eventType.slice(0, -1));
    else add((p) => `e.event_type = ${p}`, f.eventType);
  }
  if (f.since) add((p) => `e.received_at >= ${p}::timestamptz`, f.since);
  if (f.until) add((p) => `e.received_at < ${p}::timestamptz`, f.until);
  return clauses.join(' and ');
}

export async function listInboundEvents(
  q: Queryable,
  tenantId: string,
  f: InboundFilter & { beforeId?: string | undefined; limit: number },
): Promise<InboundEventRow[]> {
  const params: unknown[] = [];
  let sql = where(tenantId, f, params);
  if (f.beforeId) {
    params.push(f.beforeId);
    sql += ` and e.id < $${params.length}`;
  }
  params.push(f.limit + 1);
  const { rows } = await q.query<InboundEventRow>(
    `select ${COLUMNS}, substring(e.body from 1 for ${PREVIEW_BYTES}) as body
     from inbound_events e join inbound_sources s on s.id = e.source_id
     where ${sql} order by e.id desc limit $${params.length}`,
    params,
  );
  return rows.map((r) => ({ ...r, body: asBuffer(r.body) }));
}

export async function getInboundEvent(
  q: Queryable,
  tenantId: string,
  id: string,
  opts: { fullBody: boolean },
): Promise<InboundEventRow | undefined> {
  const body = opts.fullBody ? 'e.body' : `substring(e.body from 1 for ${PREVIEW_BYTES}) as body`;
  const { rows } = await q.query<InboundEventRow>(
    `select ${COLUMNS}, e.headers, ${body}
     from inbound_events e join inbound_sources s on s.id = e.source_id
     where e.tenant_id = $1 and e.id = $2`,
    [tenantId, id],
  );
  return rows[0] && { ...rows[0], body: asBuffer(rows[0].body) };
}

/**
 * Put events back in the queue to run through the rules again (their results start over; publishes get fresh
 * idempotency keys through `replays`). Only processed and failed events, and received ones not in flight: a
 * duplicate's original is the one to replay, and a rejected request's body was never kept.
 */
const REPLAYABLE = `(e.status in ('processed', 'failed')
  or (e.status = 'received' and coalesce(e.lease_until, '-infinity') <= $1))`;

export async function countReplayable(q: Queryable, tenantId: string, f: InboundFilter, now: Date): Promise<number> {
  const params: unknown[] = [now];
  const { rows } = await q.query<{ n: number }>(
    `select count(*)::int as n from inbound_events e where ${REPLAYABLE} and ${where(tenantId, f, params)}`,
    params,
  );
  return rows[0]?.n ?? 0;
}

export async function requeueForReplay(
  q: Queryable,
  tenantId: string,
  f: InboundFilter & { ids?: string[] },
  now: Date,
): Promise<number> {
  const params: unknown[] = [now];
  let sql = where(tenantId, f, params);
  if (f.ids) {
    params.push(f.ids);
    sql += ` and e.id = any($${params.length}::text[])`;
  }
  const { rowCount } = await q.query(
    `update inbound_events e set status = 'received', attempts = 0, next_attempt_at = $1, lease_until = null,
       results = null, error = null, processed_at = null, replays = e.replays + 1
     where ${REPLAYABLE} and ${sql}`,
    params,
  );
  return rowCount;
}
