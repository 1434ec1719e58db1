import type { Queryable } from '../../core/db/port.js';
import { TENANT_MODEL_ID } from './sql.js';

/**
 * Reading the record store: the change feed (records in `seq` order after a cursor) and the models of a
 * connection. Every query names the tenant, so a connection id of another tenant reads nothing.
 */
export type FeedAction = 'added' | 'updated' | 'deleted';

export type FeedRow = {
  record_id: string;
  data: Record<string, unknown>;
  seq: number;
  first_seen_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
};

/**
 * A record inserted and never changed has `updated_at = first_seen_at` (both are the inserting transaction's
 * `now()`); a change or a revival moves `updated_at` on; a deletion sets `deleted_at`.
 */
const actionSql: Record<FeedAction, string> = {
  added: '(deleted_at is null and updated_at = first_seen_at)',
  updated: '(deleted_at is null and updated_at <> first_seen_at)',
  deleted: '(deleted_at is not null)',
};

export function feedAction(row: Pick<FeedRow, 'first_seen_at' | 'updated_at' | 'deleted_at'>): FeedAction {
  if (row.deleted_at) return 'deleted';
  return row.updated_at.getTime() === row.first_seen_at.getTime() ? 'added' : 'updated';
}

export async function connectionInTenant(q: Queryable, tenantId: string, connectionId: string): Promise<boolean> {
  const { rows } = await q.query(`select 1 from connections where id = $1 and tenant_id = $2`, [
    connectionId,
    tenantId,
  ]);
  return rows.length > 0;
}

/**
 * Up to `limit` records changed after `afterSeq`, in change order (the feed index). `modifiedAfter` compares at the
 * millisecond, the precision the API shows times in: a time read from a record excludes that record.
 */
export async function readFeed(
  q: Queryable,
  scope: { tenantId: string; connectionId: string; model: string },
  options: { afterSeq: number; limit: number; modifiedAfter?: string | undefined; actions?: FeedAction[] | undefined },
): Promise<FeedRow[]> {
  const filters = options.actions?.length ? `and (${options.actions.map((a) => actionSql[a]).join(' or ')})` : '';
  const { rows } = await q.query<FeedRow>(
    `select record_id, data, seq, first_seen_at, updated_at, deleted_at from sync_records
      where model_id = ${TENANT_MODEL_ID} and seq > $4
        and ($5::timestamptz is null or date_trunc('milliseconds', updated_at) > $5::timestamptz) ${filters}
      order by seq limit $6`,
    [scope.connectionId, scope.model, scope.tenantId, options.afterSeq, options.modifiedAfter ?? null, options.limit],
  );
  return rows;
}

export type ModelRow = {
  model: string;
  records: number;
  deleted: number;
  last_modified_at: Date;
  last_seq: number;
};

/** The models a connection has records of: live and deleted counts, and the last change. */
export async function listModels(q: Queryable, tenantId: string, connectionId: string): Promise<ModelRow[]> {
  const { rows } = await q.query<ModelRow>(
    `select m.model, count(*) filter (where r.deleted_at is null)::int as records,
            count(*) filter (where r.deleted_at is not null)::int as deleted,
            max(r.updated_at) as last_modified_at, max(r.seq) as last_seq
       from sync_models m join sync_records r on r.model_id = m.id
      where m.connection_id = $1 and m.tenant_id = $2
      group by m.model order by m.model`,
    [connectionId, tenantId],
  );
  return rows;
}

/** The fields the live records of a model carry, in the order of their first appearance (the columns of an export). */
export async function modelFields(
  q: Queryable,
  scope: { tenantId: string; connectionId: string; model: string },
): Promise<string[]> {
  const { rows } = await q.query<{ key: string }>(
    `select key from (
       select k.key, min(r.seq) as first from sync_records r cross join lateral json_object_keys(r.data) as k(key)
        where r.model_id = ${TENANT_MODEL_ID} and r.deleted_at is null
        group by k.key) keys
      order by first, key`,
    [scope.connectionId, scope.model, scope.tenantId],
  );
  return rows.map((r) => r.key);
}

/** Every live record of a model, in change order, a page at a time: what an export reads. */
export async function* liveRecords(
  q: Queryable,
  scope: { tenantId: string; connectionId: string; model: string },
  pageSize = 5000,
): AsyncGenerator<Record<string, unknown>[]> {
  let afterSeq = 0;
  for (;;) {
    const rows = await readFeed(q, scope, { afterSeq, limit: pageSize, actions: ['added', 'updated'] });
    if (rows.length === 0) return;
    yield rows.map((r) => r.data);
    afterSeq = (rows.at(-1) as FeedRow).seq;
    if (rows.length < pageSize) return;
  }
}
