import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import {
  SyncError,
  type CopyRows,
  type Rejected,
  type StreamWriter,
  type SyncRecord,
  type WriteOutcome,
  type WriteRequest,
} from '../../engine/types.js';
import { copyChunks } from '../../../core/db/copy-text.js';
import { keyParameter } from '../../sources/postgres/read-full.js';
import { qualifiedName, quoteIdent } from '../../sources/postgres/connect.js';
import { journaledColumns, type TableJournal } from '../journal.js';
import { lastPerKey } from '../last-per-key.js';
import { copyTextFormatter } from './copy-text.js';
import {
  createdBatch,
  directKeys,
  directKeyTypes,
  journalBatch,
  journaledUpsert,
  writtenVersion,
  type JournaledRow,
} from './journal.js';
import { targetSql } from './sql.js';
import { deletedAt, type TargetTable } from './table.js';

/**
 * Writing a stream's batches into its table. A batch is COPY'd (text format) into a temporary staging table typed
 * like the target, then applied with one statement; both in one transaction, so a batch is all in or all out:
 * - an upsert (`insert … select … on conflict (key) do update … where target is distinct from excluded`), counting
 *   created (`xmax = 0`), updated (returned but not inserted) and unchanged (not returned) rows;
 * - in a full refresh, into a shadow table instead (full-refresh.ts), the counts taken against the target as it is.
 * A record the database refuses (a value that does not cast, a NOT NULL or CHECK violation, a trigger's exception)
 * fails its batch; the batch is then halved and each half retried, down to the single records that fail, which are
 * returned as rejected with the database's message: k bad records in n cost about 2k·log2(n) extra statements.
 * Records sharing a key within a batch are written once, the last one winning (ON CONFLICT cannot touch a row twice
 * in one statement); the superseded ones count as unchanged.
 *
 * A run that keeps a journal (an import, not a full refresh) writes every batch through the staging table, in a
 * REPEATABLE READ transaction: one statement (journal.ts journaledUpsert) upserts and answers, per row it wrote, the
 * row before (same snapshot) and the row version it wrote (xmin), kept in the journal (targets/journal.ts) before
 * the commit. A writer that changed one of those rows since the snapshot makes the upsert fail with a serialization
 * error, and the batch is tried again later (a retryable failure).
 */

const stage = 'switchyard_stage';

/** SQLSTATE classes caused by one record's values: data exceptions (22), integrity (23), cardinality (21), raise. */
const recordErrorClasses = new Set(['21', '22', '23']);
function isRecordError(error: unknown): error is Error & { code: string; column?: string } {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && (recordErrorClasses.has(code.slice(0, 2)) || code === 'P0001');
}

export function shadowName(table: TargetTable, executionId: string): string {
  const digest = createHash('sha256').update(`${table.schema}\u0000${table.table}\u0000${executionId}`).digest('hex');
  return `_switchyard_shadow_${digest.slice(0, 24)}`;
}

/**
 * How a batch reaches the server: `copy` (COPY … FROM STDIN, the default), or `insert`, one INSERT from a jsonb
 * parameter (jsonb_to_recordset) for servers that cannot take COPY from a client: PGlite served over the wire
 * protocol (the pgvector target's tests) loses protocol sync on it. Staging, upserts, isolation and deletes are the same.
 */
export type RowLoader = 'copy' | 'insert';

