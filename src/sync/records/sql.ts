import { copyChunks, copyTextField } from '../../core/db/copy-text.js';
import { isUniqueViolation, type Queryable } from '../../core/db/port.js';
import type { UndoCounts } from '../engine/types.js';

/**
 * The record store's SQL (`sync_records` and `sync_models`, migrations 0011 and 0026). A model is a row of
 * sync_models (a connection's model name, made by the first batch written to it) and its records name it by
 * `model_id`. Every change to a record's content or deletion takes a new `seq` from one sequence, so the change feed
 * is `seq > cursor` over the (model_id, seq) index.
 */
export type StoreScope = { tenantId: string; connectionId: string; model: string };

/** The model's id, for statements whose $1 and $2 are the connection and the model's name (none: no rows match). */
export const MODEL_ID = '(select id from sync_models where connection_id = $1 and model = $2)';
/** The same, for readers: $3 is the tenant, so a connection id of another tenant reads nothing. */
export const TENANT_MODEL_ID =
  '(select id from sync_models where connection_id = $1 and model = $2 and tenant_id = $3)';

/** The id of the model, made if it has none yet, in the caller's transaction (after the connection's row is locked). */
async function modelId(tx: Queryable, scope: StoreScope): Promise<string> {
  const found = async () =>
    (await tx.query<{ id: string | null }>(`select ${MODEL_ID}::text as id`, [scope.connectionId, scope.model])).rows[0]
      ?.id ?? undefined;
  const id =
    (await found()) ??
    (
      await tx.query<{ id: string }>(
        `insert into sync_models (connection_id, model, tenant_id) values ($1, $2, $3)
         on conflict (connection_id, model) do nothing returning id::text`,
        [scope.connectionId, scope.model, scope.tenantId],
      )
    ).rows[0]?.id ??
    // Made by another writer since: its transaction committed before this insert returned.
    (await found());
  if (id === undefined) throw new Error(`the model ${scope.model} has no row and none could be made`);
  return id;
}

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

/** The rows of a batch, each as COPY text fields (escaped): its id, the content hash and the canonical JSON. */
export type StoreRow = { id: string; hash: string; data: string };

const STAGE = 'sync_records_stage';

/**
 * The rows as COPY chunks, each line `prefix` + id, hash, data + `suffix`. The rows are read as the chunks are sent,
 * so rows made on demand (target.ts) are made while the server parses the chunk before.
 */
function copyLines(rows: Iterable<StoreRow>, prefix: string, suffix: string): Generator<Buffer> {
  return copyChunks(rows, (row) => `${prefix}${row.id}\t${row.hash}\t${row.data}${suffix}\n`);
}

/**
 * Write a batch (ids unique in it) in the caller's transaction, after lockModel. The connection's row is locked
 * first (FOR KEY SHARE, once per batch, in place of a foreign key's check per row: migration 0013): answers
 * undefined when the connection is gone. Then the rows go through COPY:
 * - `direct` (the model had no records when the writer opened): straight into sync_records, all of them new. A key
 *   already there (another writer's) fails it with 23505; it is rolled back to its savepoint and the batch staged.
 * - otherwise into a temporary stage, then one upsert. Unchanged records only get `last_seen_at` and
 *   `last_execution_id` moved (a full refresh deletes what its run did not see); changed and revived ones get the
 *   new data, a new seq and `updated_at = now()`, and lose `deleted_at`. The counts come from the written rows
 *   themselves: an inserted row has no `xmax`, and only a changed row has `updated_at` equal to this transaction's
 *   `now()` (the batch's ids are unique, so no row of it was changed earlier in the transaction).
 * Answers the counts and whether the batch went in directly (so the writer stops trying once it did not).
 */
export async function writeRecords(
  tx: Queryable,
  scope: StoreScope,
  executionId: string,
  rows: Iterable<StoreRow>,
  direct: boolean,
  journal = false,
  /** The transaction is a whole run's (batches before this one went through the staging table in it too). */
  inRun = false,
): Promise<(UpsertCounts & { direct: boolean }) | undefined> {
  const { rowCount: present } = await tx.query('select 1 from connections where id = $1 for key share', [
    scope.connectionId,
  ]);
  if (present === 0) return undefined;
  const model = await modelId(tx, scope);
  if (direct) {
    await tx.query('savepoint direct_copy');
    try {
      const created = await tx.copyFrom(
        `copy sync_records (model_id, record_id, hash, data, last_execution_id) from stdin`,
        copyLines(rows, `${model}\t`, `\t${copyTextField(executionId)}`),
      );
      await tx.query('release savepoint direct_copy');
      return { created, updated: 0, unchanged: 0, direct: true };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      await tx.query('rollback to savepoint direct_copy');
    }
  }
  await tx.query(
    `create temp table if not exists ${STAGE} (record_id text, hash text, data json) on commit delete rows`,
  );
  if (inRun) await tx.query(`truncate ${STAGE}`);
  await tx.copyFrom(`copy ${STAGE} (record_id, hash, data) from stdin`, copyLines(rows, '', ''));
  if (journal) {
    // Each record as it was before this run first changed it (not as an earlier batch of the run left it).
    await tx.query(
      `insert into sync_record_undo (execution_id, connection_id, model, record_id, data, hash, deleted_at, last_execution_id)
       select $3, $1, $2, s.record_id, s.data, s.hash, s.deleted_at, s.last_execution_id
         from sync_records s join ${STAGE} t on t.record_id = s.record_id
        where s.model_id = $4 and s.last_execution_id is distinct from $3
       on conflict do nothing`,
      [scope.connectionId, scope.model, executionId, model],
    );
  }
  const { rows: result } = await tx.query<UpsertCounts>(
    `with written as (
       insert into sync_records as s (model_id, record_id, data, hash, last_execution_id)
       select $1, record_id, data, hash, $2 from ${STAGE}
       on conflict (model_id, record_id) do update set
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
    [model, executionId],
  );
  return { ...(result[0] as UpsertCounts), direct: false };
}

/** Whether a model has no records (live or deleted) yet: its first batches can then be copied in directly. */
export async function modelEmpty(q: Queryable, scope: StoreScope): Promise<boolean> {
  const { rowCount } = await q.query(`select 1 from sync_records where model_id = ${MODEL_ID} limit 1`, [
    scope.connectionId,
    scope.model,
  ]);
  return rowCount === 0;
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
       from sync_records where model_id = ${MODEL_ID} and deleted_at is null`,
    [scope.connectionId, scope.model, executionId],
  );
  return rows[0] as { live: number; unseen: number };
}

