import type { Queryable } from '../../core/db/port.js';

/**
 * The record store's SQL (`sync_records`, migration 0011). Every change to a record's content or deletion takes a
 * new `seq` from one sequence, so the change feed is `seq > cursor` over the (connection, model, seq) index.
 */
export type StoreScope = { tenantId: string; connectionId: string; model: string };

export type UpsertCounts = { created: number; updated: number; unchanged: number };

/**
 * Writers of one (connection, model) take turns: a transaction-scoped advisory lock (the two-key form, its own key
 * space), taken before any seq is drawn and held until commit. So seqs of a model commit in order, and a reader that
 * stored cursor N never later meets a change with a seq below N committed after it read (two syncs writing one
 * model, or a deletion beside a write, would otherwise interleave sequence values and commits).
 */
const RECORD_STORE_LOCK = 1398362691;
const lockModelSql = `select pg_advisory_xact_lock(${RECORD_STORE_LOCK}, hashtext($1 || '/' || $2))`;

export async function lockModel(q: Queryable, scope: StoreScope): Promise<void> {
  await q.query(lockModelSql, [scope.connectionId, scope.model]);
}

/** A record is changed when its content hash differs or it was deleted: then it gets a new seq and shows in the feed. */
const changed = 's.hash <> excluded.hash or s.deleted_at is not null';

/**
 * Upsert a batch in one statement. The batch is one JSON array of `[record_id, hash, data]` (ids unique in it):
 * PostgreSQL parses it once as jsonb and each record's data is already jsonb, where a text array would be escaped
 * by the driver, parsed as an array, and parsed again per element (twice as slow, measured: bench/sync).
 *
 * Unchanged records only get `last_seen_at` and `last_execution_id` moved (a full refresh deletes what its run did
 * not see); changed and revived ones get the new data, a new seq and `updated_at = now()`, and lose `deleted_at`.
 * The counts come from the written rows themselves, with no second lookup of the old ones: an inserted row has no
 * `xmax` (an updated one carries this transaction's id there), and only a changed row has `updated_at` equal to this
 * transaction's `now()`; the statement is its own transaction and a batch's ids are unique, so no row of it was
 * changed earlier in the same transaction.
 */
export async function upsertRecords(
  q: Queryable,
  scope: StoreScope,
  executionId: string,
  batchJson: string,
): Promise<UpsertCounts> {
  const { rows: result } = await q.query<UpsertCounts>(
    // The statement is its own transaction: the lock (lockModel's) is taken before the first row is produced and
    // released at its commit.
    `with lock as (
       select pg_advisory_xact_lock(${RECORD_STORE_LOCK}, hashtext($2 || '/' || $3))
     ), written as (
       insert into sync_records as s (tenant_id, connection_id, model, record_id, data, hash, last_execution_id)
       select $1, $2, $3, e ->> 0, e -> 2, e ->> 1, $5 from lock, jsonb_array_elements($4::jsonb) e
       on conflict (connection_id, model, record_id) do update set
         last_seen_at = now(),
         last_execution_id = excluded.last_execution_id,
         data = case when ${changed} then excluded.data else s.data end,
         hash = excluded.hash,
         seq = case when ${changed} then nextval('sync_records_seq') else s.seq end,
         updated_at = case when ${changed} then now() else s.updated_at end,
         deleted_at = null
       returning xmax = 0 as inserted, updated_at = now() as changed
     )
     select count(*) filter (where inserted)::int as created,
            count(*) filter (where not inserted and changed)::int as updated,
            count(*) filter (where not inserted and not changed)::int as unchanged
       from written`,
    [scope.tenantId, scope.connectionId, scope.model, batchJson, executionId],
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
