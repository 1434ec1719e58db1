import type { Queryable } from '../../core/db/port.js';

/**
 * The record store's SQL (`sync_records`, migration 0011). Every change to a record's content or deletion takes a
 * new `seq` from one sequence, so the change feed is `seq > cursor` over the (connection, model, seq) index.
 */
export type StoreScope = { tenantId: string; connectionId: string; model: string };

export type UpsertCounts = { created: number; updated: number; unchanged: number };

/** A record is changed when its content hash differs or it was deleted: then it gets a new seq and shows in the feed. */
const changed = 's.hash <> excluded.hash or s.deleted_at is not null';

/**
 * Upsert a batch in one statement (ids unique within the batch). Unchanged records only get `last_seen_at` and
 * `last_execution_id` moved (a full refresh deletes what its run did not see); changed and revived ones get the new
 * data, a new seq and `updated_at`, and lose `deleted_at`. The counts compare with the rows as they were before the
 * statement (one snapshot for every part of it).
 */
export async function upsertRecords(
  q: Queryable,
  scope: StoreScope,
  executionId: string,
  rows: { ids: string[]; data: string[]; hashes: string[] },
): Promise<UpsertCounts> {
  const { rows: result } = await q.query<UpsertCounts>(
    `with input as (
       select * from unnest($4::text[], $5::text[], $6::text[]) as i (record_id, data, hash)
     ), old as (
       select s.record_id, s.hash, s.deleted_at from sync_records s
        where s.connection_id = $2 and s.model = $3 and s.record_id = any ($4::text[])
     ), written as (
       insert into sync_records as s (tenant_id, connection_id, model, record_id, data, hash, last_execution_id)
       select $1, $2, $3, i.record_id, i.data::jsonb, i.hash, $7 from input i
       on conflict (connection_id, model, record_id) do update set
         last_seen_at = now(),
         last_execution_id = excluded.last_execution_id,
         data = case when ${changed} then excluded.data else s.data end,
         hash = excluded.hash,
         seq = case when ${changed} then nextval('sync_records_seq') else s.seq end,
         updated_at = case when ${changed} then now() else s.updated_at end,
         deleted_at = null
       returning 1
     )
     select count(*) filter (where o.record_id is null)::int as created,
            count(*) filter (where o.hash <> i.hash or o.deleted_at is not null)::int as updated,
            count(*) filter (where o.hash = i.hash and o.deleted_at is null)::int as unchanged
       from input i left join old o using (record_id)`,
    [scope.tenantId, scope.connectionId, scope.model, rows.ids, rows.data, rows.hashes, executionId],
  );
  return result[0] as UpsertCounts;
}

/** Live records of a model, and those of them the run has not seen (what a full refresh would delete). */
export async function countUnseen(
  q: Queryable,
  scope: StoreScope,
  executionId: string,
): Promise<{ live: number; unseen: number }> {
  const { rows } = await q.query<{ live: number; unseen: number }>(
    `select count(*)::int as live,
            count(*) filter (where last_execution_id is distinct from $3)::int as unseen
       from sync_records where connection_id = $1 and model = $2 and deleted_at is null`,
    [scope.connectionId, scope.model, executionId],
  );
  return rows[0] as { live: number; unseen: number };
}

/** Delete (soft: mark, with a new seq; hard: remove) the live records the run has not seen. */
export async function deleteUnseen(
  q: Queryable,
  scope: StoreScope,
  executionId: string,
  mode: 'soft' | 'hard',
): Promise<number> {
  const where = `connection_id = $1 and model = $2 and deleted_at is null and last_execution_id is distinct from $3`;
  const { rowCount } = await q.query(
    mode === 'soft'
      ? `update sync_records set deleted_at = now(), updated_at = now(), seq = nextval('sync_records_seq') where ${where}`
      : `delete from sync_records where ${where}`,
    [scope.connectionId, scope.model, executionId],
  );
  return rowCount;
}

/** Delete live records by id (tombstones a source reported). */
export async function deleteRecords(
  q: Queryable,
  scope: StoreScope,
  ids: string[],
  mode: 'soft' | 'hard',
): Promise<number> {
  const where = `connection_id = $1 and model = $2 and record_id = any ($3::text[]) and deleted_at is null`;
  const { rowCount } = await q.query(
    mode === 'soft'
      ? `update sync_records set deleted_at = now(), updated_at = now(), seq = nextval('sync_records_seq') where ${where}`
      : `delete from sync_records where ${where}`,
    [scope.connectionId, scope.model, ids],
  );
  return rowCount;
}