/**
 * Delete (soft: mark, with a new seq; hard: remove) the live records the run has not seen. A soft delete is the run's
 * write: the record's `last_execution_id` moves to it, so an earlier run's undo counts the record as changed since.
 * With `journal` (an undoable import) each record is first kept in `sync_record_undo` as it was, marked `removed`.
 */
export async function deleteUnseen(
  q: Queryable,
  scope: StoreScope,
  executionId: string,
  mode: 'soft' | 'hard',
  journal = false,
): Promise<number> {
  const where = `model_id = ${MODEL_ID} and deleted_at is null and last_execution_id is distinct from $3`;
  const params = [scope.connectionId, scope.model, executionId];
  if (journal) {
    await q.query(
      `insert into sync_record_undo
         (execution_id, connection_id, model, record_id, data, hash, deleted_at, last_execution_id, removed)
       select $3, $1, $2, record_id, data, hash, deleted_at, last_execution_id, true
         from sync_records where ${where}
       on conflict do nothing`,
      params,
    );
  }
  const { rowCount } = await q.query(
    mode === 'soft'
      ? `update sync_records set deleted_at = now(), updated_at = now(), seq = nextval('sync_records_seq'),
           last_execution_id = $3 where ${where}`
      : `delete from sync_records where ${where}`,
    params,
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
  const where = `model_id = ${MODEL_ID} and record_id = any ($3::text[]) and deleted_at is null`;
  const { rowCount } = await q.query(
    mode === 'soft'
      ? `update sync_records set deleted_at = now(), updated_at = now(), seq = nextval('sync_records_seq') where ${where}`
      : `delete from sync_records where ${where}`,
    [scope.connectionId, scope.model, ids],
  );
  return rowCount;
}

/**
 * Undo a run that kept a journal (an import), after lockModel: records it created are deleted (soft, so the change
 * feed tells readers), records it changed or deleted get back the content (and deletion) they had before it; one it
 * removed for good (a hard delete) is inserted again, with a new seq, unless a record with its id exists by then.
 * Records another run changed since are left as they are and counted as kept.
 */
export async function undoRun(q: Queryable, scope: StoreScope, executionId: string): Promise<UndoCounts> {
  const { rowCount: removed } = await q.query(
    `update sync_records s set deleted_at = now(), updated_at = now(), seq = nextval('sync_records_seq')
      where s.model_id = ${MODEL_ID} and s.last_execution_id = $3 and s.deleted_at is null
        and not exists (select 1 from sync_record_undo u
                         where u.execution_id = $3 and u.connection_id = $1 and u.model = $2
                           and u.record_id = s.record_id)`,
    [scope.connectionId, scope.model, executionId],
  );
  const { rows } = await q.query<{ restored: number; kept: number }>(
    `with targets as (
       select s.record_id, (s.hash <> u.hash or s.deleted_at is distinct from u.deleted_at) as changed
         from sync_records s join sync_record_undo u
           on u.execution_id = $3 and u.connection_id = $1 and u.model = $2 and u.record_id = s.record_id
        where s.model_id = ${MODEL_ID} and s.last_execution_id = $3
     ), restored as (
       update sync_records s
          set data = u.data, hash = u.hash, deleted_at = u.deleted_at, last_execution_id = u.last_execution_id,
              updated_at = case when t.changed then now() else s.updated_at end,
              seq = case when t.changed then nextval('sync_records_seq') else s.seq end
         from sync_record_undo u, targets t
        where u.execution_id = $3 and u.connection_id = $1 and u.model = $2 and t.record_id = u.record_id
          and s.model_id = ${MODEL_ID} and s.record_id = u.record_id
       returning t.changed
     ), revived as (
       insert into sync_records (model_id, record_id, data, hash, deleted_at, last_execution_id)
       select ${MODEL_ID}, u.record_id, u.data, u.hash, u.deleted_at, u.last_execution_id
         from sync_record_undo u
        where u.execution_id = $3 and u.connection_id = $1 and u.model = $2 and u.removed
          and not exists (select 1 from sync_records r
                           where r.model_id = ${MODEL_ID} and r.record_id = u.record_id)
       returning 1
     )
     select ((select count(*) filter (where changed) from restored) + (select count(*) from revived))::int as restored,
            ((select count(*) from sync_record_undo where execution_id = $3 and connection_id = $1 and model = $2)
              - (select count(*) from restored) - (select count(*) from revived))::int as kept`,
    [scope.connectionId, scope.model, executionId],
  );
  await q.query('delete from sync_record_undo where execution_id = $1 and connection_id = $2 and model = $3', [
    executionId,
    scope.connectionId,
    scope.model,
  ]);
  const counts = rows[0] as { restored: number; kept: number };
  return { removed, restored: counts.restored, kept: counts.kept };
}