export async function openWriter(
  client: pg.Client,
  table: TargetTable,
  request: WriteRequest,
  finishFullRefresh: () => Promise<{ deleted: number }>,
  loader: RowLoader = 'copy',
  journal?: TableJournal,
): Promise<StreamWriter> {
  const sql = targetSql(table);
  const format = copyTextFormatter(table.columns);
  const shadow = request.fullRefresh ? qualifiedName(table.schema, shadowName(table, request.executionId)) : undefined;
  const journaled = journal && request.journal === true && !shadow ? journal : undefined;
  // The whole run in one transaction (WriteRequest.atomic; not a full refresh, whose shadow is its own all or
  // nothing): each batch is then a savepoint in it, and the staging table is emptied by hand between batches.
  const atomic = request.atomic === true && !shadow;
  const imaged = journaledColumns(table);
  const journaledSql = journaled ? journaledUpsert(sql, table.key, stage, imaged) : '';
  // A full refresh's `finish` applies the shadow (full-refresh.ts); otherwise every batch is already applied.
  await client.query(
    `create temp table if not exists ${stage} on commit delete rows as ` +
      `select ${sql.columnList} from ${sql.target} with no data`,
  );
  const applySql = shadow ? shadowUpsert(sql, shadow, table) : sql.upsertFrom(stage);
  // Straight COPY into the written table (target or shadow) while every key is new: right for as long as it succeeds
  // (a key already there fails it, 23505, and the batch takes the staged upsert), so it is tried only while the
  // target was empty at open and no batch has met an existing key. A first load then costs one COPY per batch.
  const written = shadow ?? sql.target;
  // A journaled batch takes it too when its keys are integers or text (journal.ts directKeys): every row it writes is
  // new, so the journal needs only the keys and the transaction's id; otherwise it goes through the staging table.
  const keyTypes = table.key.map((k) => table.columns.find((c) => c.name === k)?.typeName ?? '');
  let direct = false;
  if (!journaled || (!shadow && directKeyTypes(keyTypes))) {
    const empty = await client.query<{ empty: boolean }>(`select not exists (select 1 from ${sql.target}) as empty`);
    direct = empty.rows[0]?.empty === true;
  }
  if (atomic) await client.query(journaled ? 'begin isolation level repeatable read' : 'begin');
  const begin = (isolation?: string) =>
    client.query(atomic ? 'savepoint batch' : isolation ? `begin isolation level ${isolation}` : 'begin');
  const commit = () => client.query(atomic ? 'release savepoint batch' : 'commit');
  const rollback = async () => {
    if (!atomic) return client.query('rollback');
    await client.query('rollback to savepoint batch');
    return client.query('release savepoint batch');
  };

  // Sent in chunks (copyChunks), each record's line formatted as the stream asks for it: the server parses one chunk
  // while the next is formatted here, and no batch-sized string is built.
  function recordsPayload(records: SyncRecord[]): Payload {
    return {
      rows: records.length,
      columns: sql.columnList,
      records,
      *chunks() {
        yield* copyChunks(records, format);
      },
    };
  }
  async function copyInto(table: string, payload: Payload): Promise<void> {
    if (loader === 'insert') {
      const json = JSON.stringify(payload.records ?? [], (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
      await client.query(sql.insertFromJson(table), [json]);
      return;
    }
    const copy = client.query(copyFrom(`copy ${table} (${payload.columns}) from stdin`));
    await pipeline(Readable.from(payload.chunks(), { objectMode: false }), copy);
  }

  async function copyDirect(payload: Payload): Promise<boolean> {
    const keys = journaled ? directKeys(payload.records, table.key, keyTypes) : undefined;
    if (journaled && !keys) return false;
    await begin();
    try {
      await copyInto(written, payload);
      if (journaled && keys) {
        const first = payload.records?.[0] ?? {};
        const { rows } = await client.query<{ xid: string }>(
          writtenVersion(written, table.key),
          table.key.map((k) => keyParameter(first[k])),
        );
        await journaled.keepBatch(request.executionId, request.name, createdBatch(keys, imaged, rows[0]?.xid ?? ''));
      }
      await commit();
      return true;
    } catch (error) {
      await rollback().catch(() => {});
      if ((error as { code?: string }).code === '23505') direct = false;
      else if (!isRecordError(error)) throw error;
      return false;
    }
  }

  async function applyBatch(payload: Payload): Promise<{ created: number; updated: number }> {
    if (direct && (await copyDirect(payload))) return { created: payload.rows, updated: 0 };
    await begin(journaled ? 'repeatable read' : undefined);
    try {
      if (atomic) await client.query(`truncate ${stage}`);
      await copyInto(stage, payload);
      if (journaled) {
        const { rows } = await client.query<JournaledRow>(journaledSql);
        await journaled.keepBatch(request.executionId, request.name, journalBatch(rows, table.key, imaged));
        await commit();
        const created = rows.filter((r) => r.created).length;
        return { created, updated: rows.length - created };
      }
      const { rows } = await client.query<{ created: number; written?: number; updated?: number }>(applySql);
      await commit();
      const row = rows[0] ?? { created: 0, written: 0 };
      return { created: row.created, updated: row.updated ?? (row.written ?? 0) - row.created };
    } catch (error) {
      await rollback().catch(() => {});
      throw error;
    }
  }

  // The column list a source's COPY text goes in with, per column set: undefined when some column is not taken as
  // it is (see takesAsIs).
  const copyColumns = new Map<string, string | undefined>();
  function columnsForCopy(columns: CopyRows['columns']): string | undefined {
    const signature = JSON.stringify(columns);
    if (!copyColumns.has(signature)) {
      const byName = new Map(table.columns.map((c) => [c.name, c]));
      const fits = columns.every((c) => {
        const target = byName.get(c.name);
        return target !== undefined && takesAsIs(c.typeName, target.typeName);
      });
      copyColumns.set(signature, fits ? columns.map((c) => quoteIdent(c.name)).join(', ') : undefined);
    }
    return copyColumns.get(signature);
  }

  async function writeIsolating(records: SyncRecord[]): Promise<WriteOutcome> {
    try {
      const { created, updated } = await applyBatch(recordsPayload(records));
      return { created, updated, unchanged: records.length - created - updated, rejected: [] };
    } catch (error) {
      if (!isRecordError(error)) throw writeError(error);
      if (records.length === 1)
        return { created: 0, updated: 0, unchanged: 0, rejected: [rejection(records[0] as SyncRecord, error)] };
      request.signal.throwIfAborted();
      const middle = Math.ceil(records.length / 2);
      const left = await writeIsolating(records.slice(0, middle));
      const right = await writeIsolating(records.slice(middle));
      return {
        created: left.created + right.created,
        updated: left.updated + right.updated,
        unchanged: left.unchanged + right.unchanged,
        rejected: [...left.rejected, ...right.rejected],
      };
    }
  }

  let closed = false;
  const end = async () => {
    if (closed) return;
    closed = true;
    await client.end().catch(() => {});
  };

  return {
    atomic,

    async write(records) {
      if (records.length === 0) return { created: 0, updated: 0, unchanged: 0, rejected: [] };
      const unique = lastPerKey(records, table.key);
      const outcome = await writeIsolating(unique);
      outcome.unchanged += records.length - unique.length;
      return outcome;
    },

    async writeCopy(rows) {
      if (loader !== 'copy') return undefined;
      if (rows.rows === 0) return { created: 0, updated: 0, unchanged: 0, rejected: [] };
      const columns = columnsForCopy(rows.columns);
      if (columns === undefined) return undefined;
      try {
        // A PostgreSQL source's rows are unique by key (its primary key): no batch repeats one.
        const { created, updated } = await applyBatch({
          rows: rows.rows,
          columns,
          chunks: () => [Buffer.from(rows.text)],
        });
        return { created, updated, unchanged: rows.rows - created - updated, rejected: [] };
      } catch (error) {
        if (isRecordError(error)) return undefined; // written again as records, isolating the one refused
        throw writeError(error);
      }
    },

    async delete(keys) {
      if (keys.length === 0 || (!shadow && request.deletion.mode === 'none')) return 0;
      const values = table.key.map((k) => keys.map((key) => keyParameter(key[k])));
      const inKeys = `(${sql.keyList}) in (${sql.keysFromArrays})`;
      try {
        if (shadow) {
          // Not in the shadow, so finish() deletes it as the policy says (and counts it there).
          await client.query(`delete from ${shadow} where ${inKeys}`, values);
          return 0;
        }
        const statement =
          request.deletion.mode === 'soft'
            ? `update ${sql.target} set ${quoteIdent(deletedAt)} = now() where ${quoteIdent(deletedAt)} is null and ${inKeys}`
            : `delete from ${sql.target} where ${inKeys}`;
        const result = await client.query(statement, values);
        return result.rowCount ?? 0;
      } catch (error) {
        throw writeError(error);
      }
    },

    async finish() {
      try {
        const result = shadow ? await finishFullRefresh() : { deleted: 0 };
        if (atomic) await client.query('commit');
        await end();
        return result;
      } catch (error) {
        // Left open for the runner's abort, which ends it (dropping the shadow when the run is over).
        throw writeError(error);
      }
    },

    async abort(options) {
      // The temporary staging table goes with the session; a full refresh's shadow stays for a resumed run, unless
      // the run ended for good.
      if (options?.final && shadow && !closed) {
        await client.query('rollback').catch(() => {}); // a failed apply may have left its transaction open
        await client.query(`drop table if exists ${shadow}`).catch(() => {});
      }
      if (atomic && !closed) {
        // Nothing of the run is kept (ending the session would roll it back too), so neither is its journal.
        await client.query('rollback').catch(() => {});
        await journaled?.forget(request.executionId, request.name).catch(() => {});
      }
      await end();
    },
  };
}

/**
 * A full refresh's batch goes into the shadow (upserted there: a resumed run re-writes the batches after its last
 * checkpoint), and is counted against the target as it is now: created (no row with its key), updated (a different
 * or soft-deleted row), the rest unchanged. The target itself is only touched in finish().
 */
function shadowUpsert(sql: ReturnType<typeof targetSql>, shadow: string, table: TargetTable): string {
  const updates = table.columns
    .filter((c) => !table.key.includes(c.name))
    .map((c) => `${quoteIdent(c.name)} = excluded.${quoteIdent(c.name)}`);
  const onConflict = updates.length > 0 ? `do update set ${updates.join(', ')}` : 'do nothing';
  const firstKey = quoteIdent(table.key[0] as string);
  const revived = table.hasDeletedAt ? ` or r.${quoteIdent(deletedAt)} is not null` : '';
  return (
    `with up as (insert into ${shadow} as s (${sql.columnList}) select ${sql.columnList} from ${stage} ` +
    `on conflict (${sql.keyList}) ${onConflict} returning ${sql.columnList}) ` +
    `select (count(*) filter (where r.${firstKey} is null))::int as created, ` +
    `(count(*) filter (where r.${firstKey} is not null and (${sql.differs('r', 'up')}${revived})))::int as updated ` +
    `from up left join ${sql.target} r on ${sql.keyMatch('r', 'up')}`
  );
}

/** A batch on its way into COPY: how many rows, the column list its lines follow, and the lines in slices. */
type Payload = { rows: number; columns: string; records?: SyncRecord[]; chunks(): Iterable<Buffer> };

const integers = new Set(['smallint', 'integer', 'bigint']);
/** Types whose COPY text a record keeps as it is (a string): a text column takes it unchanged. */
const textual = new Set(['text', 'character varying', 'character', 'uuid', 'name', 'citext']);

/**
 * Whether a column of type `target` reads the COPY text of a `source` column into the value writing the decoded
 * record would give: the same type (the type modifier aside: PostgreSQL applies the target's), integers into bigint
 * or numeric, json into jsonb, and text-like types into text. Anything else (arrays into jsonb, timestamps into
 * text) goes through the records.
 */
export function takesAsIs(source: string, target: string): boolean {
  const s = source.replace(/\([^)]*\)/g, '');
  const t = target.replace(/\([^)]*\)/g, '');
  if (s === t) return true;
  if (integers.has(s)) return t === 'bigint' || t === 'numeric';
  if (s === 'json') return t === 'jsonb';
  return textual.has(s) && t === 'text';
}

function rejection(record: SyncRecord, error: Error & { column?: string; where?: string }): Rejected {
  const column = error.column ?? /column ([^:]+):/.exec(error.where ?? '')?.[1];
  return { record, reason: column ? `${error.message} (column ${column})` : error.message };
}

export function writeError(error: unknown): Error {
  if (error instanceof SyncError || (error as Error).name === 'AbortError') return error as Error;
  const code = (error as { code?: string }).code ?? '';
  // Connection, resource and operator-intervention errors may pass; anything else needs a person.
  const retryable = code === '' || /^(08|53|57|40)/.test(code);
  return new SyncError(
    'target_write_failed',
    `The target database failed the write: ${(error as Error).message}`,
    retryable,
  );
}
